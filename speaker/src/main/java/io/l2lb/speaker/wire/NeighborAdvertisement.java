package io.l2lb.speaker.wire;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * ICMPv6 Neighbor Advertisement with its R(outer), S(olicited) and O(verride) flags. {@code
 * targetLinkAddress} is the Target Link-Layer Address option, or null when absent.
 */
public record NeighborAdvertisement(
    MacAddress ethDst,
    MacAddress ethSrc,
    Inet6Address src,
    Inet6Address dst,
    boolean router,
    boolean solicited,
    boolean override,
    Inet6Address target,
    MacAddress targetLinkAddress)
    implements NdpPacket {

  /** ff02::1, all nodes on the link. */
  public static final Inet6Address ALL_NODES = Ip.parse6("ff02::1");

  public NeighborAdvertisement {
    Objects.requireNonNull(ethDst);
    Objects.requireNonNull(ethSrc);
    Objects.requireNonNull(src);
    Objects.requireNonNull(dst);
    Objects.requireNonNull(target);
  }

  /**
   * Unsolicited advertisement to all nodes, Override set, so that neighbours holding an entry for
   * {@code ip} switch to {@code mac} (RFC 4861 7.2.6). Linux updates an existing entry from it (to
   * STALE) but does not create one.
   */
  public static NeighborAdvertisement unsolicited(MacAddress mac, Inet6Address ip) {
    return new NeighborAdvertisement(
        MacAddress.ipv6Multicast(ALL_NODES.getAddress()),
        mac,
        ip,
        ALL_NODES,
        false,
        false,
        true,
        ip,
        mac);
  }

  @Override
  public byte[] encode() {
    int flags = (router ? 0x80 : 0) | (solicited ? 0x40 : 0) | (override ? 0x20 : 0);
    return Icmp6.ndFrame(
        ethDst,
        ethSrc,
        src,
        dst,
        TYPE_NA,
        flags,
        target,
        OPTION_TARGET_LINK_ADDRESS,
        targetLinkAddress);
  }
}
