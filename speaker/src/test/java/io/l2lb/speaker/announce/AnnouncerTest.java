package io.l2lb.speaker.announce;

import static io.l2lb.speaker.wire.Frames.CLIENT_MAC;
import static io.l2lb.speaker.wire.Frames.NODE_MAC;
import static io.l2lb.speaker.wire.Frames.OTHER_MAC;
import static io.l2lb.speaker.wire.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.speaker.announce.AnnouncementStatus.State;
import io.l2lb.speaker.announce.AnnouncerMetrics.Family;
import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.FakePacketPort;
import io.l2lb.speaker.wire.Frames;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.NdpPacket;
import io.l2lb.speaker.wire.NeighborAdvertisement;
import io.l2lb.speaker.wire.NeighborSolicitation;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnnouncerTest {

  static final Inet4Address CLIENT4 = Ip.parse4("192.0.2.10");
  static final Inet4Address VIP4 = Ip.parse4("192.0.2.100");
  static final Inet4Address UNPLACED4 = Ip.parse4("192.0.2.101");
  static final Inet6Address CLIENT6 = Ip.parse6("2001:db8::10");
  static final Inet6Address VIP6 = Ip.parse6("2001:db8::100");
  static final Inet6Address UNPLACED6 = Ip.parse6("2001:db8::101");

  final ManualScheduler clock = new ManualScheduler();
  final InMemoryAnnouncerMetrics metrics = new InMemoryAnnouncerMetrics();
  final RecordingListener listener = new RecordingListener();
  final FakePacketPort eth0 = new FakePacketPort("eth0", NODE_MAC);
  final FakePacketPort eth1 = new FakePacketPort("eth1", MacAddress.parse("02:00:00:00:00:ab"));
  Announcer announcer;

  @BeforeEach
  void setUp() {
    announcer = newAnnouncer(OwnershipCheck.neverConfirmed(), any -> true);
  }

  @AfterEach
  void tearDown() {
    announcer.close();
  }

  Announcer newAnnouncer(OwnershipCheck check, Predicate<InetAddress> guard) {
    Announcer a =
        Announcer.builder()
            .scheduler(clock)
            .metrics(metrics)
            .listener(listener)
            .ownershipCheck(check)
            .guard(guard)
            .build();
    a.attach(eth0);
    a.attach(eth1);
    return a;
  }

  /** Announces and forgets the take-over frames so tests see only what follows. */
  void announceQuietly(InetAddress ip) {
    assertThat(announcer.announce(ip, eth0)).isTrue();
    eth0.drain();
  }

  static byte[] arpRequest(InetAddress target) {
    return new ArpPacket(
            MacAddress.BROADCAST,
            CLIENT_MAC,
            ArpPacket.REQUEST,
            CLIENT_MAC,
            CLIENT4,
            MacAddress.ZERO,
            (Inet4Address) target)
        .encode();
  }

  static byte[] solicitation(InetAddress target) {
    return NeighborSolicitation.resolve(CLIENT_MAC, CLIENT6, (Inet6Address) target).encode();
  }

  static byte[] request(InetAddress target) {
    return target instanceof Inet4Address ? arpRequest(target) : solicitation(target);
  }

  // --- answering ---------------------------------------------------------------------------

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("ARP for the placed IP", arpRequest(VIP4), List.of(Frames.ARP_REPLY)),
        Arguments.of("ARP for an unplaced IP", arpRequest(UNPLACED4), List.of()),
        Arguments.of("ARP for the client's own IP", arpRequest(CLIENT4), List.of()),
        Arguments.of("NS for the placed IP", hex(Frames.NS), List.of(Frames.NA_SOLICITED)),
        Arguments.of(
            "unicast NS (NUD) for the placed IP",
            hex(Frames.NS_UNICAST),
            List.of(Frames.NA_SOLICITED)),
        Arguments.of(
            "DAD NS for the placed IP", hex(Frames.NS_DAD), List.of(Frames.NA_UNSOLICITED)),
        Arguments.of("NS for an unplaced IP", solicitation(UNPLACED6), List.of()),
        // a gratuitous ARP is an announcement, not a question
        Arguments.of(
            "someone's GARP for an unplaced IP",
            ArpPacket.gratuitousRequest(OTHER_MAC, UNPLACED4).encode(),
            List.of()),
        Arguments.of("ARP reply", hex(Frames.ARP_REPLY), List.of()),
        Arguments.of("garbage", new byte[] {1, 2, 3}, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void answersExactlyForPlacedIps(String name, byte[] frame, List<String> expected) {
    announceQuietly(VIP4);
    announceQuietly(VIP6);

    eth0.receive(frame);

    assertThat(eth0.sent()).containsExactlyElementsOf(expected.stream().map(Frames::hex).toList());
  }

  @Test
  void answersArpProbeFromAddresslessHost() {
    announceQuietly(VIP4);
    byte[] probe =
        new ArpPacket(
                MacAddress.BROADCAST,
                CLIENT_MAC,
                ArpPacket.REQUEST,
                CLIENT_MAC,
                Ip.parse4("0.0.0.0"),
                MacAddress.ZERO,
                VIP4)
            .encode();

    eth0.receive(probe);

    ArpPacket reply = ArpPacket.decode(eth0.sent().get(0)).orElseThrow();
    assertThat(reply.senderMac()).isEqualTo(NODE_MAC);
    assertThat(reply.ethDst()).isEqualTo(CLIENT_MAC);
    assertThat(reply.senderIp()).isEqualTo(VIP4);
  }

  @Test
  void answersOnlyOnThePortTheIpIsAnnouncedOn() {
    announceQuietly(VIP4);
    eth1.drain();

    eth1.receive(arpRequest(VIP4));

    assertThat(eth1.sent()).isEmpty();
    assertThat(eth0.sent()).isEmpty();
  }

  @Test
  void ignoresItsOwnFramesSeenOnTheWire() {
    announceQuietly(VIP4);
    byte[] ownRequest =
        new ArpPacket(
                MacAddress.BROADCAST,
                NODE_MAC,
                ArpPacket.REQUEST,
                NODE_MAC,
                CLIENT4,
                MacAddress.ZERO,
                VIP4)
            .encode();

    eth0.receive(ownRequest);
    eth0.receive(ArpPacket.gratuitousRequest(NODE_MAC, VIP4).encode());

    assertThat(eth0.sent()).isEmpty();
    assertThat(announcer.owned()).containsExactly(VIP4);
    assertThat(metrics.conflicts(Family.IPV4)).isZero();
  }

  @ParameterizedTest
  @MethodSource("bothFamilies")
  void stopsAnsweringAtRelease(InetAddress vip) {
    announceQuietly(vip);
    eth0.receive(request(vip));
    assertThat(eth0.drain()).hasSize(1);

    assertThat(announcer.release(vip)).isTrue();
    eth0.receive(request(vip));
    clock.advance(Duration.ofMinutes(1));

    assertThat(eth0.sent()).isEmpty();
    assertThat(announcer.owned()).isEmpty();
    assertThat(clock.pending()).isZero();
    assertThat(listener.events())
        .containsExactly("announced " + vip.getHostAddress(), "released " + vip.getHostAddress());
    assertThat(announcer.release(vip)).isFalse();
  }

  static Stream<InetAddress> bothFamilies() {
    return Stream.of(VIP4, VIP6);
  }

  @Test
  void movesToAnotherPort() {
    announceQuietly(VIP4);

    assertThat(announcer.announce(VIP4, eth1)).isTrue();
    eth0.receive(arpRequest(VIP4));
    eth1.drain();
    eth1.receive(arpRequest(VIP4));

    assertThat(eth0.sent()).isEmpty();
    assertThat(eth1.sent()).hasSize(1);
    assertThat(announcer.status(VIP4).orElseThrow().interfaceName()).isEqualTo("eth1");
  }

  @Test
  void reannouncingOnTheSamePortKeepsTheRunningSchedule() {
    assertThat(announcer.announce(VIP4, eth0)).isTrue();
    clock.advance(Duration.ofSeconds(2));
    int before = eth0.sent().size();

    assertThat(announcer.announce(VIP4, eth0)).isTrue();

    assertThat(eth0.sent()).hasSize(before);
    assertThat(listener.events()).containsExactly("announced 192.0.2.100");
  }

  @Test
  void reportsStatusForTheAnnouncementObject() {
    clock.advance(Duration.ofSeconds(7));
    announceQuietly(VIP6);

    AnnouncementStatus s = announcer.status(VIP6).orElseThrow();

    assertThat(s.mac()).isEqualTo(NODE_MAC);
    assertThat(s.interfaceName()).isEqualTo("eth0");
    assertThat(s.since()).isEqualTo(clock.now());
    assertThat(s.state()).isEqualTo(State.ANNOUNCING);
    assertThat(s.answering()).isTrue();
    assertThat(announcer.announcements()).containsExactly(s);
  }

  @Test
  void joinsTheSolicitedNodeGroupWhileAnnouncingIpv6() {
    announceQuietly(VIP6);
    assertThat(eth0.joinedGroups()).containsExactly(Ip.parse6("ff02::1:ff00:100"));

    announcer.release(VIP6);

    assertThat(eth0.joinedGroups()).isEmpty();
  }

  // --- gratuitous schedule -----------------------------------------------------------------

  @Test
  void takeOverSendsBothGarpFormsAtOnceThenEverySecondForFiveSeconds() {
    announcer.announce(VIP4, eth0);

    assertThat(eth0.drain()).containsExactly(hex(Frames.GARP_REQUEST), hex(Frames.GARP_REPLY));
    for (int second = 1; second <= 5; second++) {
      clock.advance(Duration.ofMillis(999));
      assertThat(eth0.sent()).as("nothing before second %d", second).isEmpty();
      clock.advance(Duration.ofMillis(1));
      assertThat(eth0.drain())
          .as("burst at second %d", second)
          .containsExactly(hex(Frames.GARP_REQUEST), hex(Frames.GARP_REPLY));
    }
    clock.advance(Duration.ofHours(1));
    assertThat(eth0.sent()).isEmpty();
    assertThat(clock.pending()).isZero();
    assertThat(metrics.gratuitous(Family.IPV4)).isEqualTo(12);
  }

  @Test
  void takeOverForIpv6SendsUnsolicitedAdvertisements() {
    announcer.announce(VIP6, eth0);
    clock.advance(Duration.ofSeconds(10));

    assertThat(eth0.sent())
        .hasSize(6)
        .allSatisfy(f -> assertThat(f).isEqualTo(hex(Frames.NA_UNSOLICITED)));
    assertThat(metrics.gratuitous(Family.IPV6)).isEqualTo(6);
  }

  static Stream<Arguments> schedules() {
    return Stream.of(
        // interval, duration, refresh, observed for, expected bursts
        Arguments.of(1000, 5000, 0, 60_000, 6),
        Arguments.of(500, 2000, 0, 60_000, 5),
        Arguments.of(1000, 0, 0, 60_000, 1),
        Arguments.of(1000, 5000, 30_000, 35_000, 7),
        Arguments.of(1000, 5000, 30_000, 95_000, 9),
        Arguments.of(1000, 5000, 30_000, 94_999, 8));
  }

  @ParameterizedTest(name = "every {0} ms for {1} ms, refresh {2} ms: {4} bursts in {3} ms")
  @MethodSource("schedules")
  void scheduleIsConfigurable(
      long intervalMs, long durationMs, long refreshMs, long observeMs, int bursts) {
    announcer.close();
    announcer =
        Announcer.builder()
            .scheduler(clock)
            .metrics(metrics)
            .config(
                AnnouncerConfig.defaults()
                    .withGarp(Duration.ofMillis(intervalMs), Duration.ofMillis(durationMs))
                    .withRefreshInterval(Duration.ofMillis(refreshMs)))
            .build();

    announcer.announce(VIP6, eth0);
    clock.advance(Duration.ofMillis(observeMs));

    assertThat(eth0.sent()).hasSize(bursts);
  }

  @Test
  void releaseStopsTheSchedule() {
    announcer.announce(VIP4, eth0);
    clock.advance(Duration.ofSeconds(2));
    eth0.drain();

    announcer.release(VIP4);
    clock.advance(Duration.ofSeconds(10));

    assertThat(eth0.sent()).isEmpty();
  }

  // --- fencing -----------------------------------------------------------------------------

  static Stream<Arguments> rivalClaims() {
    return Stream.of(
        Arguments.of("GARP request", VIP4, ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode()),
        Arguments.of("GARP reply", VIP4, ArpPacket.gratuitousReply(OTHER_MAC, VIP4).encode()),
        Arguments.of(
            "ARP reply for our IP",
            VIP4,
            new ArpPacket(
                    CLIENT_MAC, OTHER_MAC, ArpPacket.REPLY, OTHER_MAC, VIP4, CLIENT_MAC, CLIENT4)
                .encode()),
        Arguments.of(
            "unsolicited NA", VIP6, NeighborAdvertisement.unsolicited(OTHER_MAC, VIP6).encode()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rivalClaims")
  void rivalClaimNotConfirmedStopsAnswering(String name, InetAddress vip, byte[] claim) {
    announceQuietly(vip);

    eth0.receive(claim);

    assertThat(announcer.owned()).isEmpty();
    assertThat(announcer.status(vip).orElseThrow().state()).isEqualTo(State.FENCED);
    assertThat(announcer.status(vip).orElseThrow().rivalMac()).isEqualTo(OTHER_MAC);
    eth0.receive(request(vip));
    clock.advance(Duration.ofMinutes(1));
    assertThat(eth0.sent()).as("no replies and no more GARPs once fenced").isEmpty();
    String ip = vip.getHostAddress();
    assertThat(listener.events())
        .containsExactly("announced " + ip, "conflict " + ip, "fenced " + ip);
    assertThat(metrics.fences(Family.of(vip))).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rivalClaims")
  void rivalClaimConfirmedKeepsAnsweringAndReassertsOwnership(
      String name, InetAddress vip, byte[] claim) {
    announcer.close();
    announcer = newAnnouncer(OwnershipCheck.alwaysConfirmed(), any -> true);
    announceQuietly(vip);

    eth0.receive(claim);

    assertThat(announcer.owned()).containsExactly(vip);
    assertThat(eth0.drain())
        .as("a fresh burst wins back the caches the rival poisoned")
        .isNotEmpty();
    eth0.receive(request(vip));
    assertThat(eth0.sent()).hasSize(1);
    String ip = vip.getHostAddress();
    assertThat(listener.events())
        .containsExactly("announced " + ip, "conflict " + ip, "confirmed " + ip);
  }

  @Test
  void keepsAnsweringWhileTheCheckIsPendingAndAsksOnlyOnce() {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    AtomicInteger asked = new AtomicInteger();
    announcer.close();
    announcer =
        newAnnouncer(
            (ip, mac) -> {
              asked.incrementAndGet();
              return answer;
            },
            any -> true);
    announceQuietly(VIP4);

    for (int i = 0; i < 3; i++) {
      eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode());
    }
    eth0.receive(arpRequest(VIP4));

    assertThat(asked).hasValue(1);
    assertThat(announcer.status(VIP4).orElseThrow().state()).isEqualTo(State.CHECKING);
    assertThat(eth0.drain()).hasSize(1);

    answer.complete(true);
    assertThat(announcer.status(VIP4).orElseThrow().state()).isEqualTo(State.ANNOUNCING);
    assertThat(metrics.conflicts(Family.IPV4)).isEqualTo(3);
  }

  static Stream<Arguments> unconfirmedAnswers() {
    return Stream.of(
        Arguments.of(
            "never answers (timeout)", (OwnershipCheck) (ip, mac) -> new CompletableFuture<>()),
        Arguments.of(
            "fails",
            (OwnershipCheck)
                (ip, mac) -> CompletableFuture.failedFuture(new IllegalStateException("API down"))),
        Arguments.of(
            "throws",
            (OwnershipCheck)
                (ip, mac) -> {
                  throw new IllegalStateException("API down");
                }));
  }

  @ParameterizedTest(name = "check {0}")
  @MethodSource("unconfirmedAnswers")
  void unansweredCheckFencesAfterTheTimeout(String name, OwnershipCheck check) {
    announcer.close();
    announcer = newAnnouncer(check, any -> true);
    announceQuietly(VIP4);

    eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode());
    clock.advance(AnnouncerConfig.defaults().ownershipCheckTimeout());

    assertThat(announcer.owned()).isEmpty();
    assertThat(listener.events()).endsWith("fenced 192.0.2.100");
  }

  @Test
  void lateConfirmationAfterTimeoutDoesNotResurrect() {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    announcer.close();
    announcer = newAnnouncer((ip, mac) -> answer, any -> true);
    announceQuietly(VIP4);
    eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode());
    clock.advance(Duration.ofSeconds(3));

    answer.complete(true);

    assertThat(announcer.owned()).isEmpty();
  }

  @Test
  void announceAgainAfterFencingTakesOver() {
    announceQuietly(VIP4);
    eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode());
    assertThat(announcer.owned()).isEmpty();

    assertThat(announcer.announce(VIP4, eth0)).isTrue();

    assertThat(announcer.owned()).containsExactly(VIP4);
    assertThat(eth0.drain()).hasSize(2); // new take-over burst
    eth0.receive(arpRequest(VIP4));
    assertThat(eth0.sent()).hasSize(1);
  }

  @Test
  void rivalOnAnotherPortOrForAnotherIpIsNoConflict() {
    announceQuietly(VIP4);

    eth1.receive(ArpPacket.gratuitousRequest(OTHER_MAC, VIP4).encode());
    eth0.receive(ArpPacket.gratuitousRequest(OTHER_MAC, UNPLACED4).encode());

    assertThat(announcer.owned()).containsExactly(VIP4);
    assertThat(metrics.conflicts(Family.IPV4)).isZero();
  }

  // --- guard -------------------------------------------------------------------------------

  static Stream<Arguments> guards() {
    Predicate<InetAddress> pool = ip -> ip.equals(VIP4) || ip.equals(VIP6);
    return Stream.of(
        Arguments.of("global guard", pool, (Predicate<InetAddress>) any -> true),
        Arguments.of("per-IP guard", (Predicate<InetAddress>) any -> true, pool));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guards")
  void guardKeepsOutOfPoolAddressesSilent(
      String name, Predicate<InetAddress> global, Predicate<InetAddress> perIp) {
    announcer.close();
    announcer = newAnnouncer(OwnershipCheck.neverConfirmed(), global);

    assertThat(announcer.announce(UNPLACED4, eth0, perIp)).isFalse();
    assertThat(announcer.announce(UNPLACED6, eth0, perIp)).isFalse();
    assertThat(announcer.announce(VIP4, eth0, perIp)).isTrue();
    eth0.drain();
    eth0.receive(arpRequest(UNPLACED4));
    eth0.receive(solicitation(UNPLACED6));
    clock.advance(Duration.ofMinutes(1));

    assertThat(eth0.sent())
        .as("GARPs for the pool IP only")
        .hasSize(10)
        .allSatisfy(f -> assertThat(ArpPacket.decode(f).orElseThrow().senderIp()).isEqualTo(VIP4));
    assertThat(announcer.owned()).containsExactly(VIP4);
    assertThat(listener.events())
        .contains("rejected 192.0.2.101", "rejected 2001:db8:0:0:0:0:0:101");
  }

  @Test
  void guardThatTurnsAgainstAnIpSilencesItAtOnce() {
    boolean[] inPool = {true};
    announcer.close();
    announcer = newAnnouncer(OwnershipCheck.neverConfirmed(), ip -> inPool[0]);
    announceQuietly(VIP4);

    inPool[0] = false;
    eth0.receive(arpRequest(VIP4));
    clock.advance(Duration.ofSeconds(10));

    assertThat(eth0.sent()).isEmpty();
  }

  @Test
  void rejectingAnAnnouncedIpReleasesIt() {
    announceQuietly(VIP4);

    assertThat(announcer.announce(VIP4, eth0, ip -> false)).isFalse();

    assertThat(announcer.owned()).isEmpty();
    assertThat(listener.events())
        .containsExactly("announced 192.0.2.100", "released 192.0.2.100", "rejected 192.0.2.100");
  }

  // --- metrics and lifecycle ---------------------------------------------------------------

  @Test
  void countsPerFamily() {
    announceQuietly(VIP4);
    announceQuietly(VIP6);

    eth0.receive(arpRequest(VIP4));
    eth0.receive(arpRequest(VIP4));
    eth0.receive(arpRequest(UNPLACED4));
    eth0.receive(hex(Frames.NS));

    assertThat(metrics.requests(Family.IPV4)).isEqualTo(2);
    assertThat(metrics.replies(Family.IPV4)).isEqualTo(2);
    assertThat(metrics.requests(Family.IPV6)).isEqualTo(1);
    assertThat(metrics.replies(Family.IPV6)).isEqualTo(1);
    assertThat(metrics.gratuitous(Family.IPV4)).isEqualTo(2);
    assertThat(metrics.gratuitous(Family.IPV6)).isEqualTo(1);
  }

  @Test
  void sendFailureIsNotCountedAndDoesNotBreakAnnouncing() {
    FakePacketPort broken = new FakePacketPort("eth9", NODE_MAC);
    broken.close(); // sends now throw

    assertThat(announcer.announce(VIP4, broken)).isTrue();

    assertThat(metrics.gratuitous(Family.IPV4)).isZero();
    assertThat(announcer.owned()).containsExactly(VIP4);
  }

  @Test
  void closeReleasesEverything() {
    announceQuietly(VIP4);
    announceQuietly(VIP6);

    announcer.close();
    eth0.receive(arpRequest(VIP4));
    clock.advance(Duration.ofMinutes(1));

    assertThat(eth0.sent()).isEmpty();
    assertThat(announcer.owned()).isEmpty();
    assertThat(listener.events())
        .contains("released 192.0.2.100", "released 2001:db8:0:0:0:0:0:100");
  }

  @Test
  void decodedNdpTargetsMatchAnnouncedAddresses() {
    // keys are compared by address bytes; decoded and parsed addresses must be equal
    NdpPacket ns = NdpPacket.decode(hex(Frames.NS)).orElseThrow();
    assertThat(ns.target()).isEqualTo(VIP6).hasSameHashCodeAs(VIP6);
  }
}
