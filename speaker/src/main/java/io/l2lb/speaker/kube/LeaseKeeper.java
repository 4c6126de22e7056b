package io.l2lb.speaker.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.l2lb.core.Names;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the coordination.k8s.io Lease {@code l2lb-speaker-<node>} fresh: the operator's proof that
 * this node's speaker lives. Renewed every interval by a JSON merge patch of holderIdentity,
 * leaseDurationSeconds and renewTime (no read-modify-write, so nothing to conflict with), created
 * when missing.
 *
 * <p>Release = delete. The operator treats a missing Lease like an expired one, and a delete is one
 * request that needs no current resourceVersion, so it is the quickest way to say "gone" on
 * SIGTERM.
 */
public final class LeaseKeeper implements AutoCloseable {

  /** Renewal outcomes, for metrics. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void renewed() {}

    default void failed() {}
  }

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** MicroTime: RFC 3339 with exactly six fraction digits, as the API server writes it. */
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX");

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  /** Names the Lease for a patch; its content is never sent. */
  private final Lease ref;

  private final String holder;
  private final Duration interval;
  private final Duration duration;
  private final Listener listener;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile Instant lastRenewed;
  private volatile boolean released;
  private ScheduledFuture<?> task;
  private String lastError;

  public LeaseKeeper(
      KubernetesClient client,
      String namespace,
      String nodeName,
      Duration interval,
      Duration duration,
      Listener listener,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = Names.speakerLeaseName(nodeName);
    this.ref =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .build();
    this.holder = nodeName;
    this.interval = interval;
    this.duration = duration;
    this.listener = listener;
    this.clock = clock;
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "lease-renew");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  public String leaseName() {
    return name;
  }

  /** Renews now and then every interval (fixed delay: a slow API never piles up renewals). */
  public synchronized void start() {
    if (task == null) {
      task =
          timer.scheduleWithFixedDelay(
              this::renewQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      listener.failed();
      String msg = Errors.describe(e);
      if (!msg.equals(lastError)) { // one line per kind of failure, not one per second
        log.warn("renewing Lease {}/{} failed: {}", namespace, name, msg);
        lastError = msg;
      }
    }
  }

  /** One renewal; throws when the API server refuses or is unreachable. */
  void renew() {
    if (released) {
      return;
    }
    Instant now = clock.instant();
    String time = MICRO_TIME.format(now.atZone(ZoneOffset.UTC));
    String patch =
        "{\"spec\":{\"holderIdentity\":\""
            + holder
            + "\",\"leaseDurationSeconds\":"
            + Math.max(1, duration.toSeconds())
            + ",\"renewTime\":\""
            + time
            + "\"}}";
    try {
      // through an item, not withName(): fabric8 GETs a named resource before patching it,
      // which would double the requests (and need a "get" the RBAC does not grant)
      client
          .leases()
          .inNamespace(namespace)
          .resource(ref)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      create(now);
    }
    renewals.incrementAndGet();
    lastRenewed = now;
    lastError = null;
    listener.renewed();
  }

  private void create(Instant now) {
    if (released) {
      return;
    }
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(Names.Labels.MANAGED_BY, Names.Labels.MANAGED_BY_VALUE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
            .withAcquireTime(at)
            .withRenewTime(at)
            .endSpec()
            .build();
    client.leases().inNamespace(namespace).resource(lease).create();
    log.info("created Lease {}/{}", namespace, name);
    if (released) {
      deleteLease(); // release() ran while the create was in flight and may have deleted nothing
    }
  }

  public Instant lastRenewed() {
    return lastRenewed;
  }

  /** Renewed within the lease duration, i.e. the operator currently sees this speaker as alive. */
  public boolean fresh() {
    Instant last = lastRenewed;
    return last != null
        && !released
        && Duration.between(last, clock.instant()).compareTo(duration) < 0;
  }

  public long renewals() {
    return renewals.get();
  }

  public long failures() {
    return failures.get();
  }

  /**
   * Stops renewing and deletes the Lease, waiting at most {@code timeout}.
   *
   * @return whether the Lease is known to be gone
   */
  public boolean release(Duration timeout) {
    released = true;
    synchronized (this) {
      if (task != null) {
        task.cancel(false); // a renewal in flight cannot recreate it: create() checks `released`
      }
    }
    timer.shutdown();
    CompletableFuture<Boolean> delete =
        CompletableFuture.supplyAsync(this::deleteLease, LeaseKeeper::daemon);
    try {
      return delete.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "deleting Lease {}/{} did not finish within {} ms", namespace, name, timeout.toMillis());
      return false;
    } catch (Exception e) {
      log.warn("deleting Lease {}/{} failed: {}", namespace, name, Errors.describe(e));
      return false;
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "lease-release");
    t.setDaemon(true);
    t.start();
  }

  private boolean deleteLease() {
    try {
      client.leases().inNamespace(namespace).withName(name).delete();
      log.info("released Lease {}/{} (deleted)", namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
