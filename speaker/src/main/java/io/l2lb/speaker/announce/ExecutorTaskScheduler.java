package io.l2lb.speaker.announce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TaskScheduler} on one daemon thread and the system clock. */
public final class ExecutorTaskScheduler implements TaskScheduler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExecutorTaskScheduler.class);

  private final ScheduledThreadPoolExecutor executor;
  private final Clock clock;

  public ExecutorTaskScheduler(String threadName) {
    this(threadName, Clock.systemUTC());
  }

  public ExecutorTaskScheduler(String threadName, Clock clock) {
    this.clock = clock;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    // cancelled refresh timers would otherwise pile up in the queue until due
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        executor.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                log.warn("scheduled task failed", e); // keep the thread alive for the others
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
