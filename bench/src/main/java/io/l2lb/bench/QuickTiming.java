package io.l2lb.bench;

import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.util.Set;

/**
 * A quick look without JMH's rigour, at one scale of {@link PlacementBenchmark}:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.l2lb.bench.QuickTiming [SERVICESxNODES] [update]
 * </pre>
 *
 * With {@code update}, it only runs the failover path in a loop (for a profiler).
 */
public final class QuickTiming {
  private QuickTiming() {}

  public static void main(String[] args) {
    String[] scale = (args.length > 0 ? args[0] : "10000x500").split("x");
    Snapshot empty =
        PlacementBenchmark.cluster(Integer.parseInt(scale[0]), Integer.parseInt(scale[1]), 20);
    Snapshot settled = PlacementBenchmark.settle(empty, PlacementEngine.compute(empty));
    PlacementResult settledResult = PlacementEngine.compute(settled);
    Snapshot failed = settled.withFailedNodes(Set.of("node-7"));
    if (args.length > 1 && args[1].equals("update")) {
      for (int i = 0; i < 2000; i++) {
        PlacementEngine.update(settled, settledResult, failed);
      }
      return;
    }
    for (int round = 0; round < 15; round++) {
      long t0 = System.nanoTime();
      PlacementEngine.compute(empty);
      long t1 = System.nanoTime();
      PlacementResult r = PlacementEngine.update(settled, settledResult, failed);
      long t2 = System.nanoTime();
      System.out.printf(
          "full %.1f ms, failover %.1f ms (%d changes)%n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, r.changes().size());
    }
  }
}
