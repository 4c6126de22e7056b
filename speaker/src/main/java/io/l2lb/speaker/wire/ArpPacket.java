package io.l2lb.speaker.wire;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826) together with its Ethernet header, and the codec
 * for it on raw frames. Only untagged frames: on a Linux host the kernel strips the 802.1Q tag
 * before the capture sees the frame on a VLAN sub-interface.
 */
public record ArpPacket(
    MacAddress ethDst,
    MacAddress ethSrc,
    int op,
    MacAddress senderMac,
    Inet4Address senderIp,
    MacAddress targetMac,
    Inet4Address targetIp) {

  public static final int REQUEST = 1;
  public static final int REPLY = 2;

  static final int ETHERTYPE_ARP = 0x0806;
  static final int ETH_HEADER = 14;
  static final int ARP_LENGTH = 28;

  /** Shortest Ethernet frame without the FCS; some NIC drivers do not pad short frames. */
  static final int MIN_FRAME = 60;

  public ArpPacket {
    Objects.requireNonNull(ethDst);
    Objects.requireNonNull(ethSrc);
    Objects.requireNonNull(senderMac);
    Objects.requireNonNull(senderIp);
    Objects.requireNonNull(targetMac);
    Objects.requireNonNull(targetIp);
    if (op != REQUEST && op != REPLY) {
      throw new IllegalArgumentException("ARP op must be 1 or 2: " + op);
    }
  }

  public boolean isRequest() {
    return op == REQUEST;
  }

  public boolean isReply() {
    return op == REPLY;
  }

  /**
   * Gratuitous ARP: the sender announces its own address (sender IP = target IP), as a request or
   * as a reply. Linux only treats the reply form as gratuitous when the target MAC equals the
   * sender MAC, which is how {@link #gratuitousReply} builds it.
   */
  public boolean isGratuitous() {
    return senderIp.equals(targetIp);
  }

  /** Decodes an Ethernet frame; empty unless it is an IPv4-over-Ethernet ARP request or reply. */
  public static Optional<ArpPacket> decode(byte[] frame) {
    if (frame == null || frame.length < ETH_HEADER + ARP_LENGTH) {
      return Optional.empty();
    }
    if (u16(frame, 12) != ETHERTYPE_ARP) {
      return Optional.empty();
    }
    int a = ETH_HEADER;
    if (u16(frame, a) != 1
        || u16(frame, a + 2) != 0x0800
        || frame[a + 4] != 6
        || frame[a + 5] != 4) {
      return Optional.empty();
    }
    int op = u16(frame, a + 6);
    if (op != REQUEST && op != REPLY) {
      return Optional.empty();
    }
    return Optional.of(
        new ArpPacket(
            MacAddress.read(frame, 0),
            MacAddress.read(frame, 6),
            op,
            MacAddress.read(frame, a + 8),
            Ip.read4(frame, a + 14),
            MacAddress.read(frame, a + 18),
            Ip.read4(frame, a + 24)));
  }

  /** Encodes to a frame padded with zeros to the 60-byte Ethernet minimum. */
  public byte[] encode() {
    byte[] f = new byte[MIN_FRAME];
    ethDst.write(f, 0);
    ethSrc.write(f, 6);
    put16(f, 12, ETHERTYPE_ARP);
    int a = ETH_HEADER;
    put16(f, a, 1); // hardware type: Ethernet
    put16(f, a + 2, 0x0800); // protocol type: IPv4
    f[a + 4] = 6;
    f[a + 5] = 4;
    put16(f, a + 6, op);
    senderMac.write(f, a + 8);
    System.arraycopy(senderIp.getAddress(), 0, f, a + 14, 4);
    targetMac.write(f, a + 18);
    System.arraycopy(targetIp.getAddress(), 0, f, a + 24, 4);
    return f;
  }

  /**
   * The reply to this request, saying {@code ourMac} has the requested address. Sent unicast to the
   * asker. For an RFC 5227 probe (sender IP 0.0.0.0) the target IP is 0.0.0.0 too, as Linux
   * replies.
   */
  public ArpPacket replyFrom(MacAddress ourMac) {
    if (!isRequest()) {
      throw new IllegalStateException("only a request can be answered");
    }
    return new ArpPacket(senderMac, ourMac, REPLY, ourMac, targetIp, senderMac, senderIp);
  }

  /**
   * Gratuitous ARP in request form (RFC 5227 "ARP announcement"): broadcast, sender IP = target IP,
   * target MAC zero.
   */
  public static ArpPacket gratuitousRequest(MacAddress mac, Inet4Address ip) {
    return new ArpPacket(MacAddress.BROADCAST, mac, REQUEST, mac, ip, MacAddress.ZERO, ip);
  }

  /**
   * Gratuitous ARP in reply form: broadcast, sender IP = target IP and target MAC = sender MAC (the
   * condition Linux {@code arp_is_garp()} checks for replies). Some hosts and switches only learn
   * from one of the two forms, so take-over sends both.
   */
  public static ArpPacket gratuitousReply(MacAddress mac, Inet4Address ip) {
    return new ArpPacket(MacAddress.BROADCAST, mac, REPLY, mac, ip, mac, ip);
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }
}
