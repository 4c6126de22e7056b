package io.l2lb.speaker.wire;

import static io.l2lb.speaker.wire.ArpPacket.u16;

import java.net.Inet6Address;
import java.util.Optional;

/**
 * The two IPv6 Neighbor Discovery messages the speaker deals with (RFC 4861), with their Ethernet
 * and IPv6 headers, and the codec on raw frames. No extension headers: neighbour discovery never
 * carries them in practice, and the capture filter looks at byte 40 of the IPv6 packet (the ICMPv6
 * type) anyway.
 */
public sealed interface NdpPacket permits NeighborSolicitation, NeighborAdvertisement {

  int ETHERTYPE_IPV6 = 0x86DD;
  int NEXT_HEADER_ICMPV6 = 58;
  int TYPE_NS = 135;
  int TYPE_NA = 136;
  int OPTION_SOURCE_LINK_ADDRESS = 1;
  int OPTION_TARGET_LINK_ADDRESS = 2;

  int ETH_HEADER = 14;
  int IPV6_HEADER = 40;
  int ICMP = ETH_HEADER + IPV6_HEADER;

  /** ICMPv6 header (4) + reserved/flags (4) + target (16). */
  int ND_BODY = 24;

  MacAddress ethDst();

  MacAddress ethSrc();

  Inet6Address src();

  Inet6Address dst();

  Inet6Address target();

  byte[] encode();

  /**
   * Decodes an Ethernet frame; empty unless it is a valid NS or NA (RFC 4861 7.1: hop limit 255,
   * code 0, correct checksum, target not multicast, no zero-length option).
   */
  static Optional<NdpPacket> decode(byte[] frame) {
    if (frame == null || frame.length < ICMP + ND_BODY || u16(frame, 12) != ETHERTYPE_IPV6) {
      return Optional.empty();
    }
    int ip = ETH_HEADER;
    if ((frame[ip] & 0xF0) != 0x60
        || (frame[ip + 6] & 0xFF) != NEXT_HEADER_ICMPV6
        || (frame[ip + 7] & 0xFF) != 255) {
      return Optional.empty(); // hop limit 255 proves the sender is on this link
    }
    int icmpLength = u16(frame, ip + 4);
    if (icmpLength < ND_BODY || ICMP + icmpLength > frame.length) {
      return Optional.empty();
    }
    int type = frame[ICMP] & 0xFF;
    if ((type != TYPE_NS && type != TYPE_NA) || frame[ICMP + 1] != 0) {
      return Optional.empty();
    }
    if (Icmp6.checksum(frame, ip + 8, ip + 24, ICMP, icmpLength) != 0) {
      return Optional.empty(); // summing over a correct checksum field gives zero
    }
    Inet6Address target = Ip.read6(frame, ICMP + 8);
    if (target.isMulticastAddress()) {
      return Optional.empty();
    }
    MacAddress linkAddress = null;
    int wanted = type == TYPE_NS ? OPTION_SOURCE_LINK_ADDRESS : OPTION_TARGET_LINK_ADDRESS;
    int end = ICMP + icmpLength;
    for (int o = ICMP + ND_BODY; o + 2 <= end; ) {
      int optType = frame[o] & 0xFF;
      int optLength = (frame[o + 1] & 0xFF) * 8;
      if (optLength == 0 || o + optLength > end) {
        return Optional.empty();
      }
      if (optType == wanted && optLength >= 8) {
        linkAddress = MacAddress.read(frame, o + 2);
      }
      o += optLength;
    }
    MacAddress ethDst = MacAddress.read(frame, 0);
    MacAddress ethSrc = MacAddress.read(frame, 6);
    Inet6Address src = Ip.read6(frame, ip + 8);
    Inet6Address dst = Ip.read6(frame, ip + 24);
    if (type == TYPE_NS) {
      return Optional.of(new NeighborSolicitation(ethDst, ethSrc, src, dst, target, linkAddress));
    }
    int flags = frame[ICMP + 4] & 0xFF;
    return Optional.of(
        new NeighborAdvertisement(
            ethDst,
            ethSrc,
            src,
            dst,
            (flags & 0x80) != 0,
            (flags & 0x40) != 0,
            (flags & 0x20) != 0,
            target,
            linkAddress));
  }
}
