package io.l2lb.e2e.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's request log ({@link io.l2lb.e2e.traffic.TrafficClient} lines) as data: one {@link
 * Request} per line, and the questions the story asks of it — which requests failed, when an IP
 * answered again, who served it.
 */
public final class TrafficLog {
  private static final Pattern LINE =
      Pattern.compile("(\\d+) (\\d+) (\\S+) (ok|fail) (\\S+) (\\d+)");

  /**
   * One request.
   *
   * @param startMillis epoch milliseconds when it started
   * @param detail the serving node for a success, the failure reason otherwise
   */
  public record Request(
      long seq, long startMillis, String ip, boolean ok, String detail, long micros) {
    public long endMillis() {
      return startMillis + micros / 1000;
    }
  }

  private final List<Request> requests;

  private TrafficLog(List<Request> requests) {
    this.requests = List.copyOf(requests);
  }

  public static TrafficLog parse(List<String> lines) {
    List<Request> out = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line.trim());
      if (m.matches()) {
        out.add(
            new Request(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                m.group(3),
                m.group(4).equals("ok"),
                m.group(5),
                Long.parseLong(m.group(6))));
      }
    }
    out.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
    return new TrafficLog(out);
  }

  public List<Request> requests() {
    return requests;
  }

  public List<Request> between(long fromMillis, long toMillis) {
    return requests.stream()
        .filter(r -> r.startMillis() >= fromMillis && r.startMillis() < toMillis)
        .toList();
  }

  public List<Request> failures(long fromMillis, long toMillis) {
    return between(fromMillis, toMillis).stream().filter(r -> !r.ok()).toList();
  }

  /** The first request to {@code ip} started at or after {@code fromMillis} that succeeded. */
  public Optional<Request> firstSuccess(String ip, long fromMillis) {
    return requests.stream()
        .filter(r -> r.ip().equals(ip) && r.ok() && r.startMillis() >= fromMillis)
        .findFirst();
  }

  /**
   * The first request to {@code ip} started at or after {@code fromMillis} that succeeded and was
   * served by a node other than {@code notBy}.
   */
  public Optional<Request> firstSuccessNotBy(String ip, long fromMillis, String notBy) {
    return requests.stream()
        .filter(
            r ->
                r.ip().equals(ip)
                    && r.ok()
                    && r.startMillis() >= fromMillis
                    && !r.detail().equals(notBy))
        .findFirst();
  }

  /**
   * The last request to {@code ip} that failed at or after {@code fromMillis} and before {@code
   * toMillis}.
   */
  public Optional<Request> lastFailure(String ip, long fromMillis, long toMillis) {
    Request last = null;
    for (Request r : between(fromMillis, toMillis)) {
      if (r.ip().equals(ip) && !r.ok()) {
        last = r;
      }
    }
    return Optional.ofNullable(last);
  }

  /** Which node served {@code ip} in the last successful request before {@code beforeMillis}. */
  public Optional<String> servedBy(String ip, long beforeMillis) {
    String node = null;
    for (Request r : requests) {
      if (r.startMillis() >= beforeMillis) {
        break;
      }
      if (r.ip().equals(ip) && r.ok()) {
        node = r.detail();
      }
    }
    return Optional.ofNullable(node);
  }

  /** Successful requests per IP per whole second since {@code fromMillis} (the demo's chart). */
  public Map<String, int[]> successesPerSecond(long fromMillis, int seconds) {
    Map<String, int[]> out = new TreeMap<>();
    for (Request r : requests) {
      long second = (r.startMillis() - fromMillis) / 1000;
      if (r.startMillis() < fromMillis || second >= seconds) {
        continue;
      }
      int[] row = out.computeIfAbsent(r.ip(), k -> new int[seconds]);
      if (r.ok()) {
        row[(int) second]++;
      }
    }
    return out;
  }
}
