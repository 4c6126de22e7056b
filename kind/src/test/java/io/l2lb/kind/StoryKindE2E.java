package io.l2lb.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The product story of issue 12 on a real cluster, as a user runs it: a kind cluster (real kubelet,
 * containerd, kube-proxy, CoreDNS) of a control plane and three workers labelled node-role=front,
 * the project's images loaded, and then only the shipped tools:
 *
 * <ol>
 *   <li>{@code kubectl l2lb install} (the krew archive's launcher and runtime, found by the real
 *       kubectl on PATH) applies the bundled kustomization and waits for the operator's rollout;
 *   <li>{@code kubectl l2lb create class front --pool … --node-selector node-role=front}: the
 *       operator labels the front nodes as members and the speakers start there, NET_RAW only;
 *   <li>an nginx Deployment (built locally, images/story), {@code kubectl expose}, then {@code
 *       kubectl l2lb expose svc web --ips 3 --wait};
 *   <li>from a container on the cluster's Docker network, beside the node containers: each of the
 *       three IPs answered by ARP from a different front node container's MAC, HTTP through each
 *       served by the workload, {@code kubectl l2lb where} agreeing with the wire;
 *   <li>a front node container stopped: its IP answered from another front node's MAC, HTTP through
 *       it served, the other two IPs untouched, {@code where} and a FailedOver Event agreeing.
 * </ol>
 *
 * The cluster has a Docker network of its own ({@link KindNetwork}) so that the public IPs lie in
 * its subnet but outside Docker's IPAM range. The steps run in order and share the cluster; a step
 * whose predecessor failed says so instead of failing obscurely.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoryKindE2E {

  private static final String SUITE = "StoryKindE2E";
  static final int FRONT_NODES = 3;
  private static final String CLASS = "front";
  private static final String APP = "web";
  private static final String NS = "default";
  private static final Pattern ARP_REPLY =
      Pattern.compile("reply from (\\S+) \\[([0-9A-Fa-f:]{17})\\]");
  private static final Pattern EXPOSED =
      Pattern.compile("service/" + APP + " has (\\d+) public IPs: (.+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DockerClient docker;
  private static ProjectImages images;
  private static KindNetwork network;
  private static KindCluster cluster;
  private static KubectlPlugin plugin;
  private static GenericContainer<?> client;
  private static List<String> frontNodes;

  /** node name -> MAC of its container on the cluster's network (lower case). */
  private static final Map<String, String> macOfNode = new TreeMap<>();

  /** The state the steps hand on; null until the step that makes it has passed. */
  private static Boolean installed;

  private static Boolean speakersUp;
  private static List<String> publicIps;
  private static Map<String, String> nodeOfIp;

  private static final Map<String, String> timings = new LinkedHashMap<>();

  @RegisterExtension
  static final TestWatcher DIAGNOSTICS =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (cluster != null) {
            cluster.printDiagnostics(
                Names.Components.NAMESPACE,
                Names.Components.NAME_LABEL + "=" + Names.Components.OPERATOR,
                Names.Components.NAME_LABEL + "=" + Names.Components.SPEAKER);
          }
        }
      };

  @BeforeAll
  static void clusterWithTheImagesLoaded() {
    long t0 = System.nanoTime();
    docker = KindPrerequisites.docker(SUITE);
    images = ProjectImages.load();
    Path kind = KindPrerequisites.kind();
    Path kubectl = KindPrerequisites.kubectl(images);
    KindPrerequisites.requireExecutable(SUITE, kind, "build it with scripts/kind-images.sh");
    KindPrerequisites.requireExecutable(SUITE, kubectl, "build it with scripts/kind-images.sh");
    Path archive = KubectlPlugin.archive(RepoRoot.get());
    if (archive == null) {
      throw KindPrerequisites.notRun(
          SUITE,
          "no krew archive dist/target/kubectl-l2lb_v*_linux_amd64.tar.gz; build it with"
              + " ./mvnw -pl dist -am package -DskipTests (or run scripts/kind-test.sh)");
    }
    List<String> toLoad = List.of(images.speaker(), images.operator(), images.story());
    List<String> required = new ArrayList<>(toLoad);
    required.add(images.kindNode());
    KindPrerequisites.requireImages(SUITE, docker, required);

    String name = String.format("l2lb-story-%06x", new Random().nextInt(1 << 24));
    network = KindNetwork.create(docker, name, SUITE);
    List<Map<String, String>> workers = new ArrayList<>();
    for (int i = 0; i < FRONT_NODES; i++) {
      workers.add(Map.of("node-role", "front"));
    }
    cluster =
        KindCluster.create(name, images.kindNode(), workers, network.name(), kind, kubectl, docker);
    try {
      cluster.awaitReady(Duration.ofMinutes(6));
      frontNodes =
          cluster.client().nodes().withLabel("node-role", "front").list().getItems().stream()
              .map(n -> n.getMetadata().getName())
              .sorted()
              .toList();
      assertThat(frontNodes).as("worker nodes labelled node-role=front").hasSize(FRONT_NODES);
      for (Container c : cluster.nodeContainers()) {
        ContainerNetwork n = c.getNetworkSettings().getNetworks().get(network.name());
        assertThat(n).as("node container %s on network %s", c.getNames()[0], name).isNotNull();
        macOfNode.put(c.getNames()[0].replaceFirst("^/", ""), n.getMacAddress().toLowerCase());
      }
      toLoad.forEach(cluster::loadImage);
      plugin = KubectlPlugin.install(archive, kubectl, cluster.kubeconfig());
      KindCluster.log(name, "kubectl l2lb from " + archive.getFileName() + ": " + plugin.linked());
      client =
          new GenericContainer<>(DockerImageName.parse(images.story()))
              .withCommand("sleep", "infinity")
              .withNetworkMode(network.name())
              .withCreateContainerCmdModifier(cmd -> cmd.withName(name + "-client"));
      client.start();
      KindCluster.log(
          name,
          "client container "
              + name
              + "-client on "
              + network.name()
              + " ("
              + client
                  .getContainerInfo()
                  .getNetworkSettings()
                  .getNetworks()
                  .get(network.name())
                  .getIpAddress()
              + ")");
    } catch (RuntimeException | AssertionError e) {
      cluster.printDiagnostics(Names.Components.NAMESPACE);
      throw e;
    }
    timings.put(
        "set-up (network, kind create, ready, 3 image loads, client)", KindCluster.seconds(t0));
  }

  @AfterAll
  static void deleteClusterAndNetwork() {
    if (client != null) {
      client.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (network != null) {
      network.close();
    }
    if (!timings.isEmpty()) {
      System.out.println("[" + SUITE + "] step times:");
      timings.forEach((k, v) -> System.out.printf("[%s]   %-62s %s%n", SUITE, k, v));
    }
  }

  // --- 1. install --------------------------------------------------------------------------

  @Test
  @Order(1)
  void installThroughKubectlRollsOutTheOperator() {
    String list = plugin.kubectl("plugin", "list").output();
    assertThat(list)
        .as("kubectl plugin list finds the launcher krew-style on PATH")
        .contains(plugin.linked().toString());

    long t0 = System.nanoTime();
    Commands.Result r = echo(plugin.l2lb(Duration.ofMinutes(6), "install", "--timeout", "5m"));
    timings.put("kubectl l2lb install (apply + rollout wait)", KindCluster.seconds(t0));
    assertThat(r.exitCode()).as("exit code of kubectl l2lb install:\n%s", r.output()).isZero();
    assertThat(r.output())
        .contains("deployment/" + Names.Components.OPERATOR + ": rolled out")
        .contains("daemonset/" + Names.Components.SPEAKER + ": rolled out");

    Deployment operator =
        cluster
            .client()
            .apps()
            .deployments()
            .inNamespace(Names.Components.NAMESPACE)
            .withName(Names.Components.OPERATOR)
            .get();
    assertThat(operator.getStatus().getAvailableReplicas())
        .as("available operator replicas once install returned")
        .isEqualTo(operator.getSpec().getReplicas());
    for (Pod pod : pods(Names.Components.OPERATOR)) {
      Map<String, String> status = procStatus(pod);
      String where = pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName();
      assertThat(status.get("Uid")).as("Uid of %s", where).startsWith("65532\t");
      assertThat(status.get("CapEff")).as("CapEff of %s", where).isEqualTo("0000000000000000");
      int restarts = pod.getStatus().getContainerStatuses().get(0).getRestartCount();
      if (restarts > 0) {
        // the errors of the run that ended say why (docs/kind.md: "The operator's first start on
        // a fresh install")
        KindCluster.log(
            cluster.name(),
            where
                + " restarted "
                + restarts
                + "x: "
                + pod.getStatus().getContainerStatuses().get(0).getLastState());
        cluster
            .kubectl(
                "logs",
                "-n",
                Names.Components.NAMESPACE,
                pod.getMetadata().getName(),
                "--previous",
                "--tail=400")
            .output()
            .lines()
            .filter(l -> l.contains("ERROR") || l.strip().startsWith("Caused by:"))
            .forEach(l -> System.out.println("  [previous] " + l));
      }
      assertThat(restarts)
          .as(
              "restarts of %s (the operator waits out a fresh CRD's 429 at start: ApiStartup)",
              where)
          .isZero();
    }
    await("a leader among the operator pods")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Lease lease =
                  cluster
                      .client()
                      .leases()
                      .inNamespace(Names.Components.NAMESPACE)
                      .withName(Names.Components.OPERATOR_LEADER_LEASE)
                      .get();
              assertThat(lease).as("Lease %s", Names.Components.OPERATOR_LEADER_LEASE).isNotNull();
              assertThat(lease.getSpec().getHolderIdentity())
                  .isIn(
                      pods(Names.Components.OPERATOR).stream()
                          .map(p -> p.getMetadata().getName())
                          .toList());
            });
    DaemonSet speakers = speakerDaemonSet();
    assertThat(speakers.getStatus().getDesiredNumberScheduled())
        .as("speakers before any class selects a node (the DaemonSet runs on member nodes only)")
        .isZero();
    installed = true;
  }

  // --- 2. the class: members and speakers -----------------------------------------------------

  @Test
  @Order(2)
  void createClassMakesTheFrontNodesMembersAndStartsTheirSpeakers() {
    requireStep(installed, "kubectl l2lb install");
    String pool = network.range(200, 209);
    long t0 = System.nanoTime();
    Commands.Result r =
        echo(
            plugin.l2lb(
                "create",
                "class",
                CLASS,
                "--pool",
                pool,
                "--node-selector",
                "node-role=front",
                "--default"));
    assertThat(r.exitCode()).as("exit code of create class:\n%s", r.output()).isZero();
    assertThat(r.output())
        .contains("pool:  10 addresses (" + pool + ")")
        .contains("nodes: 3 matched (" + String.join(", ", frontNodes) + ")");

    await("the operator labels the front nodes as members")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> memberNodes().equals(frontNodes));
    AtomicLong lastReport = new AtomicLong();
    await("a ready speaker on each front node")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              List<String> ready = readySpeakerNodes();
              if (System.nanoTime() - lastReport.get() > 10_000_000_000L) {
                lastReport.set(System.nanoTime());
                KindCluster.log(cluster.name(), "waiting: speakers ready on " + ready);
              }
              return ready.equals(frontNodes);
            });
    timings.put("create class -> members labelled, speakers ready", KindCluster.seconds(t0));
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
    assertThat(memberNodes()).doesNotContainAnyElementsOf(controlPlanes);
    assertThat(pods(Names.Components.SPEAKER))
        .as("speaker pods (one per member node, none on the control plane)")
        .hasSize(FRONT_NODES)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isIn(frontNodes))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount())
                    .as("restarts of %s", p.getMetadata().getName())
                    .isZero());
    speakersUp = true;
  }

  @Test
  @Order(3)
  void speakersRunAsUidZeroWithNetRawAsTheirOnlyCapability() {
    requireStep(speakersUp, "create class (speakers ready)");
    for (Pod pod : pods(Names.Components.SPEAKER)) {
      Map<String, String> fields = procStatus(pod);
      String where = pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName();
      // CAP_NET_RAW is capability 13
      assertThat(fields.get("CapEff")).as("CapEff of %s", where).isEqualTo("0000000000002000");
      assertThat(fields.get("CapBnd")).as("CapBnd of %s", where).isEqualTo("0000000000002000");
      assertThat(fields.get("NoNewPrivs")).as("NoNewPrivs of %s", where).isEqualTo("1");
      assertThat(fields.get("Uid")).as("Uid of %s", where).startsWith("0\t");
    }
  }

  @Test
  @Order(4)
  void speakersReachTheClusterDnsAndServiceNetwork() {
    requireStep(speakersUp, "create class (speakers ready)");
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
    for (Pod pod : pods(Names.Components.SPEAKER)) {
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

  @Test
  @Order(5)
  void everyFrontNodeHasAFreshSpeakerLeaseThatKeepsBeingRenewed() {
    requireStep(speakersUp, "create class (speakers ready)");
    Map<String, ZonedDateTime> first = new HashMap<>();
    await("a fresh speaker Lease for each front node")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (String node : frontNodes) {
                Lease lease = speakerLease(node);
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
                Lease lease = speakerLease(node);
                assertThat(lease.getSpec().getRenewTime())
                    .as("renewTime of %s", Names.speakerLeaseName(node))
                    .isAfter(first.get(node));
                assertFresh(lease);
              }
            });
  }

  @Test
  @Order(6)
  void everyNodeIsARunningContainerOfTheProjectsNodeImageOnTheClustersNetwork() {
    List<Container> containers = cluster.nodeContainers();
    assertThat(containers)
        .as("node containers of %s (Docker, through Testcontainers)", cluster.name())
        .hasSize(1 + FRONT_NODES)
        .allSatisfy(c -> assertThat(c.getImage()).isEqualTo(images.kindNode()))
        .allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
    assertThat(macOfNode.keySet()).containsAll(frontNodes).hasSize(1 + FRONT_NODES);
    assertThat(new TreeSet<>(macOfNode.values()))
        .as("node MACs, all different")
        .hasSize(1 + FRONT_NODES);
    for (Node node : cluster.client().nodes().list().getItems()) {
      String internalIp =
          node.getStatus().getAddresses().stream()
              .filter(a -> "InternalIP".equals(a.getType()))
              .findFirst()
              .orElseThrow()
              .getAddress();
      assertThat(network.inUpperHalf(internalIp))
          .as(
              "InternalIP %s of %s inside Docker's IPAM range",
              internalIp, node.getMetadata().getName())
          .isFalse();
    }
  }

  // --- 3. the workload and its three public IPs ------------------------------------------------

  @Test
  @Order(10)
  void exposeGivesTheWorkloadThreePublicIpsFromThePool() {
    requireStep(speakersUp, "create class (speakers ready)");
    long t0 = System.nanoTime();
    cluster
        .kubectl(
            "-n",
            NS,
            "create",
            "deployment",
            APP,
            "--image=" + images.story(),
            "--replicas=" + FRONT_NODES,
            "--port=80")
        .orFail();
    cluster.kubectl("-n", NS, "rollout", "status", "deployment/" + APP, "--timeout=3m").orFail();
    cluster.kubectl("-n", NS, "expose", "deployment", APP, "--port=80").orFail();
    timings.put(
        "workload: nginx Deployment (3 replicas) rolled out, Service", KindCluster.seconds(t0));

    t0 = System.nanoTime();
    Commands.Result r = echo(plugin.l2lb("-n", NS, "expose", "svc", APP, "--ips", "3", "--wait"));
    timings.put("kubectl l2lb expose svc web --ips 3 --wait", KindCluster.seconds(t0));
    assertThat(r.exitCode()).as("exit code of expose:\n%s", r.output()).isZero();
    Matcher m = EXPOSED.matcher(r.output());
    assertThat(m.find()).as("expose names the IPs:\n%s", r.output()).isTrue();
    List<String> ips = List.of(m.group(2).strip().split(",\\s*"));
    assertThat(ips).hasSize(3).doesNotHaveDuplicates().allMatch(network::inUpperHalf);

    Service svc = cluster.client().services().inNamespace(NS).withName(APP).get();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getStatus().getLoadBalancer().getIngress())
        .extracting(LoadBalancerIngress::getIp)
        .as("Service status ingress")
        .containsExactlyInAnyOrderElementsOf(ips);
    publicIps = ips;
  }

  @Test
  @Order(11)
  void eachIpIsAnsweredByArpFromADifferentFrontNodeContainer() {
    requireStep(publicIps, "expose --ips 3");
    long t0 = System.nanoTime();
    Map<String, String> owners = new TreeMap<>();
    for (String ip : publicIps) {
      await("an ARP answer for " + ip + " on " + network.name())
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> owners.put(ip, onlyAnsweringNode(ip)));
    }
    timings.put("expose -> ARP answers for all 3 IPs", KindCluster.seconds(t0));
    KindCluster.log(cluster.name(), "ARP: " + owners);
    assertThat(owners.values())
        .as("nodes whose containers' MACs answer ARP for %s", publicIps)
        .doesNotHaveDuplicates()
        .allMatch(frontNodes::contains);
    nodeOfIp = owners;
  }

  @Test
  @Order(12)
  void httpThroughEachIpIsServedByTheWorkload() {
    requireStep(nodeOfIp, "ARP answers");
    Set<String> servedBy = new TreeSet<>();
    for (String ip : publicIps) {
      await("HTTP through " + ip)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> servedBy.add(httpGet(ip)));
    }
    KindCluster.log(cluster.name(), "HTTP served by " + servedBy);
  }

  @Test
  @Order(13)
  void whereAgreesWithTheWire() {
    requireStep(nodeOfIp, "ARP answers");
    await("kubectl l2lb where: every IP announced from the node that answers ARP")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertWhere(nodeOfIp));
  }

  // --- 4. failover ---------------------------------------------------------------------------

  @Test
  @Order(20)
  void stoppingAFrontNodeContainerMovesOnlyItsIpToAnotherFrontNode() throws Exception {
    requireStep(nodeOfIp, "ARP answers");
    // A node without an operator replica: the failover under test is the speaker's node, not
    // the operator's leader hand-over (HandoverIT covers that).
    Set<String> operatorNodes =
        pods(Names.Components.OPERATOR).stream()
            .map(p -> p.getSpec().getNodeName())
            .collect(Collectors.toSet());
    String victim =
        frontNodes.stream().filter(n -> !operatorNodes.contains(n)).findFirst().orElseThrow();
    String movedIp =
        nodeOfIp.entrySet().stream()
            .filter(e -> e.getValue().equals(victim))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new AssertionError(victim + " holds none of " + nodeOfIp));
    List<String> survivors = frontNodes.stream().filter(n -> !n.equals(victim)).toList();
    KindCluster.log(
        cluster.name(),
        "stopping node container "
            + victim
            + " (holds "
            + movedIp
            + "; operators on "
            + operatorNodes
            + ")");

    long t0 = System.nanoTime();
    docker.stopContainerCmd(cluster.nodeContainer(victim).getId()).withTimeout(30).exec();
    String stopped = KindCluster.seconds(t0);
    assertThat(docker.inspectContainerCmd(victim).exec().getState().getRunning())
        .as("%s running after docker stop", victim)
        .isFalse();

    String[] newOwner = new String[1];
    await("ARP for " + movedIp + " answered from another front node")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              String node = onlyAnsweringNode(movedIp);
              assertThat(node).as("node answering for %s", movedIp).isIn(survivors);
              newOwner[0] = node;
            });
    timings.put(
        "docker stop of a front node (" + stopped + ") -> ARP from another",
        KindCluster.seconds(t0));
    KindCluster.log(cluster.name(), movedIp + " now answered by " + newOwner[0]);

    Map<String, String> after = new TreeMap<>(nodeOfIp);
    after.put(movedIp, newOwner[0]);
    for (String ip : publicIps) {
      if (!ip.equals(movedIp)) {
        assertThat(onlyAnsweringNode(ip))
            .as("%s (not on the stopped node) stays", ip)
            .isEqualTo(nodeOfIp.get(ip));
      }
    }
    // The stopped node's nginx replica stays in the EndpointSlice until the node controller
    // marks the node unreachable (about 50 s): kube-proxy may pick it for a while, so the first
    // requests can time out. A request answered proves the moved IP's path.
    await("HTTP through " + movedIp + " after the failover")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> httpGet(movedIp));
    timings.put("docker stop -> HTTP through the moved IP", KindCluster.seconds(t0));
    await("kubectl l2lb where after the failover")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertWhere(after));
    await("a FailedOver Event on service/" + APP + " naming " + movedIp)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(
                        cluster.client().v1().events().inNamespace(NS).list().getItems().stream()
                            .filter(e -> Names.Events.FAILED_OVER.equals(e.getReason()))
                            .filter(e -> APP.equals(e.getInvolvedObject().getName()))
                            .map(Event::getMessage)
                            .toList())
                    .anySatisfy(note -> assertThat(note).contains(movedIp)));
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void requireStep(Object state, String step) {
    if (state == null) {
      throw new AssertionError("not run: needs the earlier step \"" + step + "\", which failed");
    }
  }

  private static Commands.Result echo(Commands.Result r) {
    System.out.println("$ kubectl " + String.join(" ", r.command().subList(1, r.command().size())));
    r.output().lines().forEach(l -> System.out.println("  " + l));
    return r;
  }

  /** arping from the client container: the node whose container's MAC answers, exactly one. */
  private static String onlyAnsweringNode(String ip) throws IOException, InterruptedException {
    ExecResult r = client.execInContainer("arping", "-c", "2", "-w", "3", "-I", "eth0", ip);
    Set<String> macs = new TreeSet<>();
    Matcher m = ARP_REPLY.matcher(r.getStdout());
    while (m.find()) {
      assertThat(m.group(1)).isEqualTo(ip);
      macs.add(m.group(2).toLowerCase());
    }
    assertThat(macs)
        .as("MACs answering ARP for %s:\n%s%s", ip, r.getStdout(), r.getStderr())
        .hasSize(1);
    String mac = macs.iterator().next();
    return macOfNode.entrySet().stream()
        .filter(e -> e.getValue().equals(mac))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(ip + " answered by " + mac + ", no node's MAC " + macOfNode));
  }

  /** curl from the client container; returns the pod that served it. */
  private static String httpGet(String ip) throws IOException, InterruptedException {
    ExecResult r =
        client.execInContainer(
            "curl", "-sS", "--connect-timeout", "2", "-m", "3", "http://" + ip + "/");
    assertThat(r.getExitCode()).as("curl http://%s/: %s", ip, r.getStderr()).isZero();
    assertThat(r.getStdout()).as("body from http://%s/", ip).startsWith("served by " + APP + "-");
    return r.getStdout().strip().substring("served by ".length());
  }

  /** {@code kubectl l2lb where -o json} lists exactly {@code expected} (IP -> node), announced. */
  private static void assertWhere(Map<String, String> expected) {
    Commands.Result r = plugin.l2lb("-n", NS, "where", "-o", "json").orFail();
    JsonNode doc;
    try {
      doc = JSON.readTree(r.output());
    } catch (IOException e) {
      throw new UncheckedIOException("where -o json:\n" + r.output(), e);
    }
    Map<String, String> nodes = new TreeMap<>();
    for (JsonNode row : doc.path("items")) {
      String ip = row.path("ip").asText();
      nodes.put(ip, row.path("node").asText());
      assertThat(row.path("service").asText()).isEqualTo(APP);
      assertThat(row.path("state").asText()).as("state of %s in where", ip).isEqualTo("announced");
      assertThat(row.path("mac").asText().toLowerCase())
          .as("MAC of %s in where", ip)
          .isEqualTo(macOfNode.get(row.path("node").asText()));
    }
    assertThat(nodes).as("where: IP -> node").isEqualTo(expected);
  }

  private static Map<String, String> procStatus(Pod pod) {
    String status =
        cluster
            .kubectl(
                "exec",
                "-n",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                "--",
                "cat",
                "/proc/1/status")
            .orFail()
            .output();
    return status
        .lines()
        .filter(l -> l.contains(":"))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf(':')),
                l -> l.substring(l.indexOf(':') + 1).trim(),
                (a, b) -> a));
  }

  private static List<Pod> pods(String component) {
    return cluster
        .client()
        .pods()
        .inNamespace(Names.Components.NAMESPACE)
        .withLabel(Names.Components.NAME_LABEL, component)
        .list()
        .getItems();
  }

  private static DaemonSet speakerDaemonSet() {
    return cluster
        .client()
        .apps()
        .daemonSets()
        .inNamespace(Names.Components.NAMESPACE)
        .withName(Names.Components.SPEAKER)
        .get();
  }

  private static List<String> memberNodes() {
    return cluster
        .client()
        .nodes()
        .withLabel(Names.Labels.MEMBER, "true")
        .list()
        .getItems()
        .stream()
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static List<String> readySpeakerNodes() {
    return pods(Names.Components.SPEAKER).stream()
        .filter(KindCluster::ready)
        .map(p -> p.getSpec().getNodeName())
        .sorted()
        .toList();
  }

  private static Lease speakerLease(String node) {
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
