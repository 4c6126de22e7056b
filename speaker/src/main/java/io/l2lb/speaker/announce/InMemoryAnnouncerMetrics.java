package io.l2lb.speaker.announce;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters in memory: for tests and for logging a summary. */
public final class InMemoryAnnouncerMetrics implements AnnouncerMetrics {

  private final Map<Family, LongAdder> requests = counters();
  private final Map<Family, LongAdder> replies = counters();
  private final Map<Family, LongAdder> gratuitous = counters();
  private final Map<Family, LongAdder> conflicts = counters();
  private final Map<Family, LongAdder> fences = counters();

  private static Map<Family, LongAdder> counters() {
    Map<Family, LongAdder> m = new EnumMap<>(Family.class);
    for (Family f : Family.values()) {
      m.put(f, new LongAdder());
    }
    return m;
  }

  @Override
  public void requestReceived(Family family) {
    requests.get(family).increment();
  }

  @Override
  public void replySent(Family family) {
    replies.get(family).increment();
  }

  @Override
  public void gratuitousSent(Family family) {
    gratuitous.get(family).increment();
  }

  @Override
  public void conflictSeen(Family family) {
    conflicts.get(family).increment();
  }

  @Override
  public void fenced(Family family) {
    fences.get(family).increment();
  }

  public long requests(Family family) {
    return requests.get(family).sum();
  }

  public long replies(Family family) {
    return replies.get(family).sum();
  }

  public long gratuitous(Family family) {
    return gratuitous.get(family).sum();
  }

  public long conflicts(Family family) {
    return conflicts.get(family).sum();
  }

  public long fences(Family family) {
    return fences.get(family).sum();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Family f : Family.values()) {
      b.append(f)
          .append(": requests=")
          .append(requests(f))
          .append(" replies=")
          .append(replies(f))
          .append(" gratuitous=")
          .append(gratuitous(f))
          .append(" conflicts=")
          .append(conflicts(f))
          .append(" fenced=")
          .append(fences(f))
          .append("; ");
    }
    return b.toString().trim();
  }
}
