package io.l2lb.operator.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.KubeObjects;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The engine's snapshot of one pass, built from the caches through core's edge conversions ({@code
 * ClassInfo.from}, {@code KubeObjects}, {@code AnnouncementInfo.from}), but converting only what
 * changed: the record of a resource whose resourceVersion (and, for Nodes and Services, the
 * liveness or ready endpoints read with it) did not change since the last pass is the same object
 * as last time, and a list in which every record is the same is the same list. That is what makes
 * {@code PlacementEngine.update} cheap: it compares by identity first, so a pass after one node
 * event compares references, not 100,000 Services field by field.
 *
 * <p>Not thread-safe: one pass at a time (the controller's reconcile is serialized). A new term as
 * leader starts with a new builder.
 */
public final class SnapshotBuilder {

  /** One cached conversion: what it was made from, and the record. */
  private record Entry<R>(String resourceVersion, Object extra, R record) {}

  /** One kind of resource: its converted records by key, and the last list handed out. */
  private static final class Kind<R> {
    private Map<String, Entry<R>> byKey = new HashMap<>();
    private List<R> last = List.of();
    private final Comparator<R> order;

    Kind(Comparator<R> order) {
      this.order = order;
    }

    /**
     * @param extra what besides the resourceVersion the record depends on (null: nothing)
     * @param convert null when the resource yields no record
     */
    <T extends HasMetadata> List<R> list(
        List<T> resources, Function<T, Object> extra, BiFunction<T, Object, R> convert) {
      Map<String, Entry<R>> next = new HashMap<>(resources.size() * 4 / 3 + 1);
      List<R> records = new ArrayList<>(resources.size());
      boolean allReused = true;
      for (T r : resources) {
        String key = key(r);
        String rv = r.getMetadata().getResourceVersion();
        Object x = extra == null ? null : extra.apply(r);
        Entry<R> e = byKey.get(key);
        if (e == null
            || rv == null
            || !rv.equals(e.resourceVersion())
            || !Objects.equals(x, e.extra())) {
          e = new Entry<>(rv, x, convert.apply(r, x));
          allReused = false;
        }
        next.put(key, e);
        if (e.record() != null) {
          records.add(e.record());
        }
      }
      byKey = next;
      if (allReused && records.size() == last.size()) {
        return last; // the same records: the same (sorted) list as last time
      }
      records.sort(order);
      last = List.copyOf(records);
      return last;
    }
  }

  private static String key(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName();
  }

  public static final Comparator<AnnouncementInfo> ANNOUNCEMENT_ORDER =
      Comparator.comparing(AnnouncementInfo::service)
          .thenComparing(AnnouncementInfo::ip)
          .thenComparing(a -> a.nodeName() == null ? "" : a.nodeName());

  private final Kind<ClassInfo> classes = new Kind<>(Comparator.comparing(ClassInfo::name));
  private final Kind<NodeInfo> nodes = new Kind<>(Comparator.comparing(NodeInfo::name));
  private final Kind<ServiceInfo> services = new Kind<>(Comparator.comparing(ServiceInfo::key));
  private final Kind<AnnouncementInfo> announcements = new Kind<>(ANNOUNCEMENT_ORDER);
  private Snapshot last;

  public Snapshot build(ClusterState state) {
    List<ClassInfo> c =
        classes.list(
            state.classes(), null, (MetalLoadBalancerClass x, Object none) -> ClassInfo.from(x));
    List<NodeInfo> n =
        nodes.list(
            state.nodes(),
            (Node x) -> state.speakerAlive().test(x.getMetadata().getName()),
            (Node x, Object alive) -> KubeObjects.node(x, (Boolean) alive));
    List<ServiceInfo> s =
        services.list(
            state.services(),
            (Service x) -> readyNodes(state, x),
            (Service x, Object ready) ->
                KubeObjects.isLoadBalancer(x)
                    ? KubeObjects.service(x, ready == null ? Set.of() : castSet(ready))
                    : null);
    List<AnnouncementInfo> a =
        announcements.list(
            state.announcements(),
            null,
            (L2Announcement x, Object none) -> AnnouncementInfo.from(x));
    if (last != null
        && last.classes() == c
        && last.nodes() == n
        && last.services() == s
        && last.announcements() == a) {
      return last;
    }
    last = new Snapshot(c, n, s, a);
    return last;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> castSet(Object o) {
    return (Set<String>) o;
  }

  /** The ready endpoint nodes a Local LoadBalancer Service's record depends on; else null. */
  private static Set<String> readyNodes(ClusterState state, Service s) {
    if (!KubeObjects.isLoadBalancer(s) || !"Local".equals(s.getSpec().getExternalTrafficPolicy())) {
      return null;
    }
    return state
        .readyEndpointNodes()
        .getOrDefault(
            new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName()), Set.of());
  }
}
