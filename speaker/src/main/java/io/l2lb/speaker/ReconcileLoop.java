package io.l2lb.speaker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile passes on one thread: on request (coalesced: a burst of watch events becomes one
 * or two passes) and every resync interval, which retries whatever failed.
 */
final class ReconcileLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

  private final Runnable pass;
  private final Duration resync;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor executor =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "reconcile");
            t.setDaemon(true);
            return t;
          });
  private volatile Instant lastPass;

  ReconcileLoop(Runnable pass, Duration resync) {
    this.pass = pass;
    this.resync = resync;
  }

  void start() {
    executor.scheduleWithFixedDelay(this::request, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass soon; returns at once. Safe from any thread. */
  void request() {
    if (pending.compareAndSet(false, true)) {
      try {
        executor.execute(this::runPass);
      } catch (RejectedExecutionException e) {
        // shutting down: no more passes
      }
    }
  }

  private void runPass() {
    pending.set(false); // a request arriving during the pass schedules the next one
    try {
      pass.run();
      lastPass = Instant.now();
    } catch (RuntimeException e) {
      log.error("reconcile pass failed; the next one retries", e);
    }
  }

  Instant lastPass() {
    return lastPass;
  }

  /** Stops after the pass that may be running; waits briefly for it. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
