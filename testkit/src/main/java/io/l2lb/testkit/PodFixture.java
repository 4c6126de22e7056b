package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Pod bound to a node (no scheduler) whose status is written as a kubelet would: phase, pod IP,
 * host IP and the PodScheduled / Initialized / ContainersReady / Ready conditions.
 */
public final class PodFixture {

  public static final String CONTAINER = "app";
  public static final String IMAGE = "registry.invalid/l2lb/testkit-placeholder:0";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private String nodeName;
  private String ip;
  private String hostIP;
  private Integer containerPort;
  private Boolean ready;
  private String phase;

  PodFixture(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = Objects.requireNonNull(name);
  }

  public PodFixture label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public PodFixture labels(Map<String, String> more) {
    labels.putAll(more);
    return this;
  }

  /** spec.nodeName (only on create: it is immutable). */
  public PodFixture onNode(String node) {
    this.nodeName = node;
    return this;
  }

  public PodFixture ip(String podIP) {
    this.ip = podIP;
    return this;
  }

  public PodFixture hostIP(String nodeIP) {
    this.hostIP = nodeIP;
    return this;
  }

  public PodFixture containerPort(int port) {
    this.containerPort = port;
    return this;
  }

  public PodFixture ready() {
    return ready(true);
  }

  public PodFixture notReady() {
    return ready(false);
  }

  public PodFixture ready(boolean isReady) {
    this.ready = isReady;
    return this;
  }

  /** status.phase; defaults to Running when a status is written. */
  public PodFixture phase(String podPhase) {
    this.phase = podPhase;
    return this;
  }

  public Pod create() {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(new LinkedHashMap<>(labels))
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .withTerminationGracePeriodSeconds(0L)
            .addNewContainer()
            .withName(CONTAINER)
            .withImage(IMAGE)
            .endContainer()
            .endSpec();
    if (containerPort != null) {
      b.editSpec()
          .editFirstContainer()
          .addNewPort()
          .withContainerPort(containerPort)
          .withName("http")
          .endPort()
          .endContainer()
          .endSpec();
    }
    client.pods().inNamespace(namespace).resource(b.build()).create();
    return writeStatus(true);
  }

  /** Changes labels and status of an existing pod. */
  public Pod update() {
    if (!labels.isEmpty()) {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              p -> {
                Map<String, String> l =
                    new LinkedHashMap<>(Fixtures.orEmpty(p.getMetadata().getLabels()));
                l.putAll(labels);
                p.getMetadata().setLabels(l);
                return p;
              });
    }
    return writeStatus(false);
  }

  public Pod apply() {
    return client.pods().inNamespace(namespace).withName(name).get() == null ? create() : update();
  }

  private Pod writeStatus(boolean always) {
    if (!always && ready == null && phase == null && ip == null && hostIP == null) {
      return client.pods().inNamespace(namespace).withName(name).get();
    }
    return client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              PodStatus s = p.getStatus() == null ? new PodStatus() : p.getStatus();
              String now = Fixtures.now();
              boolean isReady = ready != null ? ready : Fixtures.isReady(p);
              if (phase != null || s.getPhase() == null || "Pending".equals(s.getPhase())) {
                s.setPhase(phase != null ? phase : "Running");
              }
              if (ip != null) {
                s.setPodIP(ip);
                s.setPodIPs(new ArrayList<>(List.of(new PodIP(ip))));
              }
              if (hostIP != null) {
                s.setHostIP(hostIP);
              }
              if (s.getStartTime() == null) {
                s.setStartTime(now);
              }
              List<PodCondition> conditions =
                  new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
              boolean scheduled = p.getSpec().getNodeName() != null;
              set(conditions, "PodScheduled", scheduled, now);
              set(conditions, "Initialized", true, now);
              set(conditions, "ContainersReady", isReady, now);
              set(conditions, "Ready", isReady, now);
              s.setConditions(conditions);
              boolean running = "Running".equals(s.getPhase());
              ContainerStatus cs =
                  new ContainerStatusBuilder()
                      .withName(CONTAINER)
                      .withImage(IMAGE)
                      .withImageID("")
                      .withReady(isReady)
                      .withStarted(running)
                      .withRestartCount(0)
                      .withNewState()
                      .withNewRunning()
                      .withStartedAt(s.getStartTime())
                      .endRunning()
                      .endState()
                      .build();
              if (!running) {
                cs.setState(
                    new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("ContainerCreating")
                        .endWaiting()
                        .build());
              }
              s.setContainerStatuses(new ArrayList<>(List.of(cs)));
              p.setStatus(s);
              return p;
            });
  }

  private static void set(List<PodCondition> conditions, String type, boolean value, String now) {
    String status = value ? "True" : "False";
    PodCondition old =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (old != null && status.equals(old.getStatus())) {
      return;
    }
    conditions.removeIf(c -> type.equals(c.getType()));
    PodCondition c = new PodCondition();
    c.setType(type);
    c.setStatus(status);
    c.setLastTransitionTime(now);
    if (!value && ("Ready".equals(type) || "ContainersReady".equals(type))) {
      c.setReason("ContainersNotReady");
      c.setMessage("containers with unready status: [" + CONTAINER + "]");
    }
    conditions.add(c);
  }
}
