package io.l2lb.operator;

import io.l2lb.core.placement.ClassOutcome;
import io.l2lb.core.placement.Placement;
import io.l2lb.core.placement.PlacementResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The operator's Prometheus metrics, in a registry of its own. Gauges are read at scrape time from
 * the last pass's result, so a class or node that went away drops out of the next scrape.
 */
public final class OperatorMetrics {

  private record ClassCounts(long total, long allocated) {}

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter failovers =
      Counter.builder()
          .name("l2lb_operator_failovers")
          .help("IPs moved off a node that stopped being a candidate (Lease, Ready, network, ...)")
          .register(registry);
  private final Histogram reconcileDuration =
      Histogram.builder()
          .name("l2lb_operator_reconcile_duration_seconds")
          .help("one pass: read the caches, run the engine, write the difference")
          .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .register(registry);
  private final Counter reconcileErrors =
      Counter.builder()
          .name("l2lb_operator_reconcile_errors")
          .help("passes that failed (retried with backoff)")
          .register(registry);
  private final Counter writes =
      Counter.builder()
          .name("l2lb_operator_api_writes")
          .help("API write requests sent, by kind (retries count again)")
          .labelNames("kind")
          .register(registry);
  private final Counter writeErrors =
      Counter.builder()
          .name("l2lb_operator_api_write_errors")
          .help("API write requests that failed, by kind and HTTP code (conflict, io, 5xx...)")
          .labelNames("kind", "code")
          .register(registry);
  private final AtomicLong writesTotal = new AtomicLong();
  private volatile Map<String, ClassCounts> classes = Map.of();
  private volatile Map<String, Long> perNode = Map.of();

  public OperatorMetrics(BooleanSupplier leading) {
    for (String kind :
        new String[] {
          "announcement_apply",
          "announcement_delete",
          "service_status",
          "class_status",
          "node_label",
          "event"
        }) {
      writes.labelValues(kind);
    }
    GaugeWithCallback.builder()
        .name("l2lb_operator_pool_addresses")
        .help("usable addresses in the class's pool (capped at 2^63-1)")
        .labelNames("class")
        .callback(cb -> classes.forEach((k, v) -> cb.call(v.total(), k)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("l2lb_operator_addresses_allocated")
        .help("addresses of the class held by Services")
        .labelNames("class")
        .callback(cb -> classes.forEach((k, v) -> cb.call(v.allocated(), k)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("l2lb_operator_announcements")
        .help("IPs placed on the node (L2Announcements with spec.nodeName = node)")
        .labelNames("node")
        .callback(cb -> perNode.forEach((k, v) -> cb.call(v, k)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("l2lb_operator_leader")
        .help("1 while this replica is the leader (it alone writes)")
        .callback(cb -> cb.call(leading.getAsBoolean() ? 1 : 0))
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void result(PlacementResult result) {
    Map<String, ClassCounts> c = new TreeMap<>();
    for (ClassOutcome o : result.classes().values()) {
      c.put(o.name(), new ClassCounts(o.totalSaturated(), o.allocated()));
    }
    Map<String, Long> n = new TreeMap<>();
    for (Placement p : result.placements()) {
      if (p.nodeName() != null) {
        n.merge(p.nodeName(), 1L, Long::sum);
      }
    }
    classes = c;
    perNode = n;
  }

  public void failovers(int count) {
    if (count > 0) {
      failovers.inc(count);
    }
  }

  public void reconciled(double seconds) {
    reconcileDuration.observe(seconds);
  }

  public void reconcileError() {
    reconcileErrors.inc();
  }

  public void write(String kind) {
    writes.labelValues(kind).inc();
    writesTotal.incrementAndGet();
  }

  public void writeError(String kind, String code) {
    writeErrors.labelValues(kind, code).inc();
  }

  /** Every write request sent since start (for tests and the benchmark). */
  public long writesTotal() {
    return writesTotal.get();
  }
}
