package io.l2lb.speaker.wire;

import static io.l2lb.speaker.wire.Frames.CLIENT_MAC;
import static io.l2lb.speaker.wire.Frames.NODE_MAC;
import static io.l2lb.speaker.wire.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NdpPacketTest {

  static final Inet6Address CLIENT_IP = Ip.parse6("2001:db8::10");
  static final Inet6Address VIP = Ip.parse6("2001:db8::100");
  static final Inet6Address VIP_GROUP = Ip.parse6("ff02::1:ff00:100");
  static final MacAddress VIP_GROUP_MAC = MacAddress.parse("33:33:ff:00:01:00");

  static Stream<Arguments> referenceFrames() {
    return Stream.of(
        Arguments.of(
            "NS for address resolution",
            Frames.NS,
            NeighborSolicitation.resolve(CLIENT_MAC, CLIENT_IP, VIP)),
        Arguments.of(
            "NS for DAD",
            Frames.NS_DAD,
            new NeighborSolicitation(
                VIP_GROUP_MAC, CLIENT_MAC, Ip.parse6("::"), VIP_GROUP, VIP, null)),
        Arguments.of(
            "NS unicast (NUD)",
            Frames.NS_UNICAST,
            new NeighborSolicitation(NODE_MAC, CLIENT_MAC, CLIENT_IP, VIP, VIP, null)),
        Arguments.of(
            "solicited NA",
            Frames.NA_SOLICITED,
            new NeighborAdvertisement(
                CLIENT_MAC, NODE_MAC, VIP, CLIENT_IP, false, true, true, VIP, NODE_MAC)),
        Arguments.of(
            "unsolicited NA",
            Frames.NA_UNSOLICITED,
            NeighborAdvertisement.unsolicited(NODE_MAC, VIP)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceFrames")
  void encodesByteExactWithChecksum(String name, String frame, NdpPacket packet) {
    assertThat(packet.encode()).isEqualTo(hex(frame));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceFrames")
  void decodesReferenceFrame(String name, String frame, NdpPacket packet) {
    assertThat(NdpPacket.decode(hex(frame))).contains(packet);
  }

  /**
   * The checksum of the solicited NA by hand, 16-bit words summed: source 2001:db8::100 = 0x2eb9,
   * destination 2001:db8::10 = 0x2dc9, upper-layer length 32 plus next header 58 = 0x005a, the
   * ICMPv6 message with a zero checksum field = 0x11b64; total 0x17840, folded 0x7841, complemented
   * 0x87be.
   */
  @Test
  void checksumMatchesHandComputation() {
    byte[] na =
        new NeighborAdvertisement(
                CLIENT_MAC, NODE_MAC, VIP, CLIENT_IP, false, true, true, VIP, NODE_MAC)
            .encode();
    assertThat(na[56] & 0xFF).isEqualTo(0x87);
    assertThat(na[57] & 0xFF).isEqualTo(0xbe);
    int carried = 0x2eb9 + 0x2dc9 + 0x005a + 0x11b64;
    int folded = (carried & 0xFFFF) + (carried >>> 16);
    assertThat(~folded & 0xFFFF).isEqualTo(0x87be);
  }

  static Stream<Arguments> solicitationsAndAnswers() {
    return Stream.of(
        // answered unicast to the MAC from the source link-layer option
        Arguments.of("address resolution", Frames.NS, Frames.NA_SOLICITED),
        // no option: answered to the Ethernet source
        Arguments.of("unicast NUD", Frames.NS_UNICAST, Frames.NA_SOLICITED),
        // the asker has no address yet: answer all nodes, not solicited (RFC 4861 7.2.4)
        Arguments.of("DAD", Frames.NS_DAD, Frames.NA_UNSOLICITED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("solicitationsAndAnswers")
  void answersSolicitationByteExact(String name, String ns, String expectedNa) {
    NeighborSolicitation solicitation =
        (NeighborSolicitation) NdpPacket.decode(hex(ns)).orElseThrow();
    assertThat(solicitation.answerFrom(NODE_MAC).encode()).isEqualTo(hex(expectedNa));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("bad checksum", f -> f[57] ^= 1),
        bad("hop limit 254 (off-link sender)", f -> f[21] = (byte) 254),
        bad("ICMP code 1", f -> f[55] = 1),
        bad("not ICMPv6", f -> f[20] = 17),
        bad("router solicitation", f -> f[54] = (byte) 133),
        bad("zero-length option", f -> f[79] = 0),
        bad("payload length beyond frame", f -> f[19] = 0x40),
        bad("multicast target", f -> f[62] = (byte) 0xff));
  }

  /**
   * Damages the address-resolution NS; the checksum is fixed up so only the named fault remains.
   */
  private static Arguments bad(String name, Consumer<byte[]> damage) {
    byte[] f = hex(Frames.NS);
    byte[] original = f.clone();
    damage.accept(f);
    if (!name.equals("bad checksum") && f[56] == original[56] && f[57] == original[57]) {
      int length = Math.min(((f[18] & 0xFF) << 8) | (f[19] & 0xFF), f.length - 54);
      f[56] = 0;
      f[57] = 0;
      int sum = Icmp6.checksum(f, 22, 38, 54, length);
      f[56] = (byte) (sum >>> 8);
      f[57] = (byte) sum;
    }
    return Arguments.of(name, f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidNeighborDiscovery(String name, byte[] frame) {
    assertThat(NdpPacket.decode(frame)).isEmpty();
  }

  @Test
  void ignoresArpAndTruncatedFrames() {
    assertThat(NdpPacket.decode(hex(Frames.ARP_REQUEST))).isEmpty();
    assertThat(NdpPacket.decode(Arrays.copyOf(hex(Frames.NS), 70))).isEmpty();
    assertThat(NdpPacket.decode(null)).isEmpty();
  }

  @Test
  void readsFlagsAndOptions() {
    NeighborAdvertisement na =
        (NeighborAdvertisement) NdpPacket.decode(hex(Frames.NA_UNSOLICITED)).orElseThrow();
    assertThat(na.solicited()).isFalse();
    assertThat(na.override()).isTrue();
    assertThat(na.router()).isFalse();
    assertThat(na.targetLinkAddress()).isEqualTo(NODE_MAC);
    assertThat(na.dst()).isEqualTo(NeighborAdvertisement.ALL_NODES);
    NeighborSolicitation dad =
        (NeighborSolicitation) NdpPacket.decode(hex(Frames.NS_DAD)).orElseThrow();
    assertThat(dad.isDad()).isTrue();
    assertThat(dad.sourceLinkAddress()).isNull();
  }
}
