package io.l2lb.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the informers start: waits while the API server cannot serve l2lb's resources yet. Right
 * after an install the CRDs are established but their storage may still be initializing (429
 * "storage is (re)initializing"), and an API server that restarts answers 5xx or not at all; the
 * informers would fail their first list and the operator would exit, to be restarted after a
 * back-off. Those answers are waited out (with a log line per new reason); a refusal that waiting
 * cannot cure (403: RBAC, 404: CRDs missing) fails at once, with the API server's message.
 */
public final class ApiStartup {
  private static final Logger log = LoggerFactory.getLogger(ApiStartup.class);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

  /** Sleeps between attempts (a back-off, not a synchronisation); tests record instead. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private ApiStartup() {}

  /** Whether waiting may cure this failure of a read. */
  static boolean transientFailure(KubernetesClientException e) {
    int code = e.getCode();
    return code == 0 || code == 429 || (code >= 500 && code <= 504);
  }

  /**
   * Runs each read (name → a list of one resource) until it succeeds or {@code timeout} has passed.
   *
   * @throws KubernetesClientException the first failure waiting cannot cure, or the last one when
   *     the time is up
   */
  public static void awaitServed(
      Map<String, Runnable> reads, Duration timeout, LongSupplier nanoTime, Pause pause)
      throws InterruptedException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    for (Map.Entry<String, Runnable> read : reads.entrySet()) {
      Duration backoff = FIRST_BACKOFF;
      String lastReason = null;
      while (true) {
        try {
          read.getValue().run();
          if (lastReason != null) {
            log.info("the API server serves {} now", read.getKey());
          }
          break;
        } catch (KubernetesClientException e) {
          if (!transientFailure(e) || nanoTime.getAsLong() - deadline >= 0) {
            throw e;
          }
          String reason =
              e.getCode()
                  + " "
                  + Objects.toString(
                      e.getStatus() == null ? null : e.getStatus().getMessage(), e.getMessage());
          if (!reason.equals(lastReason)) {
            log.warn(
                "waiting for the API server to serve {} (up to {} s in all): {}",
                read.getKey(),
                timeout.toSeconds(),
                reason);
            lastReason = reason;
          }
          pause.pause(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      }
    }
  }
}
