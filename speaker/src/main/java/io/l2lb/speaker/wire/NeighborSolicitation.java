package io.l2lb.speaker.wire;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * ICMPv6 Neighbor Solicitation. {@code sourceLinkAddress} is the Source Link-Layer Address option,
 * or null when absent (always absent in DAD probes, whose source is {@code ::}).
 */
public record NeighborSolicitation(
    MacAddress ethDst,
    MacAddress ethSrc,
    Inet6Address src,
    Inet6Address dst,
    Inet6Address target,
    MacAddress sourceLinkAddress)
    implements NdpPacket {

  public NeighborSolicitation {
    Objects.requireNonNull(ethDst);
    Objects.requireNonNull(ethSrc);
    Objects.requireNonNull(src);
    Objects.requireNonNull(dst);
    Objects.requireNonNull(target);
  }

  /** Duplicate address detection probe: sent from the unspecified address. */
  public boolean isDad() {
    return src.isAnyLocalAddress();
  }

  /**
   * An address-resolution solicitation as a host sends it: to the target's solicited-node group,
   * with our MAC in the source link-layer option.
   */
  public static NeighborSolicitation resolve(
      MacAddress mac, Inet6Address src, Inet6Address target) {
    Inet6Address group = Ip.solicitedNode(target);
    return new NeighborSolicitation(
        MacAddress.ipv6Multicast(group.getAddress()), mac, src, group, target, mac);
  }

  @Override
  public byte[] encode() {
    return Icmp6.ndFrame(
        ethDst,
        ethSrc,
        src,
        dst,
        TYPE_NS,
        0,
        target,
        OPTION_SOURCE_LINK_ADDRESS,
        sourceLinkAddress);
  }

  /**
   * The advertisement answering this solicitation for {@code ourMac} (RFC 4861 7.2.4): solicited
   * and unicast back to the asker, or for a DAD probe unsolicited to all nodes. Override is set so
   * the asker replaces a stale entry. The IPv6 source is the target address itself: the announced
   * IP need not be configured on the capture interface.
   */
  public NeighborAdvertisement answerFrom(MacAddress ourMac) {
    if (isDad()) {
      return NeighborAdvertisement.unsolicited(ourMac, target);
    }
    MacAddress to = sourceLinkAddress != null ? sourceLinkAddress : ethSrc;
    return new NeighborAdvertisement(to, ourMac, target, src, false, true, true, target, ourMac);
  }
}
