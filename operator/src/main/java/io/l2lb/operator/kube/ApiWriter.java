package io.l2lb.operator.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.operator.OperatorMetrics;
import io.l2lb.operator.plan.Plan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Plan}: each group in parallel on a bounded pool, the groups in order. Transient
 * API errors (no connection, 429, 5xx) are retried with backoff; a conflict (someone changed the
 * object since the cache showed it) is not: the pass is re-run on fresh caches, so no decision is
 * lost and none is made on stale data. Every successful write is recorded in the overlays.
 */
public final class ApiWriter implements AutoCloseable {

  /** How one plan went: conflicts ask for a re-run, failures for a retry with backoff. */
  public record Outcome(int writes, int conflicts, int failures) {}

  private static final Logger log = LoggerFactory.getLogger(ApiWriter.class);
  static final int ATTEMPTS = 4;
  static final long FIRST_BACKOFF_MILLIS = 100;

  private final KubernetesClient client;
  private final ExecutorService pool;
  private final OperatorMetrics metrics;
  private final Overlays overlays;
  private final String identity;
  private final AtomicLong eventSeq = new AtomicLong();

  public ApiWriter(
      KubernetesClient client,
      int concurrency,
      OperatorMetrics metrics,
      Overlays overlays,
      String identity) {
    this.client = client;
    this.metrics = metrics;
    this.overlays = overlays;
    this.identity = identity;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "api-write-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public Outcome apply(Plan plan) {
    AtomicInteger writes = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    Counter c = new Counter(writes, conflicts, failures);
    run(c, plan.deletes, this::delete);
    run(c, plan.applies, this::apply);
    List<Callable<Void>> rest = new ArrayList<>();
    for (Plan.ServiceStatus s : plan.serviceStatuses) {
      rest.add(task(c, "service_status", () -> serviceStatus(s)));
    }
    for (Plan.ClassStatus s : plan.classStatuses) {
      rest.add(task(c, "class_status", () -> classStatus(s)));
    }
    for (Plan.NodeLabel l : plan.nodeLabels) {
      rest.add(task(c, "node_label", () -> nodeLabel(l)));
    }
    invokeAll(rest);
    // Events last: they describe what is now in place
    List<Callable<Void>> events = new ArrayList<>();
    for (Plan.Event e : plan.events) {
      events.add(task(c, "event", () -> event(e)));
    }
    invokeAll(events);
    return new Outcome(writes.get(), conflicts.get(), failures.get());
  }

  private record Counter(AtomicInteger writes, AtomicInteger conflicts, AtomicInteger failures) {}

  private interface Write<T> {
    void write(T item);
  }

  private <T> void run(Counter c, List<T> items, Write<T> write) {
    List<Callable<Void>> tasks = new ArrayList<>();
    String kind = items == null || items.isEmpty() ? "" : kindOf(items.get(0));
    for (T item : items) {
      tasks.add(task(c, kind, () -> write.write(item)));
    }
    invokeAll(tasks);
  }

  private static String kindOf(Object o) {
    return o instanceof Plan.DeleteAnnouncement ? "announcement_delete" : "announcement_apply";
  }

  private Callable<Void> task(Counter c, String kind, Runnable body) {
    return () -> {
      long backoff = FIRST_BACKOFF_MILLIS;
      for (int attempt = 1; ; attempt++) {
        try {
          c.writes().incrementAndGet();
          metrics.write(kind);
          body.run();
          return null;
        } catch (KubernetesClientException e) {
          int code = e.getCode();
          if (code == 409) {
            c.conflicts().incrementAndGet();
            metrics.writeError(kind, "conflict");
            log.info("write conflict kind={} ({}): the pass runs again", kind, brief(e));
            return null;
          }
          boolean transient_ = code == 0 || code == 429 || code >= 500;
          if (!transient_ || attempt >= ATTEMPTS) {
            c.failures().incrementAndGet();
            metrics.writeError(kind, code == 0 ? "io" : String.valueOf(code));
            log.warn("write failed kind={} code={} attempt={}: {}", kind, code, attempt, brief(e));
            return null;
          }
          metrics.writeError(kind, code == 0 ? "io" : String.valueOf(code));
          sleep(backoff);
          backoff *= 2;
        } catch (RuntimeException e) {
          c.failures().incrementAndGet();
          metrics.writeError(kind, "error");
          log.warn("write failed kind={}: {}", kind, e.toString());
          return null;
        }
      }
    };
  }

  private static String brief(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void invokeAll(List<Callable<Void>> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    try {
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static PatchContext apply() {
    PatchContext ctx = PatchContext.of(PatchType.SERVER_SIDE_APPLY);
    ctx.setFieldManager(Names.Components.OPERATOR_FIELD_MANAGER);
    ctx.setForce(true);
    return ctx;
  }

  private String json(Object body) {
    return client.getKubernetesSerialization().asJson(body);
  }

  private void delete(Plan.DeleteAnnouncement d) {
    client.resources(L2Announcement.class).inNamespace(d.namespace()).withName(d.name()).delete();
    overlays.announcements.deleted(d.namespace(), d.name(), d.resourceVersion());
  }

  private void apply(Plan.ApplyAnnouncement a) {
    // server-side apply creates or updates in one request; resourceVersion (when the object
    // exists) makes it fail with a conflict if the object changed since the cache showed it
    L2Announcement desired =
        client.getKubernetesSerialization().convertValue(a.body(), L2Announcement.class);
    L2Announcement written =
        client
            .resource(desired)
            .fieldManager(Names.Components.OPERATOR_FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
    overlays.announcements.written(written);
  }

  // Patches go through an item naming the object, never withName(): fabric8 GETs a named resource
  // before it patches it, a second request per write.

  private void serviceStatus(Plan.ServiceStatus s) {
    Service ref =
        new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata()
            .withNamespace(s.service().namespace())
            .withName(s.service().name())
            .endMetadata()
            .build();
    Service written =
        client
            .services()
            .inNamespace(s.service().namespace())
            .resource(ref)
            .subresource("status")
            .patch(apply(), json(s.body()));
    overlays.services.written(written);
  }

  private void classStatus(Plan.ClassStatus s) {
    MetalLoadBalancerClass ref = new MetalLoadBalancerClass();
    ref.getMetadata().setName(s.name());
    MetalLoadBalancerClass written =
        client
            .resources(MetalLoadBalancerClass.class)
            .resource(ref)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), json(s.body()));
    overlays.classes.written(written);
  }

  private void nodeLabel(Plan.NodeLabel l) {
    Map<String, Object> labels = new HashMap<>();
    labels.put(Names.Labels.MEMBER, l.value());
    Node ref =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName(l.node())
            .endMetadata()
            .build();
    Node written =
        client
            .nodes()
            .resource(ref)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                json(Map.of("metadata", Map.of("labels", labels))));
    overlays.nodes.written(written);
  }

  private void event(Plan.Event e) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(e.namespace())
            .withName(
                e.involvedName()
                    + "."
                    + Long.toHexString(System.currentTimeMillis())
                    + Long.toHexString(eventSeq.incrementAndGet()))
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(e.involvedApiVersion())
            .withKind(e.involvedKind())
            .withName(e.involvedName())
            .withNamespace("Service".equals(e.involvedKind()) ? e.namespace() : null)
            .withUid(e.involvedUid())
            .endInvolvedObject()
            .withType(e.type())
            .withReason(e.reason())
            .withMessage(e.message())
            .withNewSource()
            .withComponent(Names.Components.OPERATOR_FIELD_MANAGER)
            .endSource()
            .withReportingComponent(Names.Components.OPERATOR_FIELD_MANAGER)
            .withReportingInstance(identity)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    client.v1().events().inNamespace(e.namespace()).resource(event).create();
    log.info(
        "event type={} reason={} object={}/{} message=\"{}\"",
        e.type(),
        e.reason(),
        e.namespace(),
        e.involvedName(),
        e.message());
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
