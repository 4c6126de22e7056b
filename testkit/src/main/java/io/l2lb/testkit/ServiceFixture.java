package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Service, {@code type: LoadBalancer} unless told otherwise; the API server allocates cluster IP
 * and node ports.
 */
public final class ServiceFixture {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final Map<String, String> selector = new LinkedHashMap<>();
  private final List<ServicePort> ports = new ArrayList<>();
  private String type = "LoadBalancer";
  private String loadBalancerClass;
  private String externalTrafficPolicy;
  private String ipFamilyPolicy;
  private List<String> ipFamilies;

  ServiceFixture(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = Objects.requireNonNull(name);
  }

  public ServiceFixture type(String serviceType) {
    this.type = serviceType;
    return this;
  }

  public ServiceFixture clusterIP() {
    return type("ClusterIP");
  }

  public ServiceFixture label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public ServiceFixture annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  public ServiceFixture selector(String key, String value) {
    selector.put(key, value);
    return this;
  }

  /** A TCP port named {@code p<port>} that targets the same port. */
  public ServiceFixture port(int port) {
    return port("p" + port, port, port, "TCP");
  }

  public ServiceFixture port(String portName, int port, int targetPort, String protocol) {
    ports.add(
        new ServicePortBuilder()
            .withName(portName)
            .withPort(port)
            .withTargetPort(new IntOrString(targetPort))
            .withProtocol(protocol)
            .build());
    return this;
  }

  public ServiceFixture loadBalancerClass(String cls) {
    this.loadBalancerClass = cls;
    return this;
  }

  public ServiceFixture externalTrafficPolicyLocal() {
    this.externalTrafficPolicy = "Local";
    return this;
  }

  /** e.g. {@code dualStack("IPv4", "IPv6")}: PreferDualStack with these families. */
  public ServiceFixture dualStack(String... families) {
    this.ipFamilyPolicy = "PreferDualStack";
    this.ipFamilies = List.of(families);
    return this;
  }

  public Service build() {
    List<ServicePort> p =
        ports.isEmpty()
            ? List.of(
                new ServicePortBuilder()
                    .withName("http")
                    .withPort(80)
                    .withTargetPort(new IntOrString(80))
                    .withProtocol("TCP")
                    .build())
            : ports;
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels.isEmpty() ? null : new LinkedHashMap<>(labels))
        .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withSelector(selector.isEmpty() ? null : new LinkedHashMap<>(selector))
        .withPorts(new ArrayList<>(p))
        .withLoadBalancerClass(loadBalancerClass)
        .withExternalTrafficPolicy(externalTrafficPolicy)
        .withIpFamilyPolicy(ipFamilyPolicy)
        .withIpFamilies(ipFamilies)
        .endSpec()
        .build();
  }

  public Service create() {
    return client.services().inNamespace(namespace).resource(build()).create();
  }

  /** Writes status.loadBalancer.ingress, as the operator would (useful for CLI/reader tests). */
  public Service ingress(String... ips) {
    return client
        .services()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            s -> {
              List<LoadBalancerIngress> ingress = new ArrayList<>();
              for (String ip : ips) {
                LoadBalancerIngress i = new LoadBalancerIngress();
                i.setIp(ip);
                i.setIpMode("VIP");
                ingress.add(i);
              }
              s.getStatus()
                  .setLoadBalancer(new io.fabric8.kubernetes.api.model.LoadBalancerStatus(ingress));
              return s;
            });
  }
}
