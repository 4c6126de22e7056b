package io.l2lb.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.KubeObjects;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import io.l2lb.operator.kube.ApiWriter;
import io.l2lb.operator.kube.Overlays;
import io.l2lb.operator.kube.SpeakerLiveness;
import io.l2lb.operator.plan.ClusterState;
import io.l2lb.operator.plan.Plan;
import io.l2lb.operator.plan.Planner;
import io.l2lb.operator.plan.SnapshotBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one controller. JOSDK runs one reconcile per primary resource at a time and coalesces the
 * events that arrive meanwhile into one follow-up reconcile; the placement is one computation over
 * the whole cluster, so every event source maps to one and the same primary: the operator's own
 * Namespace (it always exists where the operator runs, and a field selector makes the informer
 * watch that one object). Each reconcile is one pass of the global loop: read the caches, run the
 * engine ({@code update} when only nodes changed, else {@code compute}), write the difference.
 *
 * <p>Events only mark the loop dirty, and most are dropped before that: echoes of the operator's
 * own writes, speaker status writes, Node heartbeats, EndpointSlice churn that does not change a
 * Local Service's ready nodes, and Lease renewals that do not flip a node's liveness.
 */
public final class PlacementController implements Reconciler<Namespace> {

  private static final Logger log = LoggerFactory.getLogger(PlacementController.class);
  static final String SLICES_BY_SERVICE = "service";
  static final Duration CONFLICT_RERUN = Duration.ofMillis(50);

  private final OperatorConfig config;
  private final ResourceID primary;
  private final Overlays overlays;
  private final SpeakerLiveness liveness;
  private final ApiWriter writer;
  private final OperatorMetrics metrics;
  private final Trigger trigger = new Trigger();

  private InformerEventSource<MetalLoadBalancerClass, Namespace> classes;
  private InformerEventSource<Node, Namespace> nodes;
  private InformerEventSource<Service, Namespace> services;
  private InformerEventSource<EndpointSlice, Namespace> slices;
  private InformerEventSource<L2Announcement, Namespace> announcements;
  private InformerEventSource<Lease, Namespace> leases;

  private Snapshot settled;
  private PlacementResult previous;
  private SnapshotBuilder snapshots = new SnapshotBuilder();

  /** Announcements releasing from a live node (namespace/name), since when (our clock). */
  private final Map<String, Long> releasingSince = new HashMap<>();

  private final ScheduledExecutorService passTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pass-timer");
            t.setDaemon(true);
            return t;
          });
  private long lastFullNanos;
  private volatile long passes;
  private volatile boolean dirtyAfterStart = true;

  public PlacementController(
      OperatorConfig config,
      Overlays overlays,
      SpeakerLiveness liveness,
      ApiWriter writer,
      OperatorMetrics metrics) {
    this.config = config;
    this.primary = new ResourceID(config.namespace());
    this.overlays = overlays;
    this.liveness = liveness;
    this.writer = writer;
    this.metrics = metrics;
    liveness.onFlip(trigger::fire);
  }

  /** Starts a new term: state is rebuilt from the caches, never from memory. */
  synchronized void forgetState() {
    settled = null;
    previous = null;
    snapshots = new SnapshotBuilder();
    releasingSince.clear();
    classWrittenAt.clear();
    overlays.clear();
  }

  void close() {
    passTimer.shutdownNow();
  }

  public long passes() {
    return passes;
  }

  private <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> source(
      Class<R> type, String name) {
    return InformerEventSourceConfiguration.from(type, Namespace.class)
        .withName(name)
        .withSecondaryToPrimaryMapper(r -> Set.of(primary));
  }

  @Override
  public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> ctx) {
    classes =
        new InformerEventSource<>(
            source(MetalLoadBalancerClass.class, "classes")
                .withOnAddFilter(c -> !overlays.classes.isEcho(c))
                .withOnUpdateFilter(
                    (n, o) ->
                        !overlays.classes.isEcho(n)
                            && (!Objects.equals(
                                    n.getMetadata().getGeneration(),
                                    o.getMetadata().getGeneration())
                                || !Objects.equals(
                                    n.getMetadata().getLabels(), o.getMetadata().getLabels())))
                .build(),
            ctx);
    nodes =
        new InformerEventSource<>(
            source(Node.class, "nodes")
                .withOnUpdateFilter(
                    (n, o) ->
                        !overlays.nodes.isEcho(n)
                            && !KubeObjects.node(n, true).equals(KubeObjects.node(o, true)))
                .build(),
            ctx);
    services =
        new InformerEventSource<>(
            source(Service.class, "services")
                .withWatchAllNamespaces()
                .withOnAddFilter(this::relevant)
                .withOnUpdateFilter(
                    (n, o) -> !overlays.services.isEcho(n) && (relevant(n) || relevant(o)))
                .withOnDeleteFilter((s, unknown) -> relevant(s))
                .build(),
            ctx);
    slices =
        new InformerEventSource<>(
            source(EndpointSlice.class, "endpointslices")
                .withWatchAllNamespaces()
                .withOnAddFilter(s -> localService(s) && !readyNodes(s).isEmpty())
                .withOnUpdateFilter(
                    (n, o) -> localService(n) && !readyNodes(n).equals(readyNodes(o)))
                .withOnDeleteFilter((s, unknown) -> localService(s))
                .build(),
            ctx);
    slices.addIndexers(
        Map.of(
            SLICES_BY_SERVICE,
            s -> {
              ServiceKey k = KubeObjects.serviceOf(s);
              return k == null ? List.of() : List.of(k.toString());
            }));
    announcements =
        new InformerEventSource<>(
            source(L2Announcement.class, "l2announcements")
                .withWatchAllNamespaces()
                .withOnAddFilter(a -> !overlays.announcements.isEcho(a))
                .withOnUpdateFilter(
                    (n, o) ->
                        !overlays.announcements.isEcho(n)
                            && (!sameDesiredFields(n, o) || releaseReported(n, o)))
                .withOnDeleteFilter((a, unknown) -> !overlays.announcements.isOwnDelete(a))
                .build(),
            ctx);
    leases =
        new InformerEventSource<>(
            source(Lease.class, "speaker-leases")
                .withNamespaces(config.speakerNamespace())
                .withOnAddFilter(liveness::observe)
                .withOnUpdateFilter((n, o) -> liveness.observe(n))
                .withOnDeleteFilter((l, unknown) -> liveness.deleted(l))
                .build(),
            ctx);
    return List.of(classes, nodes, services, slices, announcements, leases, trigger);
  }

  private boolean relevant(Service s) {
    return KubeObjects.isLoadBalancer(s)
        || (s.getStatus() != null
            && s.getStatus().getConditions() != null
            && s.getStatus().getConditions().stream()
                .anyMatch(
                    c ->
                        io.l2lb.core.Names.Conditions.SERVICE_CLASS.equals(c.getType())
                            || io.l2lb.core.Names.Conditions.ALL_PUBLIC_IPS_ASSIGNED.equals(
                                c.getType())));
  }

  private boolean localService(EndpointSlice slice) {
    ServiceKey k = KubeObjects.serviceOf(slice);
    if (k == null || services == null) {
      return false;
    }
    return services
        .get(new ResourceID(k.name(), k.namespace()))
        .map(
            s ->
                KubeObjects.isLoadBalancer(s)
                    && "Local".equals(s.getSpec().getExternalTrafficPolicy()))
        .orElse(false);
  }

  private static Set<String> readyNodes(EndpointSlice s) {
    return KubeObjects.readyEndpointNodes(List.of(s));
  }

  /**
   * A status write the operator waits for: the speaker of a releasing announcement's old node
   * reports it no longer answers (every other status write is the speaker's own business).
   */
  private static boolean releaseReported(L2Announcement n, L2Announcement o) {
    String label =
        n.getMetadata().getLabels() == null
            ? null
            : n.getMetadata().getLabels().get(io.l2lb.core.Names.Labels.ANNOUNCEMENT_NODE);
    String spec = n.getSpec() == null ? null : n.getSpec().getNodeName();
    return label != null && !label.equals(spec) && Planner.released(n) && !Planner.released(o);
  }

  private static boolean sameDesiredFields(L2Announcement n, L2Announcement o) {
    return Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels())
        && Objects.equals(
            n.getMetadata().getOwnerReferences(), o.getMetadata().getOwnerReferences())
        && specJson(n).equals(specJson(o));
  }

  private static String specJson(L2Announcement a) {
    return a.getSpec() == null
        ? ""
        : String.join(
            "|",
            String.valueOf(a.getSpec().getIp()),
            String.valueOf(a.getSpec().getNodeName()),
            a.getSpec().getServiceRef() == null
                ? ""
                : a.getSpec().getServiceRef().getName()
                    + "/"
                    + a.getSpec().getServiceRef().getUid(),
            String.valueOf(a.getSpec().getClassName()),
            String.valueOf(a.getSpec().getInterfaces()));
  }

  /** Everything the engine and the planner read, from the caches and our newer writes. */
  ClusterState read() {
    List<MetalLoadBalancerClass> cls = overlays.classes.merge(classes.list(x -> true).toList());
    List<Node> ns = overlays.nodes.merge(nodes.list(x -> true).toList());
    List<Service> svcs = overlays.services.merge(services.list(x -> true).toList());
    Map<ServiceKey, Set<String>> ready = new HashMap<>();
    for (Service s : svcs) {
      if (KubeObjects.isLoadBalancer(s) && "Local".equals(s.getSpec().getExternalTrafficPolicy())) {
        ServiceKey k = Planner.key(s);
        ready.put(
            k, KubeObjects.readyEndpointNodes(slices.byIndex(SLICES_BY_SERVICE, k.toString())));
      }
    }
    List<L2Announcement> anns =
        overlays.announcements.merge(announcements.list(x -> true).toList());
    liveness.sync(leases.list(x -> true).toList());
    return new ClusterState(cls, ns, svcs, ready, anns, liveness::alive);
  }

  @Override
  public synchronized UpdateControl<Namespace> reconcile(Namespace ns, Context<Namespace> ctx) {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      ClusterState state = read();
      Snapshot snapshot = snapshots.build(state);
      boolean full =
          settled == null
              || previous == null
              || t0 - lastFullNanos > config.resyncInterval().toNanos();
      PlacementResult result =
          full
              ? PlacementEngine.compute(snapshot)
              : PlacementEngine.update(settled, previous, snapshot);
      if (full) {
        lastFullNanos = t0;
      }
      long engineNanos = System.nanoTime() - t0;
      Plan plan = Planner.plan(state, snapshot, result, result != previous, Instant.now(), timing);
      ApiWriter.Outcome out = plan.isEmpty() ? new ApiWriter.Outcome(0, 0, 0) : writer.apply(plan);
      trackReleases(plan);
      trackClassWrites(plan);
      metrics.result(result);
      metrics.failovers(plan.failovers);
      passes++;
      long millis = (System.nanoTime() - t0) / 1_000_000;
      if (!plan.isEmpty() || dirtyAfterStart) {
        log.info(
            "pass engine={} services={} placements={} {} confirmed={} timedOut={} writes={}"
                + " conflicts={} failures={} engine_ms={} took_ms={}",
            full ? "compute" : "update",
            snapshot.services().size(),
            result.placements().size(),
            plan,
            plan.releasesConfirmed,
            plan.releasesTimedOut,
            out.writes(),
            out.conflicts(),
            out.failures(),
            engineNanos / 1_000_000,
            millis);
        dirtyAfterStart = false;
      }
      if (out.failures() > 0) {
        settled = null;
        throw new IllegalStateException(
            out.failures() + " write(s) failed; the pass is retried with backoff");
      }
      if (out.conflicts() > 0) {
        settled = null;
        ok = true;
        return UpdateControl.<Namespace>noUpdate().rescheduleAfter(CONFLICT_RERUN);
      }
      settled = Planner.settled(snapshot, result);
      previous = result;
      ok = true;
      return UpdateControl.noUpdate();
    } finally {
      metrics.reconciled((System.nanoTime() - t0) / 1e9);
      if (!ok) {
        metrics.reconcileError();
      }
    }
  }

  /** How often a class status is rewritten for its counts alone. */
  static final Duration CLASS_COUNTS_INTERVAL = Duration.ofSeconds(1);

  /** When each class's status was last written (our clock). */
  private final Map<String, Long> classWrittenAt = new HashMap<>();

  /** The clocks the planner reads: two-step moves unless the timeout is 0; class count pacing. */
  private final Planner.Timing timing =
      new Planner.Timing() {
        @Override
        public boolean twoStep() {
          return !config.releaseTimeout().isZero();
        }

        @Override
        public boolean releaseTimedOut(String key) {
          Long since = releasingSince.get(key);
          return since != null && System.nanoTime() - since >= config.releaseTimeout().toNanos();
        }

        @Override
        public boolean classCountsDue(String className) {
          Long at = classWrittenAt.get(className);
          return at == null || System.nanoTime() - at >= CLASS_COUNTS_INTERVAL.toNanos();
        }
      };

  /** Remembers the class status writes; a deferred count write gets a pass when it is due. */
  private void trackClassWrites(Plan plan) {
    long now = System.nanoTime();
    for (Plan.ClassStatus c : plan.classStatuses) {
      classWrittenAt.put(c.name(), now);
    }
    if (!plan.classCountsLater.isEmpty()) {
      long due = Long.MAX_VALUE;
      for (String name : plan.classCountsLater) {
        due =
            Math.min(due, classWrittenAt.getOrDefault(name, now) + CLASS_COUNTS_INTERVAL.toNanos());
      }
      passTimer.schedule(trigger::fire, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Starts the clock of every release this pass began (or found, after a restart) and stops the
   * others; a timer runs a pass when the first of them times out, not at the next unrelated event.
   */
  private void trackReleases(Plan plan) {
    releasingSince.keySet().retainAll(plan.releasing);
    long now = System.nanoTime();
    boolean added = false;
    for (String key : plan.releasing) {
      added |= releasingSince.putIfAbsent(key, now) == null;
    }
    if (added) {
      passTimer.schedule(trigger::fire, config.releaseTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * An event source with nothing to watch: the Lease expiry timer fires it, so an expiry starts a
   * pass at that instant and not at the next unrelated event.
   */
  final class Trigger extends AbstractEventSource<Lease, Namespace> {
    Trigger() {
      super(Lease.class, "lease-expiry");
    }

    void fire() {
      if (isRunning()) {
        getEventHandler().handleEvent(new Event(primary));
      }
    }

    @Override
    public Set<Lease> getSecondaryResources(Namespace primary) {
      return Set.of();
    }
  }
}
