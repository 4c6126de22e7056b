package io.l2lb.bench;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.FailoverSimulation;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placement at scale: {@code scale} = Services × nodes (each Service 3 IPs), in {@code classes}
 * classes. The default points are the scaling curve's diagonal, 1,000 Services over 50 nodes to
 * 100,000 over 5,000; any other point runs with {@code -p scale=100000x500}.
 *
 * <p>{@code fullPlacement}: everything from empty (operator's first start on a new cluster). {@code
 * oneNodeFailover}: the settled cluster with one node failed, through {@link
 * PlacementEngine#update} (previous: the settled cluster's own result), as the operator computes it
 * when that node's Lease expires. {@code oneNodeFailoverCopiedRecords}: the same when the records
 * are equal copies. {@code oneNodeFailoverFullRecompute}: the same through {@link
 * PlacementEngine#compute}, for comparison.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class PlacementBenchmark {
  /**
   * The cluster from empty. Each benchmark builds only the states it reads, so its heap holds what
   * the operator would hold at that moment (first start: the snapshot and the result being built).
   */
  @State(Scope.Benchmark)
  public static class Cluster {
    @Param({"1000x50", "10000x500", "100000x5000"})
    public String scale;

    @Param("20")
    public int classes;

    Snapshot empty;

    @Setup(Level.Trial)
    public void setUp() {
      String[] parts = scale.split("x");
      empty = cluster(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), classes);
    }
  }

  /** The cluster settled (announcements and ingress written), its result, and node-7 failed. */
  @State(Scope.Benchmark)
  public static class Settled {
    Snapshot settled;
    PlacementResult settledResult;
    Snapshot failed;

    @Setup(Level.Trial)
    public void setUp(Cluster cluster) {
      settled = settle(cluster.empty, PlacementEngine.compute(cluster.empty));
      settledResult = PlacementEngine.compute(settled);
      failed = settled.withFailedNodes(Set.of("node-7"));
    }
  }

  /** {@link Settled#failed} with every record an equal copy. */
  @State(Scope.Benchmark)
  public static class Copied {
    Snapshot failed;

    @Setup(Level.Trial)
    public void setUp(Settled settled) {
      failed = copied(settled.failed);
    }
  }

  @Benchmark
  public PlacementResult fullPlacement(Cluster cluster) {
    return PlacementEngine.compute(cluster.empty);
  }

  /** The operator's path on a node event: only the failed node's class is placed again. */
  @Benchmark
  public PlacementResult oneNodeFailover(Settled s) {
    return PlacementEngine.update(s.settled, s.settledResult, s.failed);
  }

  /**
   * The same failover, but every record of {@code next} is an equal copy, not the object {@code
   * before} holds (a caller that converts every resource on every pass): {@code update} then
   * compares every Service and announcement field by field.
   */
  @Benchmark
  public PlacementResult oneNodeFailoverCopiedRecords(Settled s, Copied copy) {
    return PlacementEngine.update(s.settled, s.settledResult, copy.failed);
  }

  /** The same failover computed from scratch, for comparison. */
  @Benchmark
  public PlacementResult oneNodeFailoverFullRecompute(Settled s) {
    return PlacementEngine.compute(s.failed);
  }

  /**
   * Class i selects nodes labelled class=c-i (nodes/classes of them) and owns 10.i.0.0/16 (room for
   * 100,000 Services × 3 IPs in 20 classes); Service s asks class s mod classes for 3 IPs.
   */
  public static Snapshot cluster(int serviceCount, int nodeCount, int classCount) {
    List<ClassInfo> classList = new ArrayList<>();
    for (int c = 0; c < classCount; c++) {
      classList.add(
          new ClassInfo(
              "c-" + c,
              c == 0,
              "L2",
              List.of("10." + c + ".0.0/16"),
              Map.of("class", "c-" + c),
              List.of()));
    }
    List<NodeInfo> nodeList = new ArrayList<>();
    for (int n = 0; n < nodeCount; n++) {
      nodeList.add(NodeInfo.healthy("node-" + n, Map.of("class", "c-" + (n % classCount))));
    }
    List<ServiceInfo> serviceList = new ArrayList<>();
    for (int s = 0; s < serviceCount; s++) {
      serviceList.add(
          ServiceInfo.of(
              "ns-" + (s % 50),
              "svc-" + s,
              Map.of(
                  Annotations.CLASS,
                  "c-" + (s % classCount),
                  Annotations.EXTERNAL_IPS_COUNT,
                  "3")));
    }
    return new Snapshot(classList, nodeList, serviceList, List.<AnnouncementInfo>of());
  }

  /** Equal copies of every Service, node and announcement (new strings, maps and lists too). */
  static Snapshot copied(Snapshot s) {
    List<ServiceInfo> services = new ArrayList<>(s.services().size());
    for (ServiceInfo x : s.services()) {
      services.add(
          new ServiceInfo(
              new ServiceKey(new String(x.key().namespace()), new String(x.key().name())),
              x.uid(),
              x.loadBalancerClass(),
              new HashMap<>(x.annotations()),
              x.localTrafficPolicy(),
              x.readyEndpointNodes(),
              x.ports(),
              new ArrayList<>(x.ingressIps())));
    }
    List<NodeInfo> nodes = new ArrayList<>(s.nodes().size());
    for (NodeInfo n : s.nodes()) {
      nodes.add(
          new NodeInfo(
              new String(n.name()),
              new HashMap<>(n.labels()),
              n.ready(),
              n.speakerAlive(),
              n.networkUnavailable()));
    }
    List<AnnouncementInfo> announcements = new ArrayList<>(s.announcements().size());
    for (AnnouncementInfo a : s.announcements()) {
      announcements.add(
          new AnnouncementInfo(
              new String(a.ip()),
              a.nodeName(),
              new ServiceKey(new String(a.service().namespace()), new String(a.service().name())),
              a.className()));
    }
    return new Snapshot(s.classes(), nodes, services, announcements);
  }

  /**
   * The snapshot once the operator has written {@code result}: one announcement per placement and
   * every Service's status.loadBalancer.ingress.
   */
  public static Snapshot settle(Snapshot snapshot, PlacementResult result) {
    Map<ServiceKey, List<String>> ingress = new HashMap<>();
    result
        .services()
        .forEach((k, o) -> ingress.put(k, o.ips().stream().map(Object::toString).toList()));
    List<ServiceInfo> services = new ArrayList<>(snapshot.services().size());
    for (ServiceInfo s : snapshot.services()) {
      services.add(s.withIngressIps(ingress.getOrDefault(s.key(), List.of())));
    }
    return new Snapshot(
        snapshot.classes(), snapshot.nodes(), services, FailoverSimulation.announcementsOf(result));
  }
}
