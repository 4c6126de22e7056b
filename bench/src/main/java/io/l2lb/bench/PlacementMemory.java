package io.l2lb.bench;

import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Set;

/**
 * Retained heap of a snapshot and its result at the scales of {@link PlacementBenchmark}: used heap
 * after full collections, measured while the objects are referenced, minus the same before they
 * were built.
 *
 * <pre>
 * java -Xmx3g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.l2lb.bench.PlacementMemory [scale...]
 * </pre>
 *
 * Prints a Markdown table. The steady state is what the operator holds between events: the settled
 * snapshot (announcements and ingress written, as its informer caches show them) and its result.
 */
public final class PlacementMemory {
  private PlacementMemory() {}

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  /** What is being measured; static so that nothing but this keeps it alive. */
  private static Object[] held = new Object[0];

  public static void main(String[] args) {
    String[] scales = args.length > 0 ? args : new String[] {"1000x50", "10000x500", "100000x5000"};
    System.out.println(
        "| Services × nodes | empty snapshot | + result from empty (first start) | settled"
            + " snapshot | + its result | **steady state: settled snapshot + result** | + one"
            + " failover's result, both held |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (String scale : scales) {
      String[] parts = scale.split("x");
      int services = Integer.parseInt(parts[0]);
      int nodes = Integer.parseInt(parts[1]);
      long[] first = firstStart(services, nodes);
      long[] steady = steadyState(services, nodes);
      System.out.printf(
          "| %,d × %,d | %s | %s | %s | %s | **%s** | %s |%n",
          services,
          nodes,
          mib(first[0]),
          mib(first[1]),
          mib(steady[0]),
          mib(steady[1]),
          mib(steady[0] + steady[1]),
          mib(steady[2]));
    }
  }

  /** Sizes of the empty snapshot and of the result computed from it. */
  private static long[] firstStart(int services, int nodes) {
    held = new Object[0];
    long base = usedAfterGc();
    held = new Object[] {PlacementBenchmark.cluster(services, nodes, 20)};
    long snapshot = usedAfterGc() - base;
    held = new Object[] {held[0], PlacementEngine.compute((Snapshot) held[0])};
    long result = usedAfterGc() - base - snapshot;
    held = new Object[0];
    return new long[] {snapshot, result};
  }

  /** Sizes of the settled snapshot, its result, and of the result of a failover on top. */
  private static long[] steadyState(int services, int nodes) {
    held = new Object[0];
    long base = usedAfterGc();
    held = new Object[] {settled(services, nodes)};
    long snapshot = usedAfterGc() - base;
    Snapshot settled = (Snapshot) held[0];
    held = new Object[] {settled, PlacementEngine.compute(settled)};
    long result = usedAfterGc() - base - snapshot;
    PlacementResult settledResult = (PlacementResult) held[1];
    held =
        new Object[] {
          settled,
          settledResult,
          PlacementEngine.update(settled, settledResult, settled.withFailedNodes(Set.of("node-7")))
        };
    long failover = usedAfterGc() - base - snapshot - result;
    held = new Object[0];
    return new long[] {snapshot, result, failover};
  }

  private static Snapshot settled(int services, int nodes) {
    Snapshot empty = PlacementBenchmark.cluster(services, nodes, 20);
    return PlacementBenchmark.settle(empty, PlacementEngine.compute(empty));
  }

  private static long usedAfterGc() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (used >= previous - 64 * 1024) {
        return Math.min(used, previous);
      }
      previous = used;
    }
    return previous;
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
