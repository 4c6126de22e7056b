package io.l2lb.core.model;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The edge conversions from built-in Kubernetes objects (Node, Service, EndpointSlice) to the
 * engine's records. The operator and {@code kubectl l2lb simulate} both build their snapshot
 * through these, so the simulation sees exactly what the operator sees. Pure: model types only, no
 * client.
 */
public final class KubeObjects {
  private KubeObjects() {}

  /** Label of an EndpointSlice naming its Service (set by the EndpointSlice controller). */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** Only Services of this type are ever given to the engine. */
  public static boolean isLoadBalancer(Service service) {
    return service.getSpec() != null && "LoadBalancer".equals(service.getSpec().getType());
  }

  /**
   * A Node with its health facts: Ready is its Ready condition being True (False or Unknown or
   * missing is not ready), NetworkUnavailable is that condition being True.
   *
   * @param speakerAlive whether the node's speaker Lease is fresh (judged by the caller)
   */
  public static NodeInfo node(Node node, boolean speakerAlive) {
    Map<String, String> labels = node.getMetadata().getLabels();
    boolean ready = false;
    boolean networkUnavailable = false;
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      for (NodeCondition c : node.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          ready = "True".equals(c.getStatus());
        } else if ("NetworkUnavailable".equals(c.getType())) {
          networkUnavailable = "True".equals(c.getStatus());
        }
      }
    }
    return new NodeInfo(
        node.getMetadata().getName(), labels, ready, speakerAlive, networkUnavailable);
  }

  /**
   * A Service of type LoadBalancer.
   *
   * @param readyEndpointNodes nodes with a ready endpoint of the Service ({@link
   *     #readyEndpointNodes}); only read for {@code externalTrafficPolicy: Local}
   */
  public static ServiceInfo service(Service service, Set<String> readyEndpointNodes) {
    ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
    List<String> ports = new ArrayList<>();
    if (spec.getPorts() != null) {
      for (ServicePort p : spec.getPorts()) {
        ports.add((p.getProtocol() == null ? "TCP" : p.getProtocol()) + "/" + p.getPort());
      }
    }
    List<String> ingress = new ArrayList<>();
    if (service.getStatus() != null
        && service.getStatus().getLoadBalancer() != null
        && service.getStatus().getLoadBalancer().getIngress() != null) {
      for (LoadBalancerIngress i : service.getStatus().getLoadBalancer().getIngress()) {
        if (i.getIp() != null && !i.getIp().isEmpty()) {
          ingress.add(i.getIp());
        }
      }
    }
    return new ServiceInfo(
        new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName()),
        service.getMetadata().getUid(),
        spec.getLoadBalancerClass(),
        service.getMetadata().getAnnotations(),
        "Local".equals(spec.getExternalTrafficPolicy()),
        readyEndpointNodes,
        ports,
        ingress);
  }

  /**
   * Nodes that hold a ready endpoint in any of the given EndpointSlices (those of one Service). An
   * endpoint whose {@code ready} condition is unset counts as ready, as the EndpointSlice API says
   * consumers should; an endpoint without a nodeName counts for no node.
   */
  public static Set<String> readyEndpointNodes(Collection<EndpointSlice> slices) {
    Set<String> nodes = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      if (slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        boolean ready =
            e.getConditions() == null
                || e.getConditions().getReady() == null
                || e.getConditions().getReady();
        if (ready && e.getNodeName() != null && !e.getNodeName().isEmpty()) {
          nodes.add(e.getNodeName());
        }
      }
    }
    return nodes;
  }

  /** The Service an EndpointSlice belongs to, or null when it carries no service-name label. */
  public static ServiceKey serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return name == null ? null : new ServiceKey(slice.getMetadata().getNamespace(), name);
  }
}
