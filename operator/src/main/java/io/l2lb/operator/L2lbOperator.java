package io.l2lb.operator;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.l2lb.core.Names;
import io.l2lb.daemon.HttpEndpoints;
import io.l2lb.operator.kube.ApiWriter;
import io.l2lb.operator.kube.Overlays;
import io.l2lb.operator.kube.SpeakerLiveness;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator wired together: JOSDK with leader election (Lease {@code l2lb-operator-leader}), the
 * placement controller, the writer, speaker liveness, metrics and probes. {@link OperatorMain} runs
 * it as a program; the tests run it in-process too.
 *
 * <p>JOSDK starts every event source (informer) on every replica and only the event processing on
 * the leader ({@code Operator.start} → {@code ControllerManager.start(false)}; the leader callback
 * → {@code startEventProcessing}); events seen meanwhile are kept and handled on take-over, so a
 * standby has warm caches and its first pass as leader needs no list calls.
 */
public final class L2lbOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(L2lbOperator.class);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final OperatorMetrics metrics = new OperatorMetrics(leading::get);
  private final Overlays overlays = new Overlays();
  private final SpeakerLiveness liveness;
  private final ApiWriter writer;
  private final PlacementController controller;
  private final Operator operator;
  private volatile boolean synced;
  private volatile Runnable onLostLeadership = () -> {};
  private HttpEndpoints http;

  private L2lbOperator(OperatorConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
    this.liveness =
        new SpeakerLiveness(
            config.speakerLeaseDuration(),
            name -> client.leases().inNamespace(config.speakerNamespace()).withName(name).get());
    this.writer =
        new ApiWriter(client, config.writeConcurrency(), metrics, overlays, config.identity());
    this.controller = new PlacementController(config, overlays, liveness, writer, metrics);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(2)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withCacheSyncTimeout(Duration.ofMinutes(2))
                  .withReconciliationTerminationTimeout(STOP_TIMEOUT)
                  .checkingCRDAndValidateLocalModel(false);
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        Names.Components.OPERATOR_LEADER_LEASE,
                        config.namespace(),
                        config.leaseDuration(),
                        config.renewDeadline(),
                        config.retryPeriod(),
                        config.identity(),
                        new LeaderCallbacks(
                            this::startedLeading, this::stoppedLeading, this::newLeader),
                        false));
              }
            });
    operator.register(controller, controllerConfiguration());
    if (!config.leaderElection()) {
      leading.set(true);
    }
  }

  /**
   * JOSDK's defaults plus: a field selector so the primary informer watches only the operator's own
   * Namespace; no generation filtering (Namespaces have none); retries with backoff forever (a pass
   * is always safe to repeat); a full pass at least every resync interval.
   */
  private ControllerConfiguration<Namespace> controllerConfiguration() {
    ControllerConfiguration<Namespace> d =
        operator.getConfigurationService().getConfigurationFor(controller);
    InformerConfiguration<Namespace> informer =
        InformerConfiguration.builder(d.getInformerConfig())
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("metadata.name", config.namespace())))
            .buildForController();
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(200)
            .setIntervalMultiplier(2)
            .setMaxInterval(10_000)
            .withoutMaxAttempts();
    return new ResolvedControllerConfiguration<>(
        "placement",
        false,
        d.getAssociatedReconcilerClassName(),
        retry,
        d.getRateLimiter(),
        config.resyncInterval(),
        d.getFinalizerName(),
        java.util.Map.of(),
        Names.Components.OPERATOR_FIELD_MANAGER,
        d.getConfigurationService(),
        informer,
        false,
        null);
  }

  public static L2lbOperator start(OperatorConfig config, KubernetesClient client)
      throws IOException {
    L2lbOperator o = new L2lbOperator(config, client);
    try {
      o.http =
          new HttpEndpoints(
              config.metricsAddress(),
              config.metricsPort(),
              o.metrics.registry(),
              () ->
                  new HttpEndpoints.Probe(
                      !o.stopping.get(), o.stopping.get() ? "shutting down" : "alive"),
              o::readiness);
      o.operator.start();
      o.synced = true;
      log.info(
          "operator started identity={} namespace={} speakerNamespace={} leaderElection={}"
              + " metricsPort={}",
          config.identity(),
          config.namespace(),
          config.speakerNamespace(),
          config.leaderElection(),
          o.http.port());
      return o;
    } catch (IOException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  private HttpEndpoints.Probe readiness() {
    boolean ok = synced && !stopping.get();
    return new HttpEndpoints.Probe(
        ok,
        (synced ? "caches synced" : "caches not synced")
            + (leading.get() ? ", leader" : ", standby")
            + (stopping.get() ? ", shutting down" : ""));
  }

  private void startedLeading() {
    log.info("leadership acquired identity={} lease={}", config.identity(), leaseRef());
    controller.forgetState();
    leading.set(true);
  }

  private void stoppedLeading() {
    leading.set(false);
    if (stopping.get()) {
      log.info("leadership released identity={}", config.identity());
      return;
    }
    log.error(
        "leadership lost identity={} lease={}: exiting so that only one replica writes",
        config.identity(),
        leaseRef());
    onLostLeadership.run();
  }

  private void newLeader(String identity) {
    log.info("leader is identity={}", identity);
  }

  private String leaseRef() {
    return config.namespace() + "/" + Names.Components.OPERATOR_LEADER_LEASE;
  }

  /** What to do when leadership is lost without a shutdown (the program exits). */
  public void onLostLeadership(Runnable action) {
    this.onLostLeadership = action;
  }

  public boolean leading() {
    return leading.get();
  }

  public boolean ready() {
    return readiness().ok();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public long passes() {
    return controller.passes();
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * SIGTERM: stop reconciling (a running pass may finish its writes), then hand the leader Lease
   * back at once (holder cleared, as client-go's ReleaseOnCancel does) so a standby takes over at
   * its next retry instead of waiting for the Lease to expire.
   */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    boolean wasLeading = leading.get();
    try {
      operator.stop();
    } catch (RuntimeException e) {
      log.warn("stopping the controller: {}", e.toString());
    }
    boolean released = config.leaderElection() && wasLeading && releaseLease();
    closeRest();
    log.info(
        "shutdown took_ms={} leaseReleased={}", (System.nanoTime() - t0) / 1_000_000, released);
  }

  private boolean releaseLease() {
    try {
      Lease lease =
          client
              .leases()
              .inNamespace(config.namespace())
              .withName(Names.Components.OPERATOR_LEADER_LEASE)
              .get();
      if (lease == null
          || lease.getSpec() == null
          || !config.identity().equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(now);
      // update() sends the resourceVersion we read: a Lease a new leader took meanwhile is kept
      client.resource(lease).update();
      return true;
    } catch (RuntimeException e) {
      log.warn("could not release the leader Lease {}: {}", leaseRef(), e.toString());
      return false;
    }
  }

  private void closeRest() {
    controller.close();
    writer.close();
    liveness.close();
    if (http != null) {
      http.close();
    }
  }

  /** Stops without releasing the Lease (a crash, as the standby sees it). */
  @Override
  public void close() {
    stopping.set(true);
    try {
      operator.stop();
    } catch (RuntimeException e) {
      log.debug("stop: {}", e.toString());
    }
    closeRest();
  }
}
