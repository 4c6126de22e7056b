package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One EndpointSlice of a Service, written as the EndpointSlice controller would (label {@code
 * kubernetes.io/service-name}, owner reference to the Service when it exists). Endpoints are listed
 * explicitly ({@link #endpoint}) or taken from the pods selected by the Service ({@link
 * #fromPods()}). {@link #apply()} replaces the whole slice.
 */
public final class EndpointSliceFixture {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final String namespace;
  private final String service;
  private String name;
  private String addressType;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final List<EndpointPort> ports = new ArrayList<>();
  private boolean fromPods;

  EndpointSliceFixture(KubernetesClient client, String namespace, String service) {
    this.client = client;
    this.namespace = namespace;
    this.service = Objects.requireNonNull(service);
    this.name = service + "-testkit";
  }

  public EndpointSliceFixture name(String sliceName) {
    this.name = sliceName;
    return this;
  }

  /** IPv4 or IPv6; by default taken from the first endpoint address. */
  public EndpointSliceFixture addressType(String type) {
    this.addressType = type;
    return this;
  }

  public EndpointSliceFixture port(String portName, int port) {
    ports.add(
        new EndpointPortBuilder().withName(portName).withPort(port).withProtocol("TCP").build());
    return this;
  }

  public EndpointSliceFixture readyEndpoint(String ip, String node) {
    return endpoint(ip, node, true);
  }

  public EndpointSliceFixture unreadyEndpoint(String ip, String node) {
    return endpoint(ip, node, false);
  }

  public EndpointSliceFixture endpoint(String ip, String node, boolean ready) {
    endpoints.add(
        new EndpointBuilder()
            .withAddresses(ip)
            .withNodeName(node)
            .withNewConditions()
            .withReady(ready)
            .withServing(ready)
            .withTerminating(false)
            .endConditions()
            .build());
    return this;
  }

  /**
   * Endpoints from the pods the Service selects (ready = pod Ready condition), on {@link #apply()}.
   */
  public EndpointSliceFixture fromPods() {
    this.fromPods = true;
    return this;
  }

  public EndpointSlice build() {
    Service svc = client.services().inNamespace(namespace).withName(service).get();
    List<Endpoint> eps = new ArrayList<>(endpoints);
    if (fromPods) {
      if (svc == null
          || svc.getSpec().getSelector() == null
          || svc.getSpec().getSelector().isEmpty()) {
        throw new IllegalStateException(
            "fromPods() needs Service " + namespace + "/" + service + " with a selector");
      }
      Map<String, String> selector = svc.getSpec().getSelector();
      for (Pod p : client.pods().inNamespace(namespace).withLabels(selector).list().getItems()) {
        if (p.getStatus() == null
            || p.getStatus().getPodIP() == null
            || p.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        boolean ready = Fixtures.isReady(p);
        eps.add(
            new EndpointBuilder()
                .withAddresses(p.getStatus().getPodIP())
                .withNodeName(p.getSpec().getNodeName())
                .withNewConditions()
                .withReady(ready)
                .withServing(ready)
                .withTerminating(false)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(p.getMetadata().getName())
                .withNamespace(namespace)
                .withUid(p.getMetadata().getUid())
                .endTargetRef()
                .build());
      }
    }
    List<EndpointPort> eports = new ArrayList<>(ports);
    if (eports.isEmpty() && svc != null && svc.getSpec().getPorts() != null) {
      for (ServicePort sp : svc.getSpec().getPorts()) {
        int target =
            sp.getTargetPort() != null && sp.getTargetPort().getIntVal() != null
                ? sp.getTargetPort().getIntVal()
                : sp.getPort();
        eports.add(
            new EndpointPortBuilder()
                .withName(sp.getName())
                .withPort(target)
                .withProtocol(sp.getProtocol())
                .build());
      }
    }
    String type =
        addressType != null
            ? addressType
            : eps.stream()
                .findFirst()
                .map(e -> e.getAddresses().get(0).contains(":") ? "IPv6" : "IPv4")
                .orElse("IPv4");
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(SERVICE_NAME_LABEL, service)
            .addToLabels(MANAGED_BY_LABEL, Fixtures.MANAGED_BY)
            .endMetadata()
            .withAddressType(type)
            .withEndpoints(eps)
            .withPorts(eports);
    if (svc != null) {
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Service")
                  .withName(service)
                  .withUid(svc.getMetadata().getUid())
                  .withController(true)
                  .withBlockOwnerDeletion(true)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  /** Creates the slice, or replaces it entirely. */
  public EndpointSlice apply() {
    EndpointSlice slice = build();
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(namespace)
        .resource(slice)
        .createOr(NonDeletingOperation::update);
  }
}
