package io.l2lb.bench;

import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.FailoverSimulation;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.util.Set;

/** A quick look without JMH's rigour: java -cp benchmarks.jar io.l2lb.bench.QuickTiming */
public final class QuickTiming {
  public static void main(String[] args) {
    Snapshot empty = PlacementBenchmark.cluster(10_000, 500, 20);
    PlacementResult placed = PlacementEngine.compute(empty);
    Snapshot settled = empty.withAnnouncements(FailoverSimulation.announcementsOf(placed));
    PlacementResult settledResult = PlacementEngine.compute(settled);
    Snapshot failed = settled.withFailedNodes(Set.of("node-7"));
    if (args.length > 0 && args[0].equals("update")) {
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
