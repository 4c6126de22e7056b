package io.l2lb.operator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.RepoRoot;
import io.l2lb.testkit.ShippedRbac;
import io.l2lb.testkit.TestCluster;
import io.l2lb.testkit.lab.LabProcess;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole product in the network-namespace lab: a real API server (in the test's namespace,
 * reachable from the lab at 198.51.100.1), the operator as its own process (the shipped jar, with
 * the shipped RBAC), and a real speaker process (the speaker's shipped jar and flags) in each of
 * three node namespaces. A Service asks for three IPs: {@code arping} from the client sees three
 * different MACs. SIGKILL one speaker: when its Lease runs out, the operator moves its IP and the
 * client gets the answer from another node's MAC.
 */
class OperatorE2E {

  static final String API_ADDRESS = "198.51.100.1";
  static final Pattern REPLY =
      Pattern.compile("reply from (\\S+) \\[([0-9a-f:]{17})\\]", Pattern.CASE_INSENSITIVE);

  static TestCluster cluster;
  static KubernetesClient client;
  static NetnsLab lab;
  static String ns;
  static String id;
  static Host clientHost;
  static final List<Host> hosts = new ArrayList<>();
  static final List<String> nodes = new ArrayList<>();
  static final Map<String, LabProcess> speakers = new HashMap<>();
  static Process operator;
  static Path operatorLog;
  static String className;

  @BeforeAll
  static void lab() throws IOException {
    Path operatorJar = Path.of(System.getProperty("l2lb.operator.jar", "target/l2lb-operator.jar"));
    Path speakerJar = Path.of(System.getProperty("l2lb.speaker.jar", ""));
    for (Path jar : List.of(operatorJar, speakerJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: run through './mvnw -pl operator -am verify' (package first)");
      }
    }
    lab = NetnsLab.create("arping", "bash", "env");
    cluster = TestCluster.shared();
    client = cluster.client();
    ns = Fixtures.createUniqueNamespace(client, "operator-e2e");
    id = ns.substring(ns.lastIndexOf('-') + 1);
    String speakerToken =
        ShippedRbac.install(client, "manifests/speaker/rbac.yaml", Names.Components.SPEAKER, ns);
    String operatorToken =
        ShippedRbac.install(client, "manifests/operator/rbac.yaml", Names.Components.OPERATOR, ns);

    clientHost = lab.addHost("client", "192.0.2.10/24", "2001:db8::10/64");
    for (int i = 0; i < 3; i++) {
      hosts.add(lab.addHost("front-" + i, "192.0.2.2" + i + "/24", "2001:db8::2" + i + "/64"));
    }
    lab.connectRootNamespace(API_ADDRESS + "/24");
    for (int i = 0; i < 3; i++) {
      lab.mustRun(hosts.get(i), "ip", "addr", "add", "198.51.100.2" + i + "/24", "dev", "eth0");
    }
    int port = URI.create(client.getConfiguration().getMasterUrl()).getPort();
    Path dir = Files.createTempDirectory("operator-e2e");
    Path hostsFile = Files.writeString(dir.resolve("hosts"), API_ADDRESS + " kubernetes\n");
    Path speakerConfig =
        ShippedRbac.kubeconfig(
            dir.resolve("speaker.kubeconfig"),
            "https://kubernetes:" + port,
            client.getConfiguration().getCaCertFile(),
            speakerToken);
    Path operatorConfig =
        ShippedRbac.kubeconfig(
            dir.resolve("operator.kubeconfig"),
            client.getConfiguration().getMasterUrl(),
            client.getConfiguration().getCaCertFile(),
            operatorToken);

    Fixtures fixtures = cluster.fixtures(ns);
    for (int i = 0; i < 3; i++) {
      String node = "e2e-front-" + i + "-" + id;
      nodes.add(node);
      fixtures
          .node(node)
          .label("node-role", "front-" + id)
          .internalIP(hosts.get(i).ipv4())
          .ready()
          .create();
    }
    fixtures.node("e2e-worker-" + id).label("node-role", "worker-" + id).ready().create();
    className = "e2e-" + id;
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.getMetadata().setName(className);
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setAddressPool(List.of("192.0.2.100-192.0.2.150"));
    spec.setNodeSelector(Map.of("node-role", "front-" + id));
    c.setSpec(spec);
    client.resource(c).create();

    String flags = speakerJvmFlags();
    for (int i = 0; i < 3; i++) {
      LabProcess p =
          lab.start(
              hosts.get(i),
              "speaker-" + nodes.get(i),
              List.of(
                  "env",
                  "NODE_NAME=" + nodes.get(i),
                  "POD_NAMESPACE=" + ns,
                  "JDK_JAVA_OPTIONS=" + flags,
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Djdk.net.hosts.file=" + hostsFile,
                  "-jar",
                  speakerJar.toString(),
                  "--kubeconfig=" + speakerConfig));
      speakers.put(nodes.get(i), p);
    }
    for (LabProcess p : speakers.values()) {
      p.awaitLine(l -> l.contains("informers synced"), Duration.ofSeconds(90));
    }
    operatorLog = operatorJar.toAbsolutePath().getParent().resolve("e2e-logs/operator.log");
    Files.createDirectories(operatorLog.getParent());
    operator =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                operatorJar.toString(),
                "--kubeconfig=" + operatorConfig,
                "--namespace=" + ns,
                "--identity=operator-e2e",
                "--metrics-port=0")
            .redirectErrorStream(true)
            .redirectOutput(operatorLog.toFile())
            .start();
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (operator != null) {
      operator.destroy();
    }
    if (lab != null) {
      lab.close();
    }
    if (operatorLog != null) {
      for (Map.Entry<String, LabProcess> e : speakers.entrySet()) {
        Files.write(
            operatorLog.resolveSibling("speaker-" + e.getKey() + ".log"), e.getValue().lines());
      }
    }
    if (client != null) {
      client.services().inNamespace(ns).delete();
      client.resources(L2Announcement.class).inNamespace(ns).delete();
      for (String n : nodes) {
        client.nodes().withName(n).delete();
      }
      client.nodes().withName("e2e-worker-" + id).delete();
      client.resources(MetalLoadBalancerClass.class).withName(className).delete();
    }
  }

  static String speakerJvmFlags() throws IOException {
    try (InputStream in =
        Files.newInputStream(RepoRoot.get().resolve("manifests/speaker/daemonset.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o instanceof DaemonSet ds) {
          return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElseThrow();
        }
      }
    }
    throw new IllegalStateException("no DaemonSet in manifests/speaker/daemonset.yaml");
  }

  /** The MAC that answers ARP for ip (one probe; null when nobody answers). */
  static String macOf(String ip) {
    NetnsLab.Result r = lab.run(clientHost, "arping", "-c", "1", "-w", "2", "-I", "eth0", ip);
    Matcher m = REPLY.matcher(r.output());
    return m.find() ? m.group(2).toLowerCase() : null;
  }

  static Map<String, String> placement() {
    Map<String, String> out = new HashMap<>();
    for (L2Announcement a :
        client.resources(L2Announcement.class).inNamespace(ns).list().getItems()) {
      out.put(a.getSpec().getIp(), a.getSpec().getNodeName());
    }
    return out;
  }

  static String macOfNode(String node) {
    return hosts.get(nodes.indexOf(node)).mac();
  }

  @Test
  void threeIpsAnswerFromThreeMacsAndAKilledSpeakersIpMoves() {
    cluster
        .fixtures(ns)
        .service("app")
        .annotation(Names.Annotations.CLASS, className)
        .annotation(Names.Annotations.EXTERNAL_IPS_COUNT, "3")
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<L2Announcement> all =
                  client.resources(L2Announcement.class).inNamespace(ns).list().getItems();
              assertThat(all).hasSize(3);
              assertThat(all)
                  .allMatch(
                      a ->
                          a.getStatus() != null
                              && Boolean.TRUE.equals(a.getStatus().getAnnouncing()));
            });
    Map<String, String> placed = placement();
    assertThat(new HashSet<>(placed.values())).containsExactlyInAnyOrderElementsOf(nodes);
    Map<String, String> macs = new HashMap<>();
    for (String ip : placed.keySet()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> macOf(ip) != null);
      macs.put(ip, macOf(ip));
      assertThat(macs.get(ip)).as(ip).isEqualTo(macOfNode(placed.get(ip)));
    }
    assertThat(new HashSet<>(macs.values())).as("three different MACs: " + macs).hasSize(3);
    System.out.println("E2E: three IPs, three MACs: " + macs);

    // SIGKILL front-0's speaker: its Lease runs out (3 s), the operator moves its IP
    String victim = nodes.get(0);
    String ip =
        placed.entrySet().stream()
            .filter(e -> e.getValue().equals(victim))
            .findFirst()
            .get()
            .getKey();
    long t0 = System.nanoTime();
    // SIGKILL ("ip netns exec" and env exec the JVM: the pid is the speaker's own); no SIGTERM,
    // so the Lease is not deleted and has to run out
    ProcessHandle.of(speakers.get(victim).pid()).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String mac = macOf(ip);
              return mac != null && !mac.equals(macOfNode(victim));
            });
    long millis = (System.nanoTime() - t0) / 1_000_000;
    String now = placement().get(ip);
    assertThat(now).isIn(nodes.get(1), nodes.get(2));
    assertThat(macOf(ip)).isEqualTo(macOfNode(now));
    System.out.printf(
        "E2E: speaker of %s killed; %s answered from %s's MAC after %d ms%n",
        victim, ip, now, millis);
  }
}
