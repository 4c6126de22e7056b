package io.l2lb.speaker.announce;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link TaskScheduler} whose time only moves when the test calls {@link #advance}. */
public final class ManualScheduler implements TaskScheduler {

  private record Task(Instant due, long seq, Runnable body) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private Instant now;
  private long seq;

  public ManualScheduler() {
    this(Instant.parse("2025-01-01T00:00:00Z"));
  }

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable body) {
    Task t = new Task(now.plus(delay), seq++, body);
    queue.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        queue.remove(t);
      }
    };
  }

  /**
   * Moves the clock forward, running due tasks in order at their due time (also ones they
   * schedule).
   */
  public void advance(Duration by) {
    Instant until;
    synchronized (this) {
      until = now.plus(by);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due().isAfter(until)) {
          now = until;
          return;
        }
        queue.poll();
        now = next.due();
      }
      next.body().run(); // outside our lock: tasks take the announcer's lock
    }
  }

  public synchronized int pending() {
    return queue.size();
  }
}
