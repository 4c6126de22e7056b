package io.l2lb.bench;

import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Set;
import javax.management.ObjectName;

/**
 * Retained heap of a snapshot and its result at the scales of {@link PlacementBenchmark}: the bytes
 * of live objects (the JVM's class histogram, {@code GC.class_histogram}, which collects first)
 * while they are referenced, minus the same before they were built.
 *
 * <pre>
 * java -Xmx3g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.l2lb.bench.PlacementMemory [SERVICESxNODES...]
 * </pre>
 *
 * Prints a Markdown table. Each figure is the range over three runs after a warm-up round: which
 * objects the JVM still counts right after a computation varies by a few MiB from run to run (a
 * reading is repeated until two in a row agree, which removes most of that). The steady state is
 * what the operator holds between events: the settled snapshot (announcements and ingress written,
 * as its informer caches show them) and its result.
 */
public final class PlacementMemory {
  private PlacementMemory() {}

  /** What is being measured; static so that nothing but this keeps it alive. */
  private static Object[] held = new Object[0];

  public static void main(String[] args) throws Exception {
    String[] scales = args.length > 0 ? args : new String[] {"1000x50", "10000x500", "100000x5000"};
    System.out.println(
        "| Services × nodes | first start: empty snapshot + its result | settled snapshot | its"
            + " result | **steady state: settled snapshot + its result** | one failover's result on"
            + " top (shares most of the previous) |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    measure(1000, 50); // warm-up: class loading and JIT data land in the heap once
    for (String scale : scales) {
      String[] parts = scale.split("x");
      int services = Integer.parseInt(parts[0]);
      int nodes = Integer.parseInt(parts[1]);
      long[][] runs = {
        measure(services, nodes), measure(services, nodes), measure(services, nodes)
      };
      System.out.printf(
          "| %,d × %,d | %s | %s | %s | **%s** | %s |%n",
          services,
          nodes,
          range(runs, 0),
          range(runs, 1),
          range(runs, 2),
          range(runs, 3),
          range(runs, 4));
    }
  }

  /**
   * First start total; settled snapshot, its result, both (steady state); what a failover result
   * adds.
   */
  private static long[] measure(int services, int nodes) throws Exception {
    held = new Object[0];
    long base = liveBytes();
    Snapshot empty = PlacementBenchmark.cluster(services, nodes, 20);
    held = new Object[] {empty, PlacementEngine.compute(empty)};
    long firstStart = liveBytes() - base;
    Snapshot settled = PlacementBenchmark.settle(empty, (PlacementResult) held[1]);
    empty = null;
    held = new Object[] {settled};
    long settledSnapshot = liveBytes() - base;
    held = new Object[] {settled, PlacementEngine.compute(settled)};
    long steady = liveBytes() - base;
    PlacementResult settledResult = (PlacementResult) held[1];
    held =
        new Object[] {
          settled,
          settledResult,
          PlacementEngine.update(settled, settledResult, settled.withFailedNodes(Set.of("node-7")))
        };
    long failover = liveBytes() - base - steady;
    held = new Object[0];
    return new long[] {firstStart, settledSnapshot, steady - settledSnapshot, steady, failover};
  }

  /**
   * Bytes of live objects after full collections ({@code System.gc()}: the histogram's own
   * collection does not always reclaim what a computation left), read until two readings in a row
   * agree within 256 KiB.
   */
  private static long liveBytes() throws Exception {
    System.gc();
    System.gc();
    long previous = histogramTotal();
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = histogramTotal();
      if (Math.abs(now - previous) < 256 * 1024) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private static long histogramTotal() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    String[] lines = histogram.strip().split("\n");
    String[] total = lines[lines.length - 1].trim().split("\\s+"); // "Total <instances> <bytes>"
    return Long.parseLong(total[2]);
  }

  private static String range(long[][] runs, int column) {
    long[] values = new long[runs.length];
    for (int r = 0; r < runs.length; r++) {
      values[r] = runs[r][column];
    }
    Arrays.sort(values);
    String lo = String.format("%.1f", values[0] / (1024.0 * 1024.0));
    String hi = String.format("%.1f", values[values.length - 1] / (1024.0 * 1024.0));
    return (lo.equals(hi) ? lo : lo + "–" + hi) + " MiB";
  }
}
