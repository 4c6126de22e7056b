package io.l2lb.bench;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.FailoverSimulation;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.util.ArrayList;
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
 * Placement at scale: 10,000 Services x 3 IPs over 500 nodes in 20 classes. {@code fullPlacement}:
 * everything from empty (operator's first start on a new cluster). {@code oneNodeFailover}: the
 * settled cluster with one node failed, as the operator computes it when that node's Lease expires.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class PlacementBenchmark {
  @Param("10000")
  public int services;

  @Param("500")
  public int nodes;

  @Param("20")
  public int classes;

  private Snapshot empty;
  private Snapshot settled;
  private PlacementResult settledResult;
  private Snapshot failed;

  @Setup(Level.Trial)
  public void setUp() {
    empty = cluster(services, nodes, classes);
    PlacementResult placed = PlacementEngine.compute(empty);
    settled = empty.withAnnouncements(FailoverSimulation.announcementsOf(placed));
    settledResult = PlacementEngine.compute(settled);
    failed = settled.withFailedNodes(Set.of("node-7"));
  }

  @Benchmark
  public PlacementResult fullPlacement() {
    return PlacementEngine.compute(empty);
  }

  /** The operator's path on a node event: only the failed node's class is recomputed. */
  @Benchmark
  public PlacementResult oneNodeFailover() {
    return PlacementEngine.update(settled, settledResult, failed);
  }

  /** The same failover computed from scratch, for comparison. */
  @Benchmark
  public PlacementResult oneNodeFailoverFullRecompute() {
    return PlacementEngine.compute(failed);
  }

  /** Class i selects nodes labelled class=c-i (nodes/classes of them) and owns 10.i.0.0/16. */
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
}
