package io.l2lb.speaker.wire;

import static io.l2lb.speaker.wire.Frames.CLIENT_MAC;
import static io.l2lb.speaker.wire.Frames.NODE_MAC;
import static io.l2lb.speaker.wire.Frames.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArpPacketTest {

  static final Inet4Address CLIENT_IP = Ip.parse4("192.0.2.10");
  static final Inet4Address VIP = Ip.parse4("192.0.2.100");

  static Stream<Arguments> referenceFrames() {
    return Stream.of(
        Arguments.of(
            "request",
            Frames.ARP_REQUEST,
            new ArpPacket(
                MacAddress.BROADCAST,
                CLIENT_MAC,
                ArpPacket.REQUEST,
                CLIENT_MAC,
                CLIENT_IP,
                MacAddress.ZERO,
                VIP)),
        Arguments.of(
            "reply",
            Frames.ARP_REPLY,
            new ArpPacket(
                CLIENT_MAC, NODE_MAC, ArpPacket.REPLY, NODE_MAC, VIP, CLIENT_MAC, CLIENT_IP)),
        Arguments.of(
            "gratuitous request", Frames.GARP_REQUEST, ArpPacket.gratuitousRequest(NODE_MAC, VIP)),
        Arguments.of(
            "gratuitous reply", Frames.GARP_REPLY, ArpPacket.gratuitousReply(NODE_MAC, VIP)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceFrames")
  void encodesByteExact(String name, String frame, ArpPacket packet) {
    assertThat(packet.encode()).isEqualTo(hex(frame));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceFrames")
  void decodesReferenceFrame(String name, String frame, ArpPacket packet) {
    assertThat(ArpPacket.decode(hex(frame))).contains(packet);
  }

  @Test
  void replyToRequestIsByteExact() {
    ArpPacket request = ArpPacket.decode(hex(Frames.ARP_REQUEST)).orElseThrow();
    assertThat(request.isGratuitous()).isFalse();
    assertThat(request.replyFrom(NODE_MAC).encode()).isEqualTo(hex(Frames.ARP_REPLY));
  }

  @Test
  void gratuitousFormsAreRecognised() {
    assertThat(ArpPacket.decode(hex(Frames.GARP_REQUEST)).orElseThrow().isGratuitous()).isTrue();
    ArpPacket reply = ArpPacket.decode(hex(Frames.GARP_REPLY)).orElseThrow();
    assertThat(reply.isGratuitous()).isTrue();
    // Linux wants target MAC = sender MAC for a gratuitous reply
    assertThat(reply.targetMac()).isEqualTo(reply.senderMac());
  }

  @Test
  void decodesUnpaddedFrame() {
    byte[] unpadded = Arrays.copyOf(hex(Frames.ARP_REQUEST), 42);
    assertThat(ArpPacket.decode(unpadded)).isPresent();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        bad("truncated", f -> {}, 41),
        bad("IPv6 ethertype", f -> f[12] = (byte) 0x86, 60),
        bad("hardware type 6", f -> f[15] = 6, 60),
        bad("protocol IPv6", f -> f[16] = (byte) 0x86, 60),
        bad("hardware length 8", f -> f[18] = 8, 60),
        bad("op 3 (RARP)", f -> f[21] = 3, 60));
  }

  private static Arguments bad(String name, Consumer<byte[]> damage, int length) {
    byte[] f = Arrays.copyOf(hex(Frames.ARP_REQUEST), length);
    damage.accept(f);
    return Arguments.of(name, f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void ignoresWhatIsNotIpv4ArpRequestOrReply(String name, byte[] frame) {
    assertThat(ArpPacket.decode(frame)).isEmpty();
  }

  @Test
  void ignoresNullAndNdpFrames() {
    assertThat(ArpPacket.decode(null)).isEmpty();
    assertThat(ArpPacket.decode(hex(Frames.NS))).isEmpty();
  }
}
