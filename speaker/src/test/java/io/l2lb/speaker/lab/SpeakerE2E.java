package io.l2lb.speaker.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.l2lb.core.Names;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.RepoRoot;
import io.l2lb.testkit.ShippedRbac;
import io.l2lb.testkit.TestCluster;
import io.l2lb.testkit.lab.LabProcess;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import io.l2lb.testkit.lab.NetnsLab.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole speaker: a real kube-apiserver + etcd (testkit) in the test's own network namespace,
 * and the shipped jar, run with the shipped JVM flags and RBAC, as one process per node namespace.
 * The lab segment (a bridge) joins a client, node-a and node-b; a veth from the root namespace puts
 * 198.51.100.1 on the segment, where the API server listens (kube-api-test starts it without
 * --bind-address, i.e. on all addresses).
 *
 * <p>TLS: the API server's certificate (kube-api-test's) names only 127.0.0.1 and {@code
 * kubernetes[.default[.svc...]]}, not 198.51.100.1. The speakers therefore use {@code
 * https://kubernetes:<port>} with {@code -Djdk.net.hosts.file} mapping {@code kubernetes} to
 * 198.51.100.1: certificate and hostname are verified for real (the fabric8 JDK HTTP client
 * resolves through the JVM); no insecure-skip-tls-verify.
 *
 * <p>The objects are created by the test the way the operator will (spec.nodeName plus the node
 * label). Needs root, iproute2, iputils-arping, ndisc6, tcpdump, libpcap0.8, bash, the
 * control-plane binaries (scripts/install-k8s-binaries.sh) and the packaged jar ({@code mvn verify}
 * builds it before the E2E phase). It fails, never skips, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeakerE2E {

  static final String API_ADDRESS = "198.51.100.1";
  static final Duration START = Duration.ofSeconds(60);
  static final Pattern SOURCE_MAC = Pattern.compile("^\\S+ ([0-9a-f:]{17}) > ");
  static final Pattern REPLY = Pattern.compile("^REPLY (\\d+) (\\S+) ([0-9a-f:]{17})$");
  static final long MIB = 1024 * 1024;

  static TestCluster cluster;
  static KubernetesClient client;
  static Fixtures fixtures;
  static String ns;
  static String id;
  static NetnsLab lab;
  static Host clientHost;
  static Host hostA;
  static Host hostB;
  static String nodeA;
  static String nodeB;
  static String class4;
  static String class6;
  static Path jar;
  static Path hostsFile;
  static Path kubeconfig;
  static String jvmFlags;
  static LabProcess speakerA;
  static LabProcess speakerB;

  @BeforeAll
  static void buildLabAndStartSpeakers() throws IOException {
    jar = Path.of(System.getProperty("l2lb.speaker.jar", "speaker/target/l2lb-speaker-all.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the packaged speaker jar "
              + jar
              + " is missing: run the E2E through "
              + "'./mvnw -pl speaker -am verify' (package runs before the E2E phase)");
    }
    lab = NetnsLab.create("arping", "ndisc6", "tcpdump", "bash", "env");
    cluster = TestCluster.shared();
    client = cluster.client();
    jvmFlags = shippedJvmFlags();
    ns = Fixtures.createUniqueNamespace(client, "speaker-e2e");
    id = ns.substring(ns.lastIndexOf('-') + 1);
    String token =
        ShippedRbac.install(
            client, "manifests/speaker/rbac.yaml", Names.Components.SPEAKER, ns, ns);

    clientHost = lab.addHost("client", "192.0.2.10/24", "2001:db8::10/64");
    hostA = lab.addHost("node-a", "192.0.2.11/24", "2001:db8::11/64");
    hostB = lab.addHost("node-b", "192.0.2.12/24", "2001:db8::12/64");
    lab.connectRootNamespace(API_ADDRESS + "/24");
    lab.mustRun(hostA, "ip", "addr", "add", "198.51.100.11/24", "dev", "eth0");
    lab.mustRun(hostB, "ip", "addr", "add", "198.51.100.12/24", "dev", "eth0");

    int port = URI.create(client.getConfiguration().getMasterUrl()).getPort();
    Result reach = lab.run(hostA, "bash", "-c", "exec 3<>/dev/tcp/" + API_ADDRESS + "/" + port);
    assertThat(reach.ok())
        .as("the API server must listen on " + API_ADDRESS + ":" + port + ": " + reach.output())
        .isTrue();
    Path dir = Files.createTempDirectory("speaker-e2e");
    hostsFile = Files.writeString(dir.resolve("hosts"), API_ADDRESS + " kubernetes\n");
    kubeconfig =
        ShippedRbac.kubeconfig(
            dir.resolve("speaker.kubeconfig"),
            "https://kubernetes:" + port,
            client.getConfiguration().getCaCertFile(),
            token);

    nodeA = "e2e-a-" + id;
    nodeB = "e2e-b-" + id;
    fixtures = cluster.fixtures(ns);
    fixtures
        .node(nodeA)
        .label(Names.Labels.MEMBER, "true")
        .internalIP(hostA.ipv4())
        .ready()
        .create();
    fixtures
        .node(nodeB)
        .label(Names.Labels.MEMBER, "true")
        .internalIP(hostB.ipv4())
        .ready()
        .create();
    class4 = "e2e-v4-" + id;
    fixtures.mlbc(class4).pool("192.0.2.96-192.0.2.159").create();
    class6 = "e2e-v6-" + id;
    fixtures.mlbc(class6).pool("2001:db8::100/120").create();

    speakerA = startSpeaker(hostA, nodeA);
    speakerB = startSpeaker(hostB, nodeB);
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (lab != null) {
      lab.close();
    }
    // the speakers' logs, for whoever has to find out why something failed
    Path logs = jar.toAbsolutePath().getParent().resolve("e2e-logs");
    Files.createDirectories(logs);
    for (LabProcess p : new LabProcess[] {speakerA, speakerB}) {
      if (p != null) {
        Files.write(
            logs.resolve(p.toString().replaceAll("[^A-Za-z0-9.-]+", "_") + ".log"), p.lines());
      }
    }
    if (client != null) {
      for (String n : new String[] {nodeA, nodeB}) {
        if (n != null) {
          client.nodes().withName(n).delete();
        }
      }
      for (String c : new String[] {class4, class6}) {
        if (c != null) {
          fixtures.deleteMlbc(c);
        }
      }
    }
  }

  /**
   * JDK_JAVA_OPTIONS from manifests/speaker/daemonset.yaml: the E2E runs with exactly the shipped
   * flags.
   */
  static String shippedJvmFlags() throws IOException {
    try (InputStream in =
        Files.newInputStream(RepoRoot.get().resolve("manifests/speaker/daemonset.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o instanceof DaemonSet ds) {
          return ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no JDK_JAVA_OPTIONS in the DaemonSet"));
        }
      }
    }
    throw new IllegalStateException("no DaemonSet in manifests/speaker/daemonset.yaml");
  }

  static LabProcess startSpeaker(Host host, String nodeName) {
    // -Dl2lb.e2e.extraJvmFlags=... adds diagnostics (e.g. -XX:NativeMemoryTracking=summary) to the
    // shipped flags
    String flags = (jvmFlags + " " + System.getProperty("l2lb.e2e.extraJvmFlags", "")).trim();
    List<String> command =
        List.of(
            "env",
            "NODE_NAME=" + nodeName,
            "POD_NAMESPACE=" + ns,
            "JDK_JAVA_OPTIONS=" + flags,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djdk.net.hosts.file=" + hostsFile,
            "-jar",
            jar.toString(),
            "--kubeconfig=" + kubeconfig,
            "--resync-interval=2s");
    LabProcess p = lab.start(host, "speaker-" + nodeName, command);
    p.awaitLine(l -> l.contains("informers synced"), START);
    return p;
  }

  // ---- announcements, as the operator writes them (testkit fixtures) --------------------

  /** Places {@code ip} on {@code node} ("" = on no node), as the operator would. */
  static void place(String name, String ip, String node, String cls) {
    fixtures.announcement(name).ip(ip).node(node).service("web", "uid-web").className(cls).create();
  }

  /** The operator moves the IP: spec.nodeName and the node label. */
  static void move(String name, String node) {
    fixtures.announcement(name).node(node).update();
  }

  static AnnouncementObject.Status status(String name) {
    AnnouncementObject a = fixtures.readAnnouncement(name);
    return a == null ? AnnouncementObject.Status.EMPTY : a.status();
  }

  static void awaitAnnouncedBy(String name, Host host) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              AnnouncementObject.Status s = status(name);
              assertThat(s.announcing()).as(name).isTrue();
              assertThat(s.mac()).as(name).isEqualTo(host.mac());
            });
  }

  // ---- the client's view ----------------------------------------------------------------

  static Result arping(String ip, int count) {
    return lab.run(
        clientHost,
        "arping",
        "-b",
        "-c",
        String.valueOf(count),
        "-w",
        String.valueOf(count + 2),
        "-I",
        "eth0",
        ip);
  }

  static Result ndisc6(String ip) {
    return lab.run(clientHost, "ndisc6", "-1", "-r", "3", "-w", "1000", ip, "eth0");
  }

  static long count(String text, String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(text).results().count();
  }

  static String neighbour(String ip) {
    return lab.mustRun(clientHost, "ip", "neigh", "show", ip, "dev", "eth0").output().trim();
  }

  static String sourceMac(String tcpdumpLine) {
    Matcher m = SOURCE_MAC.matcher(tcpdumpLine);
    return m.find() ? m.group(1) : "";
  }

  static LabProcess tcpdump(String filter) {
    LabProcess p =
        lab.start(
            clientHost,
            "tcpdump",
            List.of("tcpdump", "-i", "eth0", "-n", "-e", "-l", "-tt", filter));
    p.awaitLine(l -> l.contains("listening on"), START);
    return p;
  }

  /**
   * A probe in the client namespace: broadcast ARP requests for {@code ip} every {@code millis}.
   */
  static LabProcess probe(String ip, int millis) {
    LabProcess p =
        lab.startJava(
            clientHost,
            "probe",
            ArpProbeMain.class.getName(),
            "eth0",
            clientHost.ipv4(),
            ip,
            String.valueOf(millis));
    p.awaitLineStartingWith("PROBING", START);
    return p;
  }

  record Reply(long micros, String mac) {}

  static List<Reply> replies(LabProcess probe) {
    List<Reply> out = new ArrayList<>();
    for (String line : probe.lines()) {
      Matcher m = REPLY.matcher(line);
      if (m.matches()) {
        out.add(new Reply(Long.parseLong(m.group(1)), m.group(3)));
      }
    }
    return out;
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }

  static Lease lease(String node) {
    return client.leases().inNamespace(ns).withName(Names.speakerLeaseName(node)).get();
  }

  /** The speakers' probes and metrics, reached from the test's namespace over the API network. */
  static HttpResponse<String> http(String address, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + address + ":7472" + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static String metrics(String address) throws IOException, InterruptedException {
    return http(address, "/metrics").body();
  }

  // ---- tests ----------------------------------------------------------------------------

  @Test
  @Order(1)
  void theOwningNodeAnswersAndNothingAnswersForUnplacedOrOutOfPoolIps() {
    place("web-0", "192.0.2.100", nodeA, class4);
    place("web6-0", "2001:db8::100", nodeA, class6);
    place("parked", "192.0.2.101", "", class4); // allocated, placed on no node
    place("rogue", "192.0.2.200", nodeA, class4); // outside the class pool
    awaitAnnouncedBy("web-0", hostA);
    awaitAnnouncedBy("web6-0", hostA);
    for (String address : List.of("198.51.100.11", "198.51.100.12")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(http(address, "/readyz").statusCode())
                      .as("readiness of the speaker at " + address)
                      .isEqualTo(200));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(status("rogue").message()).contains("outside the address pool"));

    Result placed = arping("192.0.2.100", 3);
    assertThat(placed.ok()).as(placed.output()).isTrue();
    assertThat(count(placed.output(), "reply from 192\\.0\\.2\\.100 \\[" + hostA.mac() + "\\]"))
        .as(placed.output())
        .isEqualTo(3);
    assertThat(count(placed.output(), "reply from")).as("nobody else answers").isEqualTo(3);
    for (String ip : List.of("192.0.2.101", "192.0.2.200")) {
      Result none = arping(ip, 2);
      assertThat(none.ok()).as(none.output()).isFalse();
      assertThat(none.output()).contains("Received 0 response");
    }

    Result v6 = ndisc6("2001:db8::100");
    assertThat(v6.ok()).as(v6.output()).isTrue();
    assertThat(v6.output()).containsIgnoringCase("Target link-layer address: " + hostA.mac());
    Result v6none = ndisc6("2001:db8::101");
    assertThat(v6none.ok()).as(v6none.output()).isFalse();
    assertThat(status("parked").announcing()).as("no speaker reports on an unplaced IP").isNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("web-0"))
                    .anyMatch(
                        e -> e.getReason().equals("Announcing") && e.getMessage().contains(nodeA)));
    assertThat(events("rogue"))
        .anyMatch(e -> e.getReason().equals("OutsidePool") && e.getType().equals("Warning"));
  }

  static List<io.fabric8.kubernetes.api.model.Event> events(String involved) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * The operator moves an IP from node-a to node-b. The client holds neighbour entries for node-a's
   * MAC and sends nothing: node-b's gratuitous ARP / unsolicited NA alone must repoint them, and
   * node-a must never claim the IP again once node-b has (node-a is still inside its own take-over
   * burst when the move happens).
   */
  @Test
  @Order(2)
  void aMoveRepointsTheClientThroughGratuitousAnnouncementsAlone() {
    place("move4", "192.0.2.110", nodeA, class4);
    place("move6", "2001:db8::110", nodeA, class6);
    awaitAnnouncedBy("move4", hostA);
    awaitAnnouncedBy("move6", hostA);
    lab.mustRun(
        clientHost,
        "bash",
        "-c",
        "echo hi > /dev/udp/192.0.2.110/9; echo hi > /dev/udp/2001:db8::110/9");
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> neighbour("192.0.2.110").contains("lladdr " + hostA.mac()));
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> neighbour("2001:db8::110").contains("lladdr " + hostA.mac()));

    LabProcess capture = tcpdump("arp or icmp6");
    long t0 = System.nanoTime();
    move("move4", nodeB);
    move("move6", nodeB);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> neighbour("192.0.2.110").contains("lladdr " + hostB.mac()));
    long v4Switched = (System.nanoTime() - t0) / 1_000_000;
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> neighbour("2001:db8::110").contains("lladdr " + hostB.mac()));
    long v6Switched = (System.nanoTime() - t0) / 1_000_000;
    // let a second burst from node-b (1 s later) and anything node-a might still send arrive
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                capture.lines().stream()
                        .filter(
                            l ->
                                sourceMac(l).equals(hostB.mac())
                                    && l.contains("Request who-has 192.0.2.110"))
                        .count()
                    >= 2);
    capture.stop(Duration.ofSeconds(3));
    System.out.printf(
        "move node-a -> node-b: client's neighbour entry switched after %d ms (IPv4), %d ms (IPv6)%n",
        v4Switched, v6Switched);

    List<String> lines = capture.lines();
    String text = String.join("\n", lines);
    assertThat(lines.stream().filter(l -> sourceMac(l).equals(clientHost.mac())))
        .as("the client asked nothing itself:\n" + text)
        .noneMatch(l -> l.contains("who-has 192.0.2.110") || l.contains("who has 2001:db8::110"));
    assertThat(text)
        .as("gratuitous ARP in both forms and an unsolicited NA from node-b")
        .contains(
            "Request who-has 192.0.2.110",
            "Reply 192.0.2.110 is-at " + hostB.mac(),
            "neighbor advertisement, tgt is 2001:db8::110");
    List<String> claims =
        lines.stream()
            .filter(l -> l.contains(" 192.0.2.110 ") || l.contains("tgt is 2001:db8::110"))
            .toList();
    int firstB = -1;
    for (int i = 0; i < claims.size() && firstB < 0; i++) {
      if (sourceMac(claims.get(i)).equals(hostB.mac())) {
        firstB = i;
      }
    }
    assertThat(firstB).as(text).isNotNegative();
    assertThat(claims.subList(firstB, claims.size()))
        .as("no frame from node-a after node-b's first:\n" + text)
        .noneMatch(l -> sourceMac(l).equals(hostA.mac()));
  }

  /**
   * The same move while the client asks every 20 ms (broadcast, so either node may answer): the
   * replies switch from node-a to node-b and never interleave, i.e. there is no moment when both
   * MACs answer for the IP.
   */
  @Test
  @Order(3)
  void underContinuousProbingTheAnswersSwitchOnceAndNeverInterleave() {
    place("probe", "192.0.2.120", nodeA, class4);
    awaitAnnouncedBy("probe", hostA);
    LabProcess capture = tcpdump("arp");
    LabProcess probe = probe("192.0.2.120", 20);
    await().atMost(Duration.ofSeconds(10)).until(() -> replies(probe).size() >= 10);

    long movedAt = micros(Instant.now());
    move("probe", nodeB);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> replies(probe).stream().filter(r -> r.mac().equals(hostB.mac())).count() >= 20);
    probe.stop(Duration.ofSeconds(3));
    capture.stop(Duration.ofSeconds(3));

    List<Reply> replies = replies(probe);
    int firstB = 0;
    while (firstB < replies.size() && !replies.get(firstB).mac().equals(hostB.mac())) {
      firstB++;
    }
    assertThat(replies.subList(0, firstB))
        .as("before the switch only node-a")
        .allMatch(r -> r.mac().equals(hostA.mac()));
    assertThat(replies.subList(firstB, replies.size()))
        .as("after node-b's first reply never node-a again")
        .allMatch(r -> r.mac().equals(hostB.mac()));
    long lastA = replies.get(firstB - 1).micros();
    long firstBAt = replies.get(firstB).micros();
    System.out.printf(
        "move under 20 ms probing: last node-a reply %d ms after the patch, first node-b reply %d ms "
            + "after it: %d ms without an answer, 0 ms with two%n",
        (lastA - movedAt) / 1000, (firstBAt - movedAt) / 1000, (firstBAt - lastA) / 1000);

    // the wire agrees, gratuitous frames included
    List<String> claims =
        capture.lines().stream()
            .filter(
                l ->
                    l.contains(" 192.0.2.120 ")
                        && (l.contains("is-at") || l.contains("tell 192.0.2.120")))
            .toList();
    int firstWireB = 0;
    while (firstWireB < claims.size() && !sourceMac(claims.get(firstWireB)).equals(hostB.mac())) {
      firstWireB++;
    }
    assertThat(firstWireB).isLessThan(claims.size());
    assertThat(claims.subList(firstWireB, claims.size()))
        .as(String.join("\n", claims))
        .noneMatch(l -> sourceMac(l).equals(hostA.mac()));
  }

  /**
   * node-a loses the API server (its address on the API network is removed inside its namespace:
   * its Lease goes stale), and keeps answering. The operator then moves the IP to node-b: node-b's
   * gratuitous ARP reaches node-a, which cannot confirm the IP with the API and fences itself; from
   * then on only node-b answers. When the API is back node-a learns of the move and releases the
   * IP.
   */
  @Test
  @Order(4)
  void anApiOutageDoesNotStopAnsweringAndAnUnconfirmedRivalClaimFences() {
    place("outage", "192.0.2.130", nodeA, class4);
    place("outage6", "2001:db8::130", nodeA, class6);
    awaitAnnouncedBy("outage", hostA);
    awaitAnnouncedBy("outage6", hostA);

    // both directions: a blackhole route alone stops requests but still lets the API
    // server's watch stream in; without its address on the API network node-a neither
    // sends to nor receives from 198.51.100.1 (the lab segment itself stays up)
    lab.mustRun(hostA, "ip", "addr", "del", "198.51.100.11/24", "dev", "eth0");
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                Lease l = lease(nodeA);
                return l != null
                    && l.getSpec()
                        .getRenewTime()
                        .toInstant()
                        .isBefore(Instant.now().minusSeconds(4));
              });
      Result during = arping("192.0.2.130", 3);
      assertThat(count(during.output(), "reply from 192\\.0\\.2\\.130 \\[" + hostA.mac() + "\\]"))
          .as("node-a answers with its Lease expired:\n" + during.output())
          .isEqualTo(3);
      Result v6 = ndisc6("2001:db8::130");
      assertThat(v6.output()).containsIgnoringCase("Target link-layer address: " + hostA.mac());

      move("outage", nodeB);
      awaitAnnouncedBy("outage", hostB);
      speakerA.awaitLine(l -> l.contains("fenced 192.0.2.130"), Duration.ofSeconds(15));
      Result after = arping("192.0.2.130", 3);
      assertThat(count(after.output(), "reply from 192\\.0\\.2\\.130 \\[" + hostB.mac() + "\\]"))
          .as(after.output())
          .isEqualTo(3);
      assertThat(count(after.output(), "reply from"))
          .as("node-a fenced itself:\n" + after.output())
          .isEqualTo(3);
      assertThat(ndisc6("2001:db8::130").output())
          .as("unaffected by the IPv4 rival")
          .containsIgnoringCase("Target link-layer address: " + hostA.mac());
    } finally {
      lab.mustRun(hostA, "ip", "addr", "add", "198.51.100.11/24", "dev", "eth0");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lease(nodeA)
                    .getSpec()
                    .getRenewTime()
                    .toInstant()
                    .isAfter(Instant.now().minusSeconds(3)));
    speakerA.awaitLine(l -> l.contains("released 192.0.2.130"), Duration.ofSeconds(60));
  }

  /**
   * SIGTERM to node-b's speaker while a client probes it every 10 ms and the test watches its
   * Lease: the Lease must be deleted at once (long before its 3 s would run out) and answering must
   * stop. Before that, the resident memory with the shipped flags and a dozen announced IPs. The
   * figures are printed; their targets (0.3 s, 96 MiB) are benchmark targets recorded in
   * docs/benchmarks.md, not pass/fail lines for a shared CI machine, so the assertions here only
   * catch what is broken (a lease left to expire, flags not applied).
   */
  @Test
  @Order(5)
  void sigtermReleasesTheLeaseAndStopsAnswering() throws Exception {
    for (int i = 0; i < 5; i++) {
      place("many-" + i, "192.0.2.1" + (40 + i), nodeB, class4);
      place("many6-" + i, "2001:db8::1" + (40 + i), nodeB, class6);
    }
    for (int i = 0; i < 5; i++) {
      awaitAnnouncedBy("many-" + i, hostB);
      awaitAnnouncedBy("many6-" + i, hostB);
    }
    String m = metrics("198.51.100.12");
    Matcher v4 = Pattern.compile("l2lb_speaker_announced_ips\\{family=\"ipv4\"} (\\d+)").matcher(m);
    Matcher v6 = Pattern.compile("l2lb_speaker_announced_ips\\{family=\"ipv6\"} (\\d+)").matcher(m);
    assertThat(v4.find() && v6.find()).as(m).isTrue();
    int announced = Integer.parseInt(v4.group(1)) + Integer.parseInt(v6.group(1));
    assertThat(announced).isGreaterThanOrEqualTo(10);
    // measured once the take-over bursts (5 s after the latest 'since', which is cut to seconds)
    // are over
    Instant quiet = Instant.parse(status("many6-4").since()).plusSeconds(7);
    await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(quiet));
    Map<String, Long> mem = memory(speakerB.pid());
    System.out.printf(
        "speaker RSS with the shipped flags, %d announced IPs: VmRSS %.1f MiB (peak VmHWM %.1f MiB); "
            + "flags: %s%n",
        announced, mem.get("VmRSS") / (double) MIB, mem.get("VmHWM") / (double) MIB, jvmFlags);
    if (System.getProperty("l2lb.e2e.extraJvmFlags", "").contains("NativeMemoryTracking")) {
      System.out.println(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(speakerB.pid()),
                  "VM.native_memory",
                  "summary")
              .redirectErrorStream(true)
              .start()
              .inputReader()
              .lines()
              .collect(java.util.stream.Collectors.joining("\n")));
    }
    assertThat(mem.get("VmRSS"))
        .as("VmRSS (target 96 MiB; far above means the shipped flags were not applied)")
        .isLessThanOrEqualTo(192 * MIB);

    LabProcess probe = probe("192.0.2.140", 10);
    await().atMost(Duration.ofSeconds(10)).until(() -> replies(probe).size() >= 10);
    long[] leaseGoneAt = {0};
    Watch watch =
        client
            .leases()
            .inNamespace(ns)
            .withName(Names.speakerLeaseName(nodeB))
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Lease resource) {
                    if (action == Action.DELETED) {
                      synchronized (leaseGoneAt) {
                        leaseGoneAt[0] = System.nanoTime();
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      assertThat(lease(nodeB)).isNotNull();
      Instant sigtermAt = Instant.now();
      long t0 = System.nanoTime();
      Duration exit = speakerB.stop(Duration.ofSeconds(5));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                synchronized (leaseGoneAt) {
                  return leaseGoneAt[0] != 0;
                }
              });
      // the measuring window: any reply sent up to 0.5 s after SIGTERM is in the probe's output
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> Instant.now().isAfter(sigtermAt.plusMillis(500)));
      probe.stop(Duration.ofSeconds(3));

      long leaseMillis = (leaseGoneAt[0] - t0) / 1_000_000;
      long sigtermMicros = micros(sigtermAt);
      List<Reply> fromB = replies(probe).stream().filter(r -> r.mac().equals(hostB.mac())).toList();
      long lastReplyMicros = fromB.get(fromB.size() - 1).micros();
      // negative: the last reply left before the signal, none after it
      double lastReplyRelative = (lastReplyMicros - sigtermMicros) / 1000.0;
      long lastReplyMillis = Math.max(0, Math.round(lastReplyRelative));
      String own =
          speakerB.lines().stream()
              .filter(l -> l.contains("shutdown: stopped answering"))
              .findFirst()
              .orElse("(no shutdown line in the speaker log)");
      System.out.printf(
          "SIGTERM -> Lease deleted (seen by a watch): %d ms; last ARP reply seen by the client "
              + "(probing every 10 ms): %+.1f ms relative to SIGTERM; process exit: %d ms; speaker's own log: %s%n",
          leaseMillis, lastReplyRelative, exit.toMillis(), own.substring(own.indexOf("shutdown:")));
      assertThat(lease(nodeB)).isNull();
      assertThat(leaseMillis)
          .as("SIGTERM -> Lease deleted, not left to expire after 3 s")
          .isLessThan(2000);
      assertThat(lastReplyMillis).as("SIGTERM -> last reply").isLessThan(2000);
      assertThat(arping("192.0.2.140", 2).output()).contains("Received 0 response");
    } finally {
      watch.close();
    }
  }

  static Map<String, Long> memory(long pid) throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      for (String key : List.of("VmRSS", "VmHWM")) {
        if (line.startsWith(key + ":")) {
          out.put(key, Long.parseLong(line.replaceAll("\\D", "")) * 1024);
        }
      }
    }
    return out;
  }
}
