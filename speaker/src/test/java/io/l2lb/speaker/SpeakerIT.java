package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.speaker.announce.AnnouncementStatus.State;
import io.l2lb.speaker.kube.KubeOwnershipCheck;
import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.FakeInterfaces;
import io.l2lb.speaker.wire.FakePacketPort;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.testkit.KubeApiTestBase;
import io.l2lb.testkit.ShippedRbac;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speaker against a real kube-apiserver (testkit), in-process, with fake packet ports: Lease,
 * informers, status subresource, Events, ownership checks and RBAC are real; only the wire is not
 * (that is {@code SpeakerE2E}).
 */
class SpeakerIT extends KubeApiTestBase {

  static final MacAddress MAC = MacAddress.parse("02:00:00:00:01:aa");
  static final MacAddress RIVAL = MacAddress.parse("02:00:00:00:01:bb");
  static final MacAddress CLIENT_MAC = MacAddress.parse("02:00:00:00:01:01");
  static final AtomicInteger SEQ = new AtomicInteger();

  @TempDir Path tmp;

  final Map<String, FakePacketPort> ports = new ConcurrentHashMap<>();
  final FakeInterfaces interfaces =
      new FakeInterfaces().with("lo", "127.0.0.1").with("eth0", "192.0.2.11");
  final List<Speaker> speakers = new ArrayList<>();
  final List<AutoCloseable> closeLater = new ArrayList<>();
  final List<String> classes = new ArrayList<>();

  @AfterEach
  void stopSpeakers() throws Exception {
    for (Speaker s : speakers) {
      s.close();
    }
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    classes.forEach(fixtures::deleteMlbc); // cluster-scoped: shared by every test of the JVM
  }

  // ---- helpers --------------------------------------------------------------------------

  String unique(String prefix) {
    return prefix + "-" + namespace.substring(namespace.length() - 5) + "-" + SEQ.incrementAndGet();
  }

  /**
   * A speaker for {@code node} with the admin kubeconfig pointed at {@code server} (default: the
   * API server).
   */
  Speaker startSpeaker(String node, Path kubeconfig) {
    SpeakerConfig config =
        SpeakerConfig.parse(
            List.of(
                "--node-name=" + node,
                "--namespace=" + namespace,
                "--metrics-address=127.0.0.1",
                "--metrics-port=0",
                "--resync-interval=1s",
                "--fence-check-timeout=1s",
                "--kubeconfig=" + kubeconfig),
            Map.of());
    KubernetesClient speakerClient = SpeakerMain.client(config);
    closeLater.add(speakerClient);
    Speaker s =
        Speaker.start(
            config,
            speakerClient,
            name -> {
              FakePacketPort p = new FakePacketPort(name, MAC);
              ports.put(name, p);
              return p;
            },
            interfaces);
    speakers.add(s);
    return s;
  }

  Path adminKubeconfig() {
    return cluster.writeKubeconfig(tmp.resolve("admin.kubeconfig"));
  }

  String createNodeAndClass(String node, String... pool) {
    fixtures
        .node(node)
        .label(Names.Labels.MEMBER, "true")
        .internalIP("192.0.2.11")
        .ready()
        .create();
    String cls = unique("pool");
    fixtures.mlbc(cls).pool(pool).create();
    classes.add(cls);
    return cls;
  }

  /** As the operator places an IP: spec.nodeName and the node label agree. */
  L2Announcement announcement(String name, String ip, String node, String cls) {
    return announcement(name, ip, node, node, cls);
  }

  L2Announcement announcement(String name, String ip, String labelNode, String node, String cls) {
    return fixtures
        .announcement(name)
        .ip(ip)
        .node(node)
        .nodeLabel(labelNode)
        .service("web", "uid-web")
        .className(cls)
        .create();
  }

  AnnouncementObject.Status status(String name) {
    AnnouncementObject a = fixtures.readAnnouncement(name);
    return a == null ? null : a.status();
  }

  List<Event> events(String involved, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(
            e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  static byte[] arpRequest(String ip) {
    return new ArpPacket(
            MacAddress.BROADCAST,
            CLIENT_MAC,
            ArpPacket.REQUEST,
            CLIENT_MAC,
            Ip.parse4("192.0.2.10"),
            MacAddress.ZERO,
            Ip.parse4(ip))
        .encode();
  }

  /** Asks the fake eth0 for {@code ip} as a client would; true if the speaker replied. */
  boolean answers(String ip) {
    FakePacketPort eth0 = ports.get("eth0");
    if (eth0 == null || eth0.isClosed()) {
      return false;
    }
    eth0.drain();
    eth0.receive(arpRequest(ip));
    return eth0.drain().stream()
        .map(ArpPacket::decode)
        .flatMap(java.util.Optional::stream)
        .anyMatch(a -> a.isReply() && !a.isGratuitous() && a.senderIp().equals(Ip.parse4(ip)));
  }

  static HttpResponse<String> get(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---- tests ----------------------------------------------------------------------------

  @Test
  void leaseIsCreatedRenewedAndDeletedOnShutdown() {
    String node = unique("lease");
    Speaker speaker = startSpeaker(node, adminKubeconfig());
    String leaseName = Names.speakerLeaseName(node);

    Lease first =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.leases().inNamespace(namespace).withName(leaseName).get(),
                l -> l != null);
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(node);
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
    ZonedDateTime firstRenew = first.getSpec().getRenewTime();
    assertThat(firstRenew).isNotNull();
    String raw =
        client.raw("/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/" + leaseName);
    assertThat(raw)
        .as("MicroTime on the wire")
        .containsPattern("\"renewTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .leases()
                            .inNamespace(namespace)
                            .withName(leaseName)
                            .get()
                            .getSpec()
                            .getRenewTime())
                    .isAfter(firstRenew));
    await().atMost(Duration.ofSeconds(10)).until(speaker::ready);
    assertThat(speaker.lease().renewals()).isGreaterThanOrEqualTo(2);
    assertThat(get(speaker.httpPort(), "/metrics").body())
        .containsPattern("l2lb_speaker_lease_renewals_total [1-9]");

    Speaker.ShutdownReport report = speaker.shutdown();
    System.out.println("in-process shutdown: " + report);

    assertThat(report.leaseReleased()).isTrue();
    assertThat(client.leases().inNamespace(namespace).withName(leaseName).get())
        .as("deleted at once")
        .isNull();
    assertThat(report.leaseReleasedMillis()).isLessThan(1000);
  }

  @Test
  void statusIsPatchedForItsOwnObjectsOnlyAndReleasedOnMove() {
    String node = unique("node");
    String other = unique("other");
    String cls = createNodeAndClass(node, "192.0.2.96/28");
    Speaker speaker = startSpeaker(node, adminKubeconfig());

    announcement("mine", "192.0.2.100", node, cls);
    announcement("theirs", "192.0.2.101", other, cls);
    announcement(
        "stale-label",
        "192.0.2.102",
        node,
        other,
        cls); // label says us, spec says other: the operator's first step of a move

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              AnnouncementObject.Status s = status("mine");
              assertThat(s.announcing()).isTrue();
              assertThat(s.mac()).isEqualTo(MAC.toString());
              assertThat(s.interfaceName()).isEqualTo("eth0");
              assertThat(Instant.parse(s.since())).isBefore(Instant.now().plusSeconds(1));
              assertThat(s.message()).isNull();
            });
    assertThat(speaker.announcer().owned()).containsExactly(Ip.parse("192.0.2.100"));
    assertThat(answers("192.0.2.100")).isTrue();
    assertThat(answers("192.0.2.101")).isFalse();
    assertThat(answers("192.0.2.102")).isFalse();
    assertThat(status("theirs"))
        .as("not ours to report on")
        .isEqualTo(AnnouncementObject.Status.EMPTY);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(status("stale-label"))
                    .as("still labelled for us: we report that we do not answer for it")
                    .isEqualTo(
                        AnnouncementObject.Status.notAnnouncing(
                            "released by " + node + "; moving to " + other)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("mine", "Announcing"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Normal");
                          assertThat(e.getReportingComponent()).isEqualTo("l2lb-speaker");
                          assertThat(e.getMessage()).contains("192.0.2.100", node, "eth0");
                        }));
    await().atMost(Duration.ofSeconds(10)).until(speaker::ready);
    assertThat(get(speaker.httpPort(), "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(speaker.httpPort(), "/healthz").statusCode()).isEqualTo(200);
    String metrics = get(speaker.httpPort(), "/metrics").body();
    assertThat(metrics)
        .contains("l2lb_speaker_announced_ips{family=\"ipv4\"} 1.0")
        .containsPattern("l2lb_speaker_requests_received_total\\{family=\"ipv4\"} [1-9]")
        .containsPattern("l2lb_speaker_replies_sent_total\\{family=\"ipv4\"} [1-9]")
        .containsPattern("l2lb_speaker_gratuitous_sent_total\\{family=\"ipv4\"} [1-9]");

    // the operator moves the IP away: spec and label
    fixtures.announcement("mine").node(other).update();

    await().atMost(Duration.ofSeconds(10)).until(() -> speaker.announcer().owned().isEmpty());
    assertThat(answers("192.0.2.100")).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events("mine", "Released")).hasSize(1));
  }

  @Test
  void anIpOutsideTheClassPoolIsNeverAnnouncedAndReported() {
    String node = unique("node");
    String cls = createNodeAndClass(node, "192.0.2.96/28");
    Speaker speaker = startSpeaker(node, adminKubeconfig());

    announcement("rogue", "192.0.2.200", node, cls);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              AnnouncementObject.Status s = status("rogue");
              assertThat(s.announcing()).isFalse();
              assertThat(s.message()).contains("192.0.2.200 is outside the address pool", cls);
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("rogue", "OutsidePool"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
    assertThat(speaker.announcer().owned()).isEmpty();
    assertThat(ports).as("no interface opened for it").isEmpty();
  }

  @Test
  void ownershipCheckAsksTheApiServerAndFailsClosedWhenItIsUnreachable() throws IOException {
    String node = unique("node");
    String other = unique("other");
    String cls = unique("pool");
    announcement("mine", "192.0.2.100", node, cls);
    announcement("theirs", "192.0.2.101", other, cls);
    var pool = Executors.newCachedThreadPool();
    closeLater.add(pool::shutdownNow);

    KubeOwnershipCheck check = new KubeOwnershipCheck(client, node, Duration.ofSeconds(2), pool);
    assertThat(confirmed(check, "192.0.2.100")).isTrue();
    assertThat(confirmed(check, "192.0.2.101")).as("placed on another node").isFalse();
    assertThat(confirmed(check, "192.0.2.105")).as("placed nowhere").isFalse();

    // the same check through a relay that drops every connection: the API is unreachable
    TcpProxy proxy = relay();
    proxy.cut();
    SpeakerConfig cfg =
        SpeakerConfig.parse(
            List.of(
                "--node-name=" + node,
                "--kubeconfig="
                    + Kubeconfigs.withServer(
                        tmp.resolve("cut.kubeconfig"),
                        cluster.kubeconfigYaml(),
                        "https://127.0.0.1:" + proxy.port())),
            Map.of());
    KubernetesClient cutOff = SpeakerMain.client(cfg);
    closeLater.add(cutOff);
    long t0 = System.nanoTime();
    assertThat(
            confirmed(
                new KubeOwnershipCheck(cutOff, node, Duration.ofSeconds(2), pool), "192.0.2.100"))
        .isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  static boolean confirmed(KubeOwnershipCheck check, String ip) {
    try {
      return check.confirm(Ip.parse(ip), RIVAL).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  TcpProxy relay() throws IOException {
    URI api = URI.create(client.getConfiguration().getMasterUrl());
    TcpProxy proxy = new TcpProxy(new InetSocketAddress("127.0.0.1", api.getPort()));
    closeLater.add(proxy);
    return proxy;
  }

  /**
   * The API server becomes unreachable for this speaker only (a relay drops its connections): it
   * keeps answering what it announces, readiness drops, lease renewal failures count up. A rival's
   * claim during the outage cannot be confirmed and fences the IP; once the API is back a live
   * re-check lifts the fence.
   */
  @Test
  void keepsAnsweringWhileTheApiIsUnreachableAndFencesOnlyOnAnUnconfirmedRivalClaim()
      throws IOException {
    String node = unique("node");
    String cls = createNodeAndClass(node, "192.0.2.96/28");
    TcpProxy proxy = relay();
    Speaker speaker =
        startSpeaker(
            node,
            Kubeconfigs.withServer(
                tmp.resolve("relay.kubeconfig"),
                cluster.kubeconfigYaml(),
                "https://127.0.0.1:" + proxy.port()));
    announcement("web", "192.0.2.100", node, cls);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Boolean.TRUE.equals(status("web").announcing()));
    await().atMost(Duration.ofSeconds(10)).until(speaker::ready);

    proxy.cut();
    long failuresBefore = speaker.lease().failures();
    await().atMost(Duration.ofSeconds(10)).until(() -> !speaker.ready());
    await().atMost(Duration.ofSeconds(10)).until(() -> speaker.lease().failures() > failuresBefore);
    assertThat(get(speaker.httpPort(), "/readyz").statusCode()).isEqualTo(503);
    assertThat(get(speaker.httpPort(), "/healthz").statusCode())
        .as("alive all the same")
        .isEqualTo(200);
    assertThat(speaker.announcer().owned()).containsExactly(Ip.parse("192.0.2.100"));
    assertThat(answers("192.0.2.100")).as("traffic is not cut by an API outage").isTrue();

    proxy.restore();
    await().atMost(Duration.ofSeconds(15)).until(speaker::ready);

    // a rival's claim while the API answers and places the IP here: confirmed, keep answering
    ports
        .get("eth0")
        .receive(ArpPacket.gratuitousRequest(RIVAL, Ip.parse4("192.0.2.100")).encode());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                speaker.announcer().status(Ip.parse("192.0.2.100")).orElseThrow().state()
                    == State.ANNOUNCING);
    assertThat(answers("192.0.2.100")).isTrue();

    // the same claim during an outage: not confirmed, fenced
    proxy.cut();
    ports
        .get("eth0")
        .receive(ArpPacket.gratuitousRequest(RIVAL, Ip.parse4("192.0.2.100")).encode());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                speaker.announcer().status(Ip.parse("192.0.2.100")).orElseThrow().state()
                    == State.FENCED);
    assertThat(answers("192.0.2.100")).isFalse();

    // API back: the re-check (every resync, 1 s here) confirms, the node takes the IP back
    proxy.restore();
    await().atMost(Duration.ofSeconds(20)).until(() -> answers("192.0.2.100"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(events("web", "Fenced")).isNotEmpty());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Boolean.TRUE.equals(status("web").announcing()));
  }

  /**
   * The shipped RBAC (manifests/speaker/rbac.yaml) is enough: a speaker with that ServiceAccount's
   * token does its job.
   */
  @Test
  void theShippedRbacIsSufficient() throws IOException {
    String token =
        ShippedRbac.install(
            client,
            "manifests/speaker/rbac.yaml",
            Names.Components.SPEAKER,
            namespace,
            unique("rbac"));
    Path kubeconfig =
        ShippedRbac.kubeconfig(
            tmp.resolve("sa.kubeconfig"),
            client.getConfiguration().getMasterUrl(),
            client.getConfiguration().getCaCertFile(),
            token);

    String node = unique("node");
    String cls = createNodeAndClass(node, "192.0.2.96/28");
    Speaker speaker = startSpeaker(node, kubeconfig);
    announcement("web", "192.0.2.100", node, cls);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Boolean.TRUE.equals(status("web").announcing()));
    await().atMost(Duration.ofSeconds(10)).until(speaker::ready);
    assertThat(client.leases().inNamespace(namespace).withName(Names.speakerLeaseName(node)).get())
        .isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events("web", "Announcing")).hasSize(1));
    // the live ownership list works under the role too: a rival's claim is confirmed away
    ports
        .get("eth0")
        .receive(ArpPacket.gratuitousRequest(RIVAL, Ip.parse4("192.0.2.100")).encode());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                speaker.announcer().status(Ip.parse("192.0.2.100")).orElseThrow().state()
                    == State.ANNOUNCING);
    assertThat(speaker.lease().failures()).isZero();

    assertThat(speaker.shutdown().leaseReleased()).as("delete allowed by the Role").isTrue();
    assertThat(client.leases().inNamespace(namespace).withName(Names.speakerLeaseName(node)).get())
        .isNull();
  }
}
