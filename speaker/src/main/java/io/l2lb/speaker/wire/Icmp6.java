package io.l2lb.speaker.wire;

import static io.l2lb.speaker.wire.ArpPacket.put16;
import static io.l2lb.speaker.wire.NdpPacket.*;

import java.net.Inet6Address;

/**
 * Builds neighbour discovery frames and computes the ICMPv6 checksum (RFC 4443 2.3): the one's
 * complement sum over the IPv6 pseudo-header and the message.
 */
final class Icmp6 {

  private Icmp6() {}

  /**
   * Checksum of the ICMPv6 message at {@code icmpOffset} (length {@code icmpLength}) with the
   * pseudo-header made of the source and destination addresses found at the given offsets, the
   * upper-layer length and next header 58. With the checksum field zeroed the result is the value
   * to store; over a received message it is 0 when the stored checksum is right.
   */
  static int checksum(byte[] frame, int srcOffset, int dstOffset, int icmpOffset, int icmpLength) {
    long sum = 0;
    sum += sum16(frame, srcOffset, 16);
    sum += sum16(frame, dstOffset, 16);
    sum += icmpLength >>> 16; // 32-bit upper-layer packet length...
    sum += icmpLength & 0xFFFF;
    sum += NdpPacket.NEXT_HEADER_ICMPV6; // ...then 3 zero bytes and the next header
    sum += sum16(frame, icmpOffset, icmpLength);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  private static long sum16(byte[] b, int off, int len) {
    long sum = 0;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if (i < len) {
      sum += (b[off + i] & 0xFF) << 8; // odd length: pad with a zero byte
    }
    return sum;
  }

  /**
   * Builds the frame: Ethernet + IPv6 header, then the 24-byte ND body, then one link-layer option.
   */
  static byte[] ndFrame(
      MacAddress ethDst,
      MacAddress ethSrc,
      Inet6Address src,
      Inet6Address dst,
      int type,
      int flagsByte,
      Inet6Address target,
      int optionType,
      MacAddress linkAddress) {
    int icmpLength = ND_BODY + (linkAddress == null ? 0 : 8);
    byte[] f = new byte[ICMP + icmpLength];
    ethDst.write(f, 0);
    ethSrc.write(f, 6);
    put16(f, 12, ETHERTYPE_IPV6);
    int ip = ETH_HEADER;
    f[ip] = 0x60; // version 6, traffic class and flow label zero
    put16(f, ip + 4, icmpLength);
    f[ip + 6] = (byte) NEXT_HEADER_ICMPV6;
    f[ip + 7] = (byte) 255;
    System.arraycopy(src.getAddress(), 0, f, ip + 8, 16);
    System.arraycopy(dst.getAddress(), 0, f, ip + 24, 16);
    f[ICMP] = (byte) type;
    f[ICMP + 4] = (byte) flagsByte;
    System.arraycopy(target.getAddress(), 0, f, ICMP + 8, 16);
    if (linkAddress != null) {
      f[ICMP + ND_BODY] = (byte) optionType;
      f[ICMP + ND_BODY + 1] = 1; // length in units of 8 bytes
      linkAddress.write(f, ICMP + ND_BODY + 2);
    }
    put16(f, ICMP + 2, checksum(f, ip + 8, ip + 24, ICMP, icmpLength));
    return f;
  }
}
