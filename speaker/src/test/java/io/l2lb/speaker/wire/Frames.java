package io.l2lb.speaker.wire;

import java.util.HexFormat;

/**
 * Reference frames for the tests, generated independently of this code with Scapy
 * (Ether/ARP/IPv6/ICMPv6ND_* layers; ARP frames then zero-padded to 60 bytes). The ICMPv6 checksums
 * are Scapy's; {@code NdpPacketTest} re-derives one by hand.
 *
 * <p>Client 02:00:00:00:00:01 at 192.0.2.10 / 2001:db8::10, node 02:00:00:00:00:aa announcing
 * 192.0.2.100 / 2001:db8::100.
 */
public final class Frames {

  public static final MacAddress CLIENT_MAC = MacAddress.parse("02:00:00:00:00:01");
  public static final MacAddress NODE_MAC = MacAddress.parse("02:00:00:00:00:aa");
  public static final MacAddress OTHER_MAC = MacAddress.parse("02:00:00:00:00:bb");

  public static final String ARP_REQUEST =
      "ffffffffffff02000000000108060001080006040001020000000001c000020a000000000000c0000264"
          + "000000000000000000000000000000000000";
  public static final String ARP_REPLY =
      "0200000000010200000000aa080600010800060400020200000000aac0000264020000000001c000020a"
          + "000000000000000000000000000000000000";
  public static final String GARP_REQUEST =
      "ffffffffffff0200000000aa080600010800060400010200000000aac0000264000000000000c0000264"
          + "000000000000000000000000000000000000";
  public static final String GARP_REPLY =
      "ffffffffffff0200000000aa080600010800060400020200000000aac00002640200000000aac0000264"
          + "000000000000000000000000000000000000";

  /**
   * Address resolution: to the solicited-node group ff02::1:ff00:100, with source link-layer
   * option.
   */
  public static final String NS =
      "3333ff00010002000000000186dd6000000000203aff20010db8000000000000000000000010ff020000"
          + "0000000000000001ff00010087001a1c0000000020010db8000000000000000000000100010102000000"
          + "0001";

  /** Solicited, Override, target link-layer option; checksum 0x87be. */
  public static final String NA_SOLICITED =
      "0200000000010200000000aa86dd6000000000203aff20010db800000000000000000000010020010db8"
          + "000000000000000000000010880087be6000000020010db8000000000000000000000100020102000000"
          + "00aa";

  public static final String NA_UNSOLICITED =
      "3333000000010200000000aa86dd6000000000203aff20010db8000000000000000000000100ff020000"
          + "0000000000000000000000018800f6832000000020010db8000000000000000000000100020102000000"
          + "00aa";

  /** Duplicate address detection probe: source ::, no option. */
  public static final String NS_DAD =
      "3333ff00010002000000000186dd6000000000183aff00000000000000000000000000000000ff020000"
          + "0000000000000001ff00010087004aef0000000020010db8000000000000000000000100";

  /** Neighbour unreachability detection: unicast to the target, no option. */
  public static final String NS_UNICAST =
      "0200000000aa02000000000186dd6000000000183aff20010db800000000000000000000001020010db8"
          + "0000000000000000000001008700ed710000000020010db8000000000000000000000100";

  private Frames() {}

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }
}
