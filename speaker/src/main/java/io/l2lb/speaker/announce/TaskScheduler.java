package io.l2lb.speaker.announce;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the announcer: the clock and one-shot delayed tasks. Periodic behaviour is built by
 * re-scheduling, so a hand-driven fake in tests only needs these two operations.
 */
public interface TaskScheduler {

  Instant now();

  /** Runs {@code task} once after {@code delay}; tasks never run concurrently with each other. */
  Cancellable schedule(Duration delay, Runnable task);

  @FunctionalInterface
  interface Cancellable {
    /** Best effort: a task already running finishes. */
    void cancel();
  }
}
