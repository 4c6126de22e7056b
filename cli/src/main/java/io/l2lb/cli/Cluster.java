package io.l2lb.cli;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.KubeObjects;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the cluster into core's records, through the same edge conversions the operator uses
 * (ClassInfo.from, KubeObjects, AnnouncementInfo.from): what the API returns is turned into
 * fabric8's typed objects first, so the CLI and the operator see the same thing.
 */
public final class Cluster {
  private static KubernetesSerialization serialization;

  private final Api api;

  public Cluster(Api api) {
    this.api = api;
  }

  /** fabric8's Jackson set-up, made once and only by the commands that need typed objects. */
  public static synchronized KubernetesSerialization serialization() {
    if (serialization == null) {
      serialization = new KubernetesSerialization();
    }
    return serialization;
  }

  public static <T> T typed(Map<String, Object> json, Class<T> type) {
    return serialization().unmarshal(Json.write(json), type);
  }

  public List<Map<String, Object>> classObjects() {
    return api.list(Res.CLASSES);
  }

  public List<ClassInfo> classes() {
    List<ClassInfo> out = new ArrayList<>();
    for (Map<String, Object> o : classObjects()) {
      out.add(ClassInfo.from(typed(o, MetalLoadBalancerClass.class)));
    }
    return out;
  }

  public List<Map<String, Object>> nodeObjects() {
    return api.list(Res.NODES);
  }

  /**
   * Nodes with their health; a node's speaker counts as alive when its Lease was renewed within its
   * duration, judged on this machine's clock (the operator judges on its own).
   */
  public List<NodeInfo> nodes(Clock clock) {
    Map<String, Boolean> alive = speakerLeases(clock);
    List<NodeInfo> out = new ArrayList<>();
    for (Map<String, Object> o : nodeObjects()) {
      Node n = typed(o, Node.class);
      out.add(KubeObjects.node(n, alive.getOrDefault(n.getMetadata().getName(), false)));
    }
    return out;
  }

  /** Node name to "its speaker Lease is fresh". */
  public Map<String, Boolean> speakerLeases(Clock clock) {
    Map<String, Boolean> out = new HashMap<>();
    List<Map<String, Object>> leases;
    try {
      leases = api.list(Res.leases(Names.Components.NAMESPACE));
    } catch (ApiException e) {
      if (e.code() == 404 || e.code() == 403) {
        return out;
      }
      throw e;
    }
    String prefix = Names.speakerLeaseName("");
    for (Map<String, Object> l : leases) {
      String name = Json.str(l, "metadata", "name");
      if (name != null && name.startsWith(prefix)) {
        out.put(name.substring(prefix.length()), fresh(l, clock));
      }
    }
    return out;
  }

  /** How long ago a Lease was renewed, or null when it never was. */
  public static Duration leaseAge(Map<String, Object> lease, Clock clock) {
    String renew = Json.str(lease, "spec", "renewTime");
    if (renew == null) {
      renew = Json.str(lease, "spec", "acquireTime");
    }
    if (renew == null) {
      return null;
    }
    try {
      return Duration.between(Instant.parse(renew), clock.instant());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static boolean fresh(Map<String, Object> lease, Clock clock) {
    Duration age = leaseAge(lease, clock);
    Object d = Json.at(lease, "spec", "leaseDurationSeconds");
    long duration = d instanceof Number n ? n.longValue() : 0;
    return age != null && age.getSeconds() <= duration;
  }

  /** LoadBalancer Services of all namespaces, with their ready endpoint nodes. */
  public List<ServiceInfo> services() {
    Map<ServiceKey, List<EndpointSlice>> slices = new HashMap<>();
    for (Map<String, Object> o : api.list(Res.endpointSlices(null))) {
      EndpointSlice s = typed(o, EndpointSlice.class);
      ServiceKey k = KubeObjects.serviceOf(s);
      if (k != null) {
        slices.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
      }
    }
    List<ServiceInfo> out = new ArrayList<>();
    for (Map<String, Object> o : api.list(Res.services(null))) {
      Service s = typed(o, Service.class);
      if (!KubeObjects.isLoadBalancer(s)) {
        continue;
      }
      ServiceKey k = new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
      Set<String> ready = KubeObjects.readyEndpointNodes(slices.getOrDefault(k, List.of()));
      out.add(KubeObjects.service(s, ready));
    }
    return out;
  }

  public List<AnnouncementInfo> announcements() {
    List<AnnouncementInfo> out = new ArrayList<>();
    for (Map<String, Object> o : api.list(Res.announcements(null))) {
      AnnouncementInfo a = AnnouncementInfo.from(typed(o, L2Announcement.class));
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  /** Everything the placement engine reads, as the operator would see it now. */
  public Snapshot snapshot(Clock clock) {
    return new Snapshot(classes(), nodes(clock), services(), announcements());
  }
}
