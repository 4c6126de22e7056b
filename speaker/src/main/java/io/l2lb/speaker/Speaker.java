package io.l2lb.speaker;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.daemon.HttpEndpoints;
import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.AnnouncerConfig;
import io.l2lb.speaker.kube.KubeClusterView;
import io.l2lb.speaker.kube.KubeEventRecorder;
import io.l2lb.speaker.kube.KubeOwnershipCheck;
import io.l2lb.speaker.kube.KubeStatusWriter;
import io.l2lb.speaker.kube.LeaseKeeper;
import io.l2lb.speaker.reconcile.AnnouncerEvents;
import io.l2lb.speaker.reconcile.PortPool;
import io.l2lb.speaker.reconcile.Reconciler;
import io.l2lb.speaker.wire.InterfaceLocator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker wired together: Lease, informers, reconciler, announcer, ports, status and Events,
 * metrics and probes. {@link SpeakerMain} runs it on real interfaces; the integration tests run it
 * in-process with fake packet ports.
 */
public final class Speaker implements AutoCloseable {

  /** How a shutdown went, in milliseconds since it began. */
  public record ShutdownReport(
      long stoppedAnsweringMillis, long leaseReleasedMillis, boolean leaseReleased) {}

  private static final Logger log = LoggerFactory.getLogger(Speaker.class);
  private static final Duration NODE_REFRESH = Duration.ofSeconds(30);
  private static final Duration LEASE_RELEASE_TIMEOUT = Duration.ofSeconds(2);

  private final SpeakerConfig config;
  private final SpeakerMetrics metrics = new SpeakerMetrics();
  private final ExecutorService checks = Executors.newFixedThreadPool(2, daemon("ownership-check"));
  private final ScheduledExecutorService nodeRefresh =
      Executors.newSingleThreadScheduledExecutor(daemon("node-refresh"));
  private final KubeEventRecorder events;
  private final KubeStatusWriter status;
  private final ReconcileLoop loop;
  private final KubeClusterView view;
  private final Announcer announcer;
  private final PortPool ports;
  private final Reconciler reconciler;
  private final LeaseKeeper lease;
  private HttpEndpoints http;
  private volatile boolean loggedSynced;
  private volatile boolean stopping;

  private Speaker(
      SpeakerConfig config,
      KubernetesClient client,
      PortPool.Opener opener,
      InterfaceLocator interfaces) {
    this.config = config;
    String node = config.nodeName();
    Clock clock = Clock.systemUTC();
    this.events = new KubeEventRecorder(client, node, clock);
    this.status = new KubeStatusWriter(client);
    this.loop = new ReconcileLoop(this::pass, config.resyncInterval());
    this.view = new KubeClusterView(client, node, loop::request);
    KubeOwnershipCheck ownership =
        new KubeOwnershipCheck(client, node, config.fenceCheckTimeout(), checks);
    this.announcer =
        Announcer.builder()
            .config(
                AnnouncerConfig.defaults()
                    .withGarp(config.garpInterval(), config.garpDuration())
                    .withRefreshInterval(config.refreshInterval())
                    .withOwnershipCheckTimeout(config.fenceCheckTimeout()))
            .ownershipCheck(ownership)
            .metrics(metrics)
            .listener(new AnnouncerEvents(node, this::placedObjects, events, loop::request))
            .build();
    this.ports = new PortPool(opener, announcer::attach);
    this.reconciler =
        Reconciler.builder()
            .nodeName(node)
            .view(view)
            .announcer(announcer)
            .ports(ports)
            .interfaces(interfaces)
            .defaultInterface(config.defaultInterface())
            .status(status)
            .events(events)
            .recheck(ownership, config.resyncInterval())
            .clock(clock)
            .requestPass(loop::request)
            .build();
    this.lease =
        new LeaseKeeper(
            client,
            config.leaseNamespace(),
            node,
            config.leaseInterval(),
            config.leaseDuration(),
            metrics,
            clock);
    metrics.announcedIps(announcer::owned);
  }

  /**
   * Starts everything. Blocks only for one GET of the Node (bounded by the client's request
   * timeout), to check that a local interface holds its InternalIP.
   *
   * @throws StartupCheckFailed if the metrics port cannot be bound or no interface can announce
   */
  public static Speaker start(
      SpeakerConfig config,
      KubernetesClient client,
      PortPool.Opener opener,
      InterfaceLocator interfaces) {
    Speaker s = new Speaker(config, client, opener, interfaces);
    try {
      s.startParts(interfaces);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void startParts(InterfaceLocator interfaces) {
    try {
      http =
          new HttpEndpoints(
              config.metricsAddress(),
              config.metricsPort(),
              metrics.registry(),
              () -> new HttpEndpoints.Probe(!stopping, stopping ? "shutting down" : "alive"),
              this::readiness);
    } catch (IOException e) {
      throw new StartupCheckFailed(
          ExitCode.NO_METRICS_PORT,
          "cannot listen on "
              + config.metricsAddress()
              + ":"
              + config.metricsPort()
              + " for /metrics, /healthz, /readyz ("
              + e.getMessage()
              + "): another process holds the port? Set L2LB_METRICS_PORT / --metrics-port",
          e);
    }
    lease.start();
    view.start();
    if (view.refreshNode() && config.defaultInterface().isEmpty()) {
      requireInterfaceForInternalIp(interfaces);
    }
    nodeRefresh.scheduleWithFixedDelay(
        view::refreshNode, NODE_REFRESH.toMillis(), NODE_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    loop.start();
    log.info(
        "speaker started on node {}: Lease {}/{}, metrics and probes on port {}",
        config.nodeName(),
        config.leaseNamespace(),
        lease.leaseName(),
        http.port());
  }

  /**
   * Without hostNetwork the pod has its own interfaces and none holds the node's address:
   * announcing from there would reach nobody, so say so at once.
   */
  private void requireInterfaceForInternalIp(InterfaceLocator interfaces) {
    List<String> ips = view.nodeInternalIps();
    if (!ips.isEmpty() && ips.stream().noneMatch(ip -> interfaces.holding(ip).isPresent())) {
      throw new StartupCheckFailed(
          ExitCode.NO_INTERFACE,
          "no local interface holds the node's InternalIP "
              + String.join(", ", ips)
              + "; interfaces here: "
              + String.join(", ", interfaces.names())
              + ". Run with hostNetwork: true, or name the interface with L2LB_INTERFACE / --interface.");
    }
  }

  private List<AnnouncementObject> placedObjects(java.net.InetAddress ip) {
    return reconciler.placedObjects(ip);
  }

  private void pass() {
    if (!loggedSynced && view.synced()) {
      loggedSynced = true;
      log.info(
          "informers synced: {} L2Announcement(s) labelled for {}",
          view.announcements().size(),
          config.nodeName());
    }
    reconciler.reconcile();
  }

  private HttpEndpoints.Probe readiness() {
    boolean leaseFresh = lease.fresh();
    boolean synced = view.synced();
    String detail =
        "lease "
            + (leaseFresh ? "renewed " + lease.lastRenewed() : "not renewed recently")
            + ", informers "
            + (synced ? "synced" : "not synced");
    return new HttpEndpoints.Probe(leaseFresh && synced && !stopping, detail);
  }

  public boolean ready() {
    return readiness().ok();
  }

  public Announcer announcer() {
    return announcer;
  }

  public SpeakerMetrics metrics() {
    return metrics;
  }

  public LeaseKeeper lease() {
    return lease;
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * SIGTERM: the Lease delete goes out first and in parallel, since the operator moves the IPs only
   * once it sees the Lease gone; answering stops right after; the rest is cleanup.
   */
  public synchronized ShutdownReport shutdown() {
    long t0 = System.nanoTime();
    stopping = true;
    CompletableFuture<Long> released =
        CompletableFuture.supplyAsync(
            () -> lease.release(LEASE_RELEASE_TIMEOUT) ? System.nanoTime() : -1L,
            daemonExecutor("lease-release"));
    loop.close();
    announcer.close();
    long stopped = System.nanoTime();
    ports.close();
    long leaseAt;
    try {
      leaseAt = released.get(LEASE_RELEASE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      leaseAt = -1;
    }
    closeRest();
    ShutdownReport r =
        new ShutdownReport(
            (stopped - t0) / 1_000_000,
            leaseAt < 0 ? -1 : (leaseAt - t0) / 1_000_000,
            leaseAt >= 0);
    log.info(
        "shutdown: stopped answering after {} ms, Lease {} after {} ms",
        r.stoppedAnsweringMillis(),
        r.leaseReleased() ? "deleted" : "NOT deleted",
        r.leaseReleasedMillis());
    return r;
  }

  private void closeRest() {
    nodeRefresh.shutdownNow();
    view.close();
    status.close();
    events.close();
    checks.shutdownNow();
    lease.close();
    if (http != null) {
      http.close();
    }
  }

  /** Stops everything without releasing the Lease (a crash, as the operator sees it). */
  @Override
  public synchronized void close() {
    stopping = true;
    loop.close();
    announcer.close();
    ports.close();
    closeRest();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static java.util.concurrent.Executor daemonExecutor(String name) {
    return r -> daemon(name).newThread(r).start();
  }
}
