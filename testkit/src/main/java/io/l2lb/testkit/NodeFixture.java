package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds or changes a Node the way a kubelet would: metadata and spec through the main resource,
 * conditions and addresses through the {@code status} subresource. Only what was set on the fixture
 * is changed by {@link #update()} / {@link #apply()}.
 */
public final class NodeFixture {

  /** Label that excludes a node from external load balancers (honoured by l2lb). */
  public static final String EXCLUDE_FROM_LB = Names.Labels.EXCLUDE_FROM_LB;

  private final KubernetesClient client;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Set<String> removedLabels = new LinkedHashSet<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final List<Taint> taints = new ArrayList<>();
  private String internalIP;
  private String internalIPv6;
  private String ready;
  private Boolean networkUnavailable;
  private Boolean unschedulable;

  NodeFixture(KubernetesClient client, String name) {
    this.client = client;
    this.name = Objects.requireNonNull(name);
  }

  public NodeFixture label(String key, String value) {
    labels.put(key, value);
    removedLabels.remove(key);
    return this;
  }

  public NodeFixture labels(Map<String, String> more) {
    more.forEach(this::label);
    return this;
  }

  public NodeFixture withoutLabel(String key) {
    labels.remove(key);
    removedLabels.add(key);
    return this;
  }

  public NodeFixture annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  public NodeFixture excludedFromExternalLoadBalancers() {
    return label(EXCLUDE_FROM_LB, "");
  }

  /** status.addresses InternalIP (plus Hostname); IPv4 or IPv6. */
  public NodeFixture internalIP(String ip) {
    if (ip.contains(":")) {
      this.internalIPv6 = ip;
    } else {
      this.internalIP = ip;
    }
    return this;
  }

  public NodeFixture ready() {
    return ready(true);
  }

  public NodeFixture notReady() {
    return ready(false);
  }

  public NodeFixture ready(boolean isReady) {
    this.ready = isReady ? "True" : "False";
    return this;
  }

  /** Ready=Unknown, what the node lifecycle controller sets when the kubelet stops reporting. */
  public NodeFixture readyUnknown() {
    this.ready = "Unknown";
    return this;
  }

  public NodeFixture networkUnavailable(boolean unavailable) {
    this.networkUnavailable = unavailable;
    return this;
  }

  public NodeFixture unschedulable(boolean value) {
    this.unschedulable = value;
    return this;
  }

  public NodeFixture taint(String key, String value, String effect) {
    taints.add(new Taint(effect, key, null, value));
    return this;
  }

  /** Creates the node (fails if it exists), then writes its status. */
  public Node create() {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(new LinkedHashMap<>(labels))
            .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
            .endMetadata()
            .withNewSpec()
            .withUnschedulable(unschedulable)
            .withTaints(taints.isEmpty() ? null : taints)
            .endSpec()
            .build();
    client.nodes().resource(node).create();
    return writeStatus();
  }

  /** Changes an existing node: labels, annotations, spec fields and status that were set here. */
  public Node update() {
    if (!labels.isEmpty()
        || !removedLabels.isEmpty()
        || !annotations.isEmpty()
        || unschedulable != null
        || !taints.isEmpty()) {
      client
          .nodes()
          .withName(name)
          .edit(
              n -> {
                Map<String, String> l =
                    new LinkedHashMap<>(Fixtures.orEmpty(n.getMetadata().getLabels()));
                l.putAll(labels);
                removedLabels.forEach(l::remove);
                n.getMetadata().setLabels(l);
                if (!annotations.isEmpty()) {
                  Map<String, String> a =
                      new LinkedHashMap<>(Fixtures.orEmpty(n.getMetadata().getAnnotations()));
                  a.putAll(annotations);
                  n.getMetadata().setAnnotations(a);
                }
                if (unschedulable != null) {
                  n.getSpec().setUnschedulable(unschedulable);
                }
                if (!taints.isEmpty()) {
                  List<Taint> t =
                      new ArrayList<>(
                          n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
                  t.removeIf(
                      old ->
                          taints.stream()
                              .anyMatch(
                                  nt ->
                                      nt.getKey().equals(old.getKey())
                                          && nt.getEffect().equals(old.getEffect())));
                  t.addAll(taints);
                  n.getSpec().setTaints(t);
                }
                return n;
              });
    }
    return writeStatus();
  }

  /** {@link #create()} if the node does not exist, else {@link #update()}. */
  public Node apply() {
    return client.nodes().withName(name).get() == null ? create() : update();
  }

  private Node writeStatus() {
    if (ready == null && networkUnavailable == null && internalIP == null && internalIPv6 == null) {
      return client.nodes().withName(name).get();
    }
    return client
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              NodeStatus status = n.getStatus() == null ? new NodeStatus() : n.getStatus();
              List<NodeCondition> conditions =
                  new ArrayList<>(
                      status.getConditions() == null ? List.of() : status.getConditions());
              String now = Fixtures.now();
              if (ready != null) {
                String reason =
                    switch (ready) {
                      case "True" -> "KubeletReady";
                      case "False" -> "KubeletNotReady";
                      default -> "NodeStatusUnknown";
                    };
                String message =
                    switch (ready) {
                      case "True" -> "kubelet is posting ready status";
                      case "False" -> "container runtime network not ready (testkit)";
                      default -> "Kubelet stopped posting node status.";
                    };
                setCondition(conditions, "Ready", ready, reason, message, now);
              }
              if (networkUnavailable != null) {
                setCondition(
                    conditions,
                    "NetworkUnavailable",
                    networkUnavailable ? "True" : "False",
                    networkUnavailable ? "NoRouteCreated" : "RouteCreated",
                    networkUnavailable
                        ? "node network is not configured (testkit)"
                        : "routes are configured (testkit)",
                    now);
              }
              status.setConditions(conditions);
              if (internalIP != null || internalIPv6 != null) {
                List<NodeAddress> addresses = new ArrayList<>();
                if (internalIP != null) {
                  addresses.add(new NodeAddress(internalIP, "InternalIP"));
                }
                if (internalIPv6 != null) {
                  addresses.add(new NodeAddress(internalIPv6, "InternalIP"));
                }
                if (status.getAddresses() != null) {
                  status.getAddresses().stream()
                      .filter(
                          a -> !"InternalIP".equals(a.getType()) && !"Hostname".equals(a.getType()))
                      .forEach(addresses::add);
                }
                addresses.add(new NodeAddress(name, "Hostname"));
                status.setAddresses(addresses);
              }
              n.setStatus(status);
              return n;
            });
  }

  private static void setCondition(
      List<NodeCondition> conditions,
      String type,
      String status,
      String reason,
      String message,
      String now) {
    NodeCondition old =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String transition =
        old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
            ? old.getLastTransitionTime()
            : now;
    conditions.removeIf(c -> type.equals(c.getType()));
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastHeartbeatTime(now);
    c.setLastTransitionTime(transition);
    conditions.add(c);
  }
}
