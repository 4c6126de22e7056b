package io.l2lb.kind;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A kind cluster in the local Docker engine: created with the kind CLI from the project's node
 * image, reached with fabric8 through the kubeconfig kind writes, its node containers seen through
 * Testcontainers' Docker client. {@link #close()} deletes it (unless L2LB_KIND_KEEP=1, for
 * debugging).
 */
final class KindCluster implements AutoCloseable {

  /** The label kind puts on every node container of a cluster. */
  static final String CLUSTER_LABEL = "io.x-k8s.kind.cluster";

  private final String name;
  private final Path kind;
  private final Path kubectl;
  private final Path kubeconfig;
  private final DockerClient docker;
  private final KubernetesClient client;
  private final long started = System.nanoTime();

  private KindCluster(String name, Path kind, Path kubectl, Path kubeconfig, DockerClient docker) {
    this.name = name;
    this.kind = kind;
    this.kubectl = kubectl;
    this.kubeconfig = kubeconfig;
    this.docker = docker;
    try {
      this.client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code kind create cluster}: a control plane and {@code workerLabels.size()} workers, each
   * worker with its labels, all from {@code nodeImage}, the node containers on Docker network
   * {@code network} (kind's own {@code kind} network when null).
   */
  static KindCluster create(
      String name,
      String nodeImage,
      List<Map<String, String>> workerLabels,
      String network,
      Path kind,
      Path kubectl,
      DockerClient docker) {
    StringBuilder config =
        new StringBuilder(
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n");
    for (Map<String, String> labels : workerLabels) {
      config.append("- role: worker\n");
      if (!labels.isEmpty()) {
        config.append("  labels:\n");
        labels.forEach(
            (k, v) -> config.append("    ").append(k).append(": \"").append(v).append("\"\n"));
      }
    }
    try {
      Path dir = Files.createTempDirectory("l2lb-kind-" + name);
      Path configFile = Files.writeString(dir.resolve("kind.yaml"), config);
      Path kubeconfig = dir.resolve("kubeconfig");
      long t0 = System.nanoTime();
      log(name, "kind create cluster (" + (1 + workerLabels.size()) + " nodes, " + nodeImage + ")");
      Commands.Result r =
          Commands.run(
              List.of(
                  kind.toString(),
                  "create",
                  "cluster",
                  "--name",
                  name,
                  "--image",
                  nodeImage,
                  "--config",
                  configFile.toString(),
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--wait",
                  "0s"),
              network == null ? Map.of() : Map.of("KIND_EXPERIMENTAL_DOCKER_NETWORK", network),
              Duration.ofMinutes(10),
              "[kind " + name + "] ");
      if (r.exitCode() != 0) {
        // kind removes the node containers of a failed create itself
        throw new AssertionError("kind create cluster " + name + " failed:\n" + r.output());
      }
      log(name, "created in " + seconds(t0));
      return new KindCluster(name, kind, kubectl, kubeconfig, docker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  KubernetesClient client() {
    return client;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** Waits until every node is Ready and every kube-system pod (CoreDNS, kube-proxy) runs ready. */
  void awaitReady(Duration limit) {
    long t0 = System.nanoTime();
    AtomicLong lastReport = new AtomicLong();
    await("nodes Ready and kube-system pods ready in " + name)
        .atMost(limit)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              List<Node> nodes = client.nodes().list().getItems();
              List<Pod> pods = client.pods().inNamespace("kube-system").list().getItems();
              long readyNodes = nodes.stream().filter(KindCluster::ready).count();
              long readyPods = pods.stream().filter(KindCluster::ready).count();
              if (System.nanoTime() - lastReport.get() > 10_000_000_000L) {
                lastReport.set(System.nanoTime());
                log(
                    name,
                    String.format(
                        "waiting: %d/%d nodes Ready, %d/%d kube-system pods ready",
                        readyNodes, nodes.size(), readyPods, pods.size()));
              }
              return !nodes.isEmpty()
                  && readyNodes == nodes.size()
                  && readyPods == pods.size()
                  && pods.stream().anyMatch(p -> p.getMetadata().getName().startsWith("coredns-"));
            });
    log(name, "nodes and kube-system ready after " + seconds(t0));
  }

  /** {@code kind load docker-image}: the image from the local engine into every node. */
  void loadImage(String image) {
    long t0 = System.nanoTime();
    kind("load", "docker-image", image, "--name", name).orFail();
    log(name, "loaded " + image + " in " + seconds(t0));
  }

  /** kubectl against this cluster. */
  Commands.Result kubectl(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Duration.ofMinutes(3), null);
  }

  /** The node containers of this cluster (Testcontainers' Docker client). */
  List<Container> nodeContainers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(CLUSTER_LABEL, name))
        .exec();
  }

  /** The node container named {@code node} (kind names the containers after the nodes). */
  Container nodeContainer(String node) {
    return nodeContainers().stream()
        .filter(c -> List.of(c.getNames()).contains("/" + node))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node container " + node + " in " + name));
  }

  /**
   * Prints what helps when a step failed: nodes, pods and events of every namespace, and the last
   * log lines of the pods in {@code namespace} with each of {@code podSelectors} (label selectors).
   */
  void printDiagnostics(String namespace, String... podSelectors) {
    System.out.println(kubectl("get", "nodes,pods", "-A", "-o", "wide").output());
    System.out.println(kubectl("get", "events", "-A", "--sort-by=.lastTimestamp").output());
    for (String selector : podSelectors) {
      System.out.println(
          kubectl(
                  "logs",
                  "-n",
                  namespace,
                  "-l",
                  selector,
                  "--prefix",
                  "--tail=60",
                  "--ignore-errors")
              .output());
    }
  }

  private Commands.Result kind(String... args) {
    List<String> cmd = new ArrayList<>(List.of(kind.toString()));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Duration.ofMinutes(10), null);
  }

  @Override
  public void close() {
    client.close();
    if ("1".equals(System.getenv("L2LB_KIND_KEEP"))) {
      log(name, "kept (L2LB_KIND_KEEP=1); delete with: " + kind + " delete cluster --name " + name);
      return;
    }
    long t0 = System.nanoTime();
    Commands.Result r = kind("delete", "cluster", "--name", name);
    log(
        name,
        (r.exitCode() == 0 ? "deleted in " + seconds(t0) : "delete failed: " + r.output())
            + " (cluster lived "
            + seconds(started)
            + ")");
  }

  static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static void log(String cluster, String message) {
    System.out.println("[kind " + cluster + "] " + message);
  }

  static String seconds(long sinceNanos) {
    return String.format("%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
  }
}
