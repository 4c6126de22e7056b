package io.l2lb.speaker.reconcile;

import static io.l2lb.speaker.wire.Frames.CLIENT_MAC;
import static io.l2lb.speaker.wire.Frames.NODE_MAC;
import static io.l2lb.speaker.wire.Frames.OTHER_MAC;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.AnnouncementObject.Status;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.speaker.announce.AnnouncementStatus.State;
import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.AnnouncerConfig;
import io.l2lb.speaker.announce.ManualScheduler;
import io.l2lb.speaker.reconcile.ScriptedOwnershipCheck.Answer;
import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.FakeInterfaces;
import io.l2lb.speaker.wire.FakePacketPort;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.NeighborSolicitation;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile decisions over fakes: a hand-filled view (the informer cache), fake packet ports,
 * recording status/event sinks, a scripted ownership check and a hand-driven clock. Frames are
 * pushed into the ports as if they came from the wire, and replies read back.
 */
class ReconcilerTest {

  static final String NODE = "node-a";
  static final String CLASS = "public";
  static final Inet4Address VIP = Ip.parse4("192.0.2.100");
  static final Inet4Address CLIENT = Ip.parse4("192.0.2.10");
  static final MacAddress ETH1_MAC = MacAddress.parse("02:00:00:00:00:ab");

  final ManualScheduler time = new ManualScheduler();
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return time.now();
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  final FakeClusterView view = new FakeClusterView();
  final RecordingSinks sinks = new RecordingSinks();
  final ScriptedOwnershipCheck ownership = new ScriptedOwnershipCheck();
  final FakeInterfaces interfaces =
      new FakeInterfaces().with("lo", "127.0.0.1").with("eth0", "192.0.2.11").with("eth1");
  final Map<String, FakePacketPort> opened = new LinkedHashMap<>();
  final List<String> openFailures = new ArrayList<>();
  final AtomicInteger passRequests = new AtomicInteger();
  Announcer announcer;
  PortPool ports;
  Reconciler reconciler;

  @BeforeEach
  void setUp() {
    view.put(poolClass(CLASS, List.of("192.0.2.96/28", "192.0.2.200-192.0.2.201"), List.of()));
    view.nodeIps("192.0.2.11");
    announcer =
        Announcer.builder()
            .scheduler(time)
            .config(AnnouncerConfig.defaults())
            .ownershipCheck(ownership)
            .listener(
                new AnnouncerEvents(
                    NODE, ip -> reconciler.placedObjects(ip), sinks, passRequests::incrementAndGet))
            .build();
    ports = new PortPool(this::open, announcer::attach);
    reconciler =
        Reconciler.builder()
            .nodeName(NODE)
            .view(view)
            .announcer(announcer)
            .ports(ports)
            .interfaces(interfaces)
            .status(sinks)
            .events(sinks)
            .recheck(ownership, Duration.ofSeconds(10))
            .clock(clock)
            .requestPass(passRequests::incrementAndGet)
            .build();
  }

  @AfterEach
  void tearDown() {
    announcer.close();
  }

  private FakePacketPort open(String name) throws IOException {
    if (openFailures.contains(name)) {
      throw new IOException("cannot open " + name + " for capture: permission denied");
    }
    FakePacketPort p = new FakePacketPort(name, name.equals("eth1") ? ETH1_MAC : NODE_MAC);
    opened.put(name, p);
    return p;
  }

  static AnnouncementObject announcement(String name, String ip, String node, String... ifaces) {
    return object(name, ip, node, CLASS, List.of(ifaces));
  }

  static AnnouncementObject ofClass(String className, String name, String ip, String node) {
    return object(name, ip, node, className, List.of());
  }

  static AnnouncementObject object(
      String name, String ip, String node, String className, List<String> ifaces) {
    return new AnnouncementObject(
        "shop",
        name,
        "uid-" + name,
        "1",
        ip,
        node,
        "web",
        "uid-web",
        className,
        ifaces,
        Status.EMPTY);
  }

  /** A class as core's conversion gives it. */
  static ClassInfo poolClass(String name, List<String> pool, List<String> interfaces) {
    return new ClassInfo(name, false, "L2", pool, Map.of(), interfaces);
  }

  /** An ARP request from the client for {@code ip}, as it arrives on {@code port}. */
  static byte[] arpRequest(Inet4Address ip) {
    return new ArpPacket(
            MacAddress.BROADCAST,
            CLIENT_MAC,
            ArpPacket.REQUEST,
            CLIENT_MAC,
            CLIENT,
            MacAddress.ZERO,
            ip)
        .encode();
  }

  /** Replies the port sent to {@code ip} requests since the last drain. */
  static long repliesFor(FakePacketPort port, Inet4Address ip) {
    return port.drain().stream()
        .map(ArpPacket::decode)
        .flatMap(java.util.Optional::stream)
        .filter(a -> a.isReply() && !a.isGratuitous() && a.senderIp().equals(ip))
        .count();
  }

  static boolean answers(FakePacketPort port, Inet4Address ip) {
    port.drain();
    port.receive(arpRequest(ip));
    return repliesFor(port, ip) == 1;
  }

  @Test
  void announcesOnlyTheIpsPlacedOnItsNode() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    view.put(
        announcement(
            "web-1", "192.0.2.101", "node-b")); // label lagging behind a move: spec decides

    reconciler.reconcile();

    assertThat(announcer.owned()).containsExactly(VIP);
    FakePacketPort eth0 = opened.get("eth0");
    assertThat(answers(eth0, VIP)).isTrue();
    assertThat(answers(eth0, Ip.parse4("192.0.2.101"))).isFalse();
    Status s = sinks.status("shop/web-0");
    assertThat(s.announcing()).isTrue();
    assertThat(s.mac()).isEqualTo(NODE_MAC.toString());
    assertThat(s.interfaceName()).isEqualTo("eth0");
    assertThat(s.since()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(s.message()).isNull();
    assertThat(sinks.status("shop/web-1"))
        .as("labelled for this node but placed on node-b: this node reports it does not answer")
        .isEqualTo(Status.notAnnouncing("released by " + NODE + "; moving to node-b"));
    assertThat(sinks.events())
        .extracting(RecordingSinks.Event::reason)
        .containsExactly(EventSink.ANNOUNCING);
  }

  @Test
  void releasesWhenTheIpMovesOrItsObjectIsDeleted() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    view.put(announcement("web-1", "192.0.2.101", NODE));
    reconciler.reconcile();
    assertThat(announcer.owned()).hasSize(2);
    sinks.drainEvents();

    view.put(announcement("web-0", "192.0.2.100", "node-b"));
    reconciler.reconcile();
    assertThat(announcer.owned()).containsExactly(Ip.parse4("192.0.2.101"));
    assertThat(answers(opened.get("eth0"), VIP)).isFalse();

    view.remove("shop/web-1");
    reconciler.reconcile();
    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.drainEvents())
        .extracting(RecordingSinks.Event::key, RecordingSinks.Event::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("shop/web-0", EventSink.RELEASED),
            org.assertj.core.groups.Tuple.tuple("shop/web-1", EventSink.RELEASED));
    assertThat(opened.get("eth0").isClosed()).as("no IP left on eth0: port closed").isTrue();
  }

  /**
   * The operator's first step of a move off a live node: the spec names the new node while the
   * label still names this one. This node stops answering and says so in the status; the operator
   * moves the label once it reads {@code announcing: false}.
   */
  @Test
  void aMoveFirstReleasesAndReportsNotAnnouncing() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    assertThat(sinks.status("shop/web-0").announcing()).isTrue();

    view.put(announcement("web-0", "192.0.2.100", "node-b"));
    reconciler.reconcile();
    assertThat(announcer.owned()).isEmpty();
    assertThat(answers(opened.get("eth0"), VIP)).isFalse();
    assertThat(sinks.status("shop/web-0"))
        .isEqualTo(Status.notAnnouncing("released by " + NODE + "; moving to node-b"));
  }

  /** Two Services share the IP: released (and reported) only once neither places it here. */
  @Test
  void aSharedIpIsReportedReleasedOnlyWhenNoObjectPlacesItHere() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    view.put(announcement("api-0", "192.0.2.100", NODE));
    reconciler.reconcile();

    view.put(announcement("web-0", "192.0.2.100", "node-b"));
    reconciler.reconcile();
    assertThat(announcer.owned()).containsExactly(VIP);
    assertThat(sinks.status("shop/web-0").announcing())
        .as("still answered for api-0: not released yet")
        .isTrue();

    view.put(announcement("api-0", "192.0.2.100", "node-b"));
    reconciler.reconcile();
    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.status("shop/web-0").announcing()).isFalse();
    assertThat(sinks.status("shop/api-0").announcing()).isFalse();
  }

  @Test
  void neverAnnouncesOutsideTheClassPoolAndSaysSoOnce() {
    view.put(announcement("web-0", "192.0.2.150", NODE));

    reconciler.reconcile();
    reconciler.reconcile();

    assertThat(announcer.owned()).isEmpty();
    assertThat(opened).isEmpty();
    assertThat(sinks.status("shop/web-0").announcing()).isFalse();
    assertThat(sinks.status("shop/web-0").message())
        .contains("192.0.2.150 is outside the address pool", "'" + CLASS + "'");
    assertThat(sinks.events())
        .as("one Warning, not one per pass")
        .containsExactly(
            new RecordingSinks.Event(
                "shop/web-0",
                "Warning",
                EventSink.OUTSIDE_POOL,
                sinks.status("shop/web-0").message()));
  }

  @Test
  void aRefusalNamesThePoolEntriesThatDoNotParse() {
    view.put(poolClass(CLASS, List.of("192.0.2.96/28", "192.0.2.300-192.0.2.310"), List.of()));
    view.put(announcement("web-0", "192.0.2.150", NODE));

    reconciler.reconcile();

    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.status("shop/web-0").message())
        .contains("192.0.2.150 is outside the address pool")
        .contains(
            "entries of that pool that do not parse", "addressPool[1] '192.0.2.300-192.0.2.310'");
  }

  @Test
  void aShrunkPoolStopsRepliesAtOnceAndReleasesOnTheNextPass() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    FakePacketPort eth0 = opened.get("eth0");
    assertThat(answers(eth0, VIP)).isTrue();

    view.put(poolClass(CLASS, List.of("192.0.2.200-192.0.2.201"), List.of()));
    assertThat(answers(eth0, VIP)).as("the guard reads the class on every send").isFalse();

    reconciler.reconcile();
    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.status("shop/web-0").message()).contains("outside the address pool");
  }

  @Test
  void aMissingClassOrBadIpIsReportedNotAnnounced() {
    view.put(ofClass("nope", "web-0", "192.0.2.100", NODE));
    view.put(announcement("web-1", "not-an-ip", NODE));

    reconciler.reconcile();

    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.status("shop/web-0").message())
        .contains("MetalLoadBalancerClass 'nope' not found");
    assertThat(sinks.status("shop/web-1").message())
        .contains("spec.ip 'not-an-ip' is not an IP address");
  }

  @Test
  void interfaceComesFromTheObjectThenTheClassThenTheNodesInternalIp() {
    view.put(announcement("web-0", "192.0.2.100", NODE, "eth1"));
    view.put(announcement("web-1", "192.0.2.101", NODE));
    reconciler.reconcile();
    assertThat(announcer.status(VIP).orElseThrow().interfaceName()).isEqualTo("eth1");
    assertThat(announcer.status(Ip.parse4("192.0.2.101")).orElseThrow().interfaceName())
        .as("auto: the interface holding the node's InternalIP")
        .isEqualTo("eth0");

    view.put(poolClass(CLASS, List.of("192.0.2.96/28"), List.of("bond0", "eth1")));
    reconciler.reconcile();
    assertThat(announcer.status(Ip.parse4("192.0.2.101")).orElseThrow().interfaceName())
        .as("the class's first existing interface")
        .isEqualTo("eth1");
    assertThat(opened.get("eth0").isClosed()).isTrue();
    assertThat(sinks.status("shop/web-1").mac()).isEqualTo(ETH1_MAC.toString());

    view.put(announcement("web-0", "192.0.2.100", NODE, "eth9"));
    reconciler.reconcile();
    assertThat(announcer.owned()).doesNotContain(VIP);
    assertThat(sinks.status("shop/web-0").message())
        .contains(
            "none of the interfaces in spec.interfaces [eth9] exists",
            "interfaces here: lo, eth0, eth1");
  }

  @Test
  void aPortThatCannotOpenIsReportedAndRetriedOnTheNextPass() {
    openFailures.add("eth0");
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    assertThat(announcer.owned()).isEmpty();
    assertThat(sinks.status("shop/web-0").message())
        .contains("cannot open interface eth0", "permission denied");

    openFailures.clear();
    reconciler.reconcile();
    assertThat(announcer.owned()).containsExactly(VIP);
  }

  /**
   * An API outage as the reconciler sees it: the cache keeps its content, status writes go nowhere
   * (the sink records the attempts the real writer would retry), the ownership check cannot reach
   * the API. Nothing is released and the node keeps answering.
   */
  @Test
  void keepsAnnouncingThroughAnApiOutage() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    ownership.answer(Answer.UNREACHABLE);
    int before = sinks.publishes();

    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(10));
      reconciler.reconcile();
    }

    assertThat(announcer.owned()).containsExactly(VIP);
    assertThat(answers(opened.get("eth0"), VIP)).isTrue();
    assertThat(sinks.publishes() - before)
        .as("the verdict is re-published every pass, so a lost write is retried")
        .isEqualTo(5);
    assertThat(sinks.events())
        .extracting(RecordingSinks.Event::reason)
        .doesNotContain(EventSink.RELEASED);
    assertThat(ownership.asked()).as("no rival, no check").isEmpty();
  }

  @Test
  void aRivalClaimThatTheApiDoesNotConfirmFencesUntilAReCheckConfirms() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    FakePacketPort eth0 = opened.get("eth0");
    ownership.answer(Answer.UNREACHABLE);

    eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP).encode());

    assertThat(announcer.status(VIP).orElseThrow().state()).isEqualTo(State.FENCED);
    assertThat(sinks.events())
        .extracting(RecordingSinks.Event::type, RecordingSinks.Event::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("Warning", EventSink.FENCED));
    assertThat(passRequests.get())
        .as("the listener asks for a pass so the status follows")
        .isPositive();
    reconciler.reconcile();
    Status fenced = sinks.status("shop/web-0");
    assertThat(fenced.announcing()).isFalse();
    assertThat(fenced.message()).contains("fenced", OTHER_MAC.toString());
    assertThat(answers(eth0, VIP)).isFalse();

    // the cache still says "ours", but that alone never lifts a fence
    time.advance(Duration.ofSeconds(5));
    reconciler.reconcile();
    assertThat(answers(eth0, VIP)).isFalse();
    int asked = ownership.asked().size();

    // a live re-check after the interval: API back and confirms -> take over again
    ownership.answer(Answer.CONFIRMED);
    time.advance(Duration.ofSeconds(10));
    reconciler.reconcile();
    assertThat(ownership.asked()).hasSize(asked + 1);
    reconciler.reconcile(); // the pass the confirmation asked for
    assertThat(announcer.status(VIP).orElseThrow().state()).isEqualTo(State.ANNOUNCING);
    assertThat(answers(eth0, VIP)).isTrue();
    assertThat(sinks.status("shop/web-0").announcing()).isTrue();
  }

  @Test
  void aRivalClaimTheApiConfirmsLeavesUsAnswering() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    ownership.answer(Answer.CONFIRMED);

    opened.get("eth0").receive(ArpPacket.gratuitousReply(OTHER_MAC, VIP).encode());
    reconciler.reconcile();

    assertThat(ownership.asked()).containsExactly(VIP);
    assertThat(announcer.status(VIP).orElseThrow().state()).isEqualTo(State.ANNOUNCING);
    assertThat(answers(opened.get("eth0"), VIP)).isTrue();
    assertThat(sinks.status("shop/web-0").announcing()).isTrue();
  }

  @Test
  void ipv6IsAnsweredLikeIpv4() {
    view.put(poolClass("v6", List.of("2001:db8::100/124"), List.of()));
    view.put(ofClass("v6", "web6", "2001:db8::100", NODE));
    reconciler.reconcile();

    FakePacketPort eth0 = opened.get("eth0");
    eth0.drain();
    eth0.receive(
        NeighborSolicitation.resolve(
                CLIENT_MAC, Ip.parse6("2001:db8::10"), Ip.parse6("2001:db8::100"))
            .encode());
    assertThat(eth0.drain()).hasSize(1);
    assertThat(sinks.status("shop/web6").announcing()).isTrue();
  }

  @Test
  void sharedIpWithTwoObjectsIsAnnouncedOnceAndBothAreReported() {
    view.put(announcement("a-web", "192.0.2.100", NODE));
    view.put(announcement("b-web", "192.0.2.100", NODE));
    reconciler.reconcile();

    assertThat(announcer.owned()).containsExactly(VIP);
    assertThat(sinks.status("shop/a-web").announcing()).isTrue();
    assertThat(sinks.status("shop/b-web").announcing()).isTrue();
  }

  @Test
  void aCachedStatusThatAlreadySaysSoIsStillPublishedForTheSinkToSkip() {
    view.put(announcement("web-0", "192.0.2.100", NODE));
    reconciler.reconcile();
    Status s = sinks.status("shop/web-0");
    view.applyStatus("shop/web-0", s);
    reconciler.reconcile();
    assertThat(sinks.status("shop/web-0")).isEqualTo(s);
    assertThat(sinks.events())
        .extracting(RecordingSinks.Event::reason)
        .as("no second take-over")
        .containsExactly(EventSink.ANNOUNCING);
  }
}
