package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders for engine tests. */
final class Clusters {
  private Clusters() {}

  static final Map<String, String> FRONT = Map.of("node-role", "front");

  /** The product story: front-0..2 labelled front, one worker, class "front" with 51 addresses. */
  static Snapshot story(ServiceInfo... services) {
    return new Snapshot(
        List.of(ClassInfo.of("front", FRONT, "192.0.2.100-192.0.2.150").asDefault()),
        List.of(
            NodeInfo.healthy("front-0", FRONT),
            NodeInfo.healthy("front-1", FRONT),
            NodeInfo.healthy("front-2", FRONT),
            NodeInfo.healthy("worker-0", Map.of("node-role", "worker"))),
        List.of(services),
        List.of());
  }

  static ServiceInfo service(String name, int count) {
    return ServiceInfo.of(
        "default", name, Map.of(Annotations.EXTERNAL_IPS_COUNT, Integer.toString(count)));
  }

  static ServiceInfo service(String name, Map<String, String> annotations) {
    return ServiceInfo.of("default", name, annotations);
  }

  static ServiceKey key(String name) {
    return new ServiceKey("default", name);
  }

  /**
   * What the cluster looks like once the operator has written a result: announcements and ingress.
   */
  static Snapshot settle(Snapshot snapshot, PlacementResult result) {
    List<AnnouncementInfo> announcements = FailoverSimulation.announcementsOf(result);
    Map<ServiceKey, List<String>> ingress = new HashMap<>();
    result
        .services()
        .forEach((k, o) -> ingress.put(k, o.ips().stream().map(Object::toString).toList()));
    List<ServiceInfo> services = new ArrayList<>();
    for (ServiceInfo s : snapshot.services()) {
      services.add(s.withIngressIps(ingress.getOrDefault(s.key(), List.of())));
    }
    return new Snapshot(snapshot.classes(), snapshot.nodes(), services, announcements);
  }

  /** Computes and settles in one go. */
  static Snapshot run(Snapshot snapshot) {
    return settle(snapshot, PlacementEngine.compute(snapshot));
  }

  static Map<String, String> nodesByIp(PlacementResult result) {
    Map<String, String> byIp = new HashMap<>();
    for (Placement p : result.placements()) {
      byIp.put(p.ip().toString(), p.nodeName());
    }
    return byIp;
  }
}
