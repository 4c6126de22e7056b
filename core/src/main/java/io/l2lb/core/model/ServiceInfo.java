package io.l2lb.core.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Service of type LoadBalancer as the engine sees it. Services of other types are not passed in
 * at all.
 *
 * @param loadBalancerClass spec.loadBalancerClass, or null
 * @param localTrafficPolicy externalTrafficPolicy: Local
 * @param readyEndpointNodes nodes with a ready endpoint of this Service (used for Local)
 * @param ports "TCP/80"-style port keys (checked for clashes between Services sharing IPs)
 * @param ingressIps IPs currently in status.loadBalancer.ingress
 */
public record ServiceInfo(
    ServiceKey key,
    String uid,
    String loadBalancerClass,
    Map<String, String> annotations,
    boolean localTrafficPolicy,
    Set<String> readyEndpointNodes,
    List<String> ports,
    List<String> ingressIps) {

  public ServiceInfo {
    annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    readyEndpointNodes = Set.copyOf(readyEndpointNodes == null ? Set.of() : readyEndpointNodes);
    ports = List.copyOf(ports == null ? List.of() : ports);
    ingressIps = List.copyOf(ingressIps == null ? List.of() : ingressIps);
  }

  public static ServiceInfo of(String namespace, String name, Map<String, String> annotations) {
    return new ServiceInfo(
        new ServiceKey(namespace, name),
        namespace + "-" + name,
        null,
        annotations,
        false,
        Set.of(),
        List.of("TCP/80"),
        List.of());
  }

  public ServiceInfo withAnnotations(Map<String, String> value) {
    return new ServiceInfo(
        key,
        uid,
        loadBalancerClass,
        value,
        localTrafficPolicy,
        readyEndpointNodes,
        ports,
        ingressIps);
  }

  public ServiceInfo withLoadBalancerClass(String value) {
    return new ServiceInfo(
        key, uid, value, annotations, localTrafficPolicy, readyEndpointNodes, ports, ingressIps);
  }

  public ServiceInfo withLocalEndpoints(Set<String> nodes) {
    return new ServiceInfo(
        key, uid, loadBalancerClass, annotations, true, nodes, ports, ingressIps);
  }

  public ServiceInfo withIngressIps(List<String> value) {
    return new ServiceInfo(
        key,
        uid,
        loadBalancerClass,
        annotations,
        localTrafficPolicy,
        readyEndpointNodes,
        ports,
        value);
  }
}
