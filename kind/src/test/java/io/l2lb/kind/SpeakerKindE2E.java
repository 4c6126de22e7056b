package io.l2lb.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The shipped speaker on a real cluster: kind (real kubelet, containerd, kube-proxy, CoreDNS) with
 * the control plane and three workers labelled node-role=front, the project's images loaded, the
 * manifests installed ({@link ProjectInstall}). The speakers run on the front nodes only, with
 * NET_RAW as their one capability, reach the API server through the cluster's Service network and
 * DNS, and keep their Leases fresh.
 *
 * <p>The story of issue 12 (class, {@code kubectl l2lb expose --ips 3}, ARP answers from three node
 * containers, failover when one stops) follows here once the operator and the CLI land.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeakerKindE2E {

  private static final String SUITE = "SpeakerKindE2E";
  static final int FRONT_NODES = 3;

  private static KindCluster cluster;
  private static List<String> frontNodes;
  private static ProjectImages images;

  @RegisterExtension
  static final TestWatcher DIAGNOSTICS =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (cluster != null) {
            cluster.printDiagnostics();
          }
        }
      };

  @BeforeAll
  static void clusterWithTheProjectInstalled() {
    long t0 = System.nanoTime();
    DockerClient docker = KindPrerequisites.docker(SUITE);
    images = ProjectImages.load();
    var kind = KindPrerequisites.kind();
    var kubectl = KindPrerequisites.kubectl(images);
    KindPrerequisites.requireExecutable(SUITE, kind, "build it with scripts/kind-images.sh");
    KindPrerequisites.requireExecutable(SUITE, kubectl, "build it with scripts/kind-images.sh");
    List<String> toLoad = new ArrayList<>(List.of(images.speaker()));
    if (Files.exists(RepoRoot.get().resolve("operator/pom.xml"))) {
      toLoad.add(images.operator());
    }
    List<String> required = new ArrayList<>(toLoad);
    required.add(images.kindNode());
    KindPrerequisites.requireImages(SUITE, docker, required);

    String name = String.format("l2lb-e2e-%06x", new Random().nextInt(1 << 24));
    List<Map<String, String>> workers = new ArrayList<>();
    for (int i = 0; i < FRONT_NODES; i++) {
      workers.add(Map.of("node-role", "front"));
    }
    cluster = KindCluster.create(name, images.kindNode(), workers, kind, kubectl, docker);
    try {
      cluster.awaitReady(Duration.ofMinutes(6));
      frontNodes =
          cluster.client().nodes().withLabel("node-role", "front").list().getItems().stream()
              .map(n -> n.getMetadata().getName())
              .sorted()
              .toList();
      assertThat(frontNodes).as("worker nodes labelled node-role=front").hasSize(FRONT_NODES);
      toLoad.forEach(cluster::loadImage);
      ProjectInstall.install(cluster);
      ProjectInstall.labelSpeakerNodesAsTheOperatorWould(cluster, frontNodes);
    } catch (RuntimeException | AssertionError e) {
      cluster.printDiagnostics();
      throw e;
    }
    KindCluster.log(name, "set-up done in " + KindCluster.seconds(t0));
  }

  @AfterAll
  static void deleteCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void speakersRunReadyOnEveryFrontNodeAndNowhereElse() {
    long t0 = System.nanoTime();
    await("a ready speaker on each front node")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> readySpeakerNodes().equals(frontNodes));
    KindCluster.log(
        cluster.name(), "speakers ready on " + frontNodes + " after " + KindCluster.seconds(t0));
    List<String> controlPlanes =
        cluster
            .client()
            .nodes()
            .withLabel("node-role.kubernetes.io/control-plane")
            .list()
            .getItems()
            .stream()
            .map(n -> n.getMetadata().getName())
            .toList();
    assertThat(controlPlanes).hasSize(1);
    assertThat(speakerPods())
        .as("speaker pods (one per member node, none on the control plane)")
        .hasSize(FRONT_NODES)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotIn(controlPlanes))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount())
                    .as("restarts of %s", p.getMetadata().getName())
                    .isZero());
  }

  @Test
  @Order(2)
  void everyNodeIsARunningContainerOfTheProjectsNodeImage() {
    List<Container> containers = cluster.nodeContainers();
    assertThat(containers)
        .as("node containers of %s (Docker, through Testcontainers)", cluster.name())
        .hasSize(1 + FRONT_NODES)
        .allSatisfy(c -> assertThat(c.getImage()).isEqualTo(images.kindNode()))
        .allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
    List<String> names =
        containers.stream().map(c -> c.getNames()[0].replaceFirst("^/", "")).sorted().toList();
    assertThat(names).containsAll(frontNodes);
  }

  @Test
  @Order(3)
  void everyFrontNodeHasAFreshLeaseThatKeepsBeingRenewed() {
    Map<String, ZonedDateTime> first = new HashMap<>();
    await("a fresh speaker Lease for each front node")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (String node : frontNodes) {
                Lease lease = lease(node);
                assertThat(lease).as("Lease %s", Names.speakerLeaseName(node)).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).contains(node);
                assertFresh(lease);
                first.put(node, lease.getSpec().getRenewTime());
              }
            });
    await("each speaker Lease renewed again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (String node : frontNodes) {
                Lease lease = lease(node);
                assertThat(lease.getSpec().getRenewTime())
                    .as("renewTime of %s", Names.speakerLeaseName(node))
                    .isAfter(first.get(node));
                assertFresh(lease);
              }
            });
  }

  @Test
  @Order(4)
  void speakerRunsAsUidZeroWithNetRawAsItsOnlyCapability() {
    for (Pod pod : speakerPods()) {
      String status =
          cluster
              .kubectl(
                  "exec",
                  "-n",
                  Names.Components.NAMESPACE,
                  pod.getMetadata().getName(),
                  "--",
                  "cat",
                  "/proc/1/status")
              .orFail()
              .output();
      Map<String, String> fields =
          status
              .lines()
              .filter(l -> l.contains(":"))
              .collect(
                  Collectors.toMap(
                      l -> l.substring(0, l.indexOf(':')),
                      l -> l.substring(l.indexOf(':') + 1).trim(),
                      (a, b) -> a));
      String where = pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName();
      // CAP_NET_RAW is capability 13
      assertThat(fields.get("CapEff")).as("CapEff of %s", where).isEqualTo("0000000000002000");
      assertThat(fields.get("CapBnd")).as("CapBnd of %s", where).isEqualTo("0000000000002000");
      assertThat(fields.get("NoNewPrivs")).as("NoNewPrivs of %s", where).isEqualTo("1");
      assertThat(fields.get("Uid")).as("Uid of %s", where).startsWith("0\t");
    }
  }

  @Test
  @Order(5)
  void speakersReachTheClusterDnsAndServiceNetworkOfTheNodeImage() {
    // hostNetwork + ClusterFirstWithHostNet: the node's kube-proxy rules take the speaker to the
    // CoreDNS pods (pod network of the node-local CNI) and to the kubernetes Service
    String service =
        cluster
            .client()
            .services()
            .inNamespace("default")
            .withName("kubernetes")
            .get()
            .getSpec()
            .getClusterIP();
    for (Pod pod : speakerPods()) {
      String out =
          cluster
              .kubectl(
                  "exec",
                  "-n",
                  Names.Components.NAMESPACE,
                  pod.getMetadata().getName(),
                  "--",
                  "getent",
                  "hosts",
                  "kubernetes.default.svc.cluster.local")
              .orFail()
              .output();
      assertThat(out)
          .as(
              "cluster DNS answer in %s on %s",
              pod.getMetadata().getName(), pod.getSpec().getNodeName())
          .startsWith(service + " ");
    }
  }

  private static List<Pod> speakerPods() {
    return cluster
        .client()
        .pods()
        .inNamespace(Names.Components.NAMESPACE)
        .withLabel(Names.Components.NAME_LABEL, Names.Components.SPEAKER)
        .list()
        .getItems();
  }

  private static List<String> readySpeakerNodes() {
    return speakerPods().stream()
        .filter(KindCluster::ready)
        .map(p -> p.getSpec().getNodeName())
        .sorted()
        .toList();
  }

  private static Lease lease(String node) {
    return cluster
        .client()
        .leases()
        .inNamespace(Names.Components.NAMESPACE)
        .withName(Names.speakerLeaseName(node))
        .get();
  }

  /** renewTime within leaseDurationSeconds of now (the kind nodes share this machine's clock). */
  private static void assertFresh(Lease lease) {
    Instant renewed = lease.getSpec().getRenewTime().toInstant();
    Duration age = Duration.between(renewed, Instant.now());
    assertThat(age)
        .as("age of %s's renewTime", lease.getMetadata().getName())
        .isLessThanOrEqualTo(Duration.ofSeconds(lease.getSpec().getLeaseDurationSeconds()));
  }
}
