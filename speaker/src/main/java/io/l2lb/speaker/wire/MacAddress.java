package io.l2lb.speaker.wire;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address. Held in a {@code long} so the record has value semantics (a {@code
 * byte[]} component would compare by identity).
 */
public record MacAddress(long value) {

  public static final MacAddress ZERO = new MacAddress(0L);
  public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

  public MacAddress {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("not a 48-bit value: " + Long.toHexString(value));
    }
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes == null || bytes.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes");
    }
    return read(bytes, 0);
  }

  /** Reads 6 bytes at {@code offset}. */
  public static MacAddress read(byte[] frame, int offset) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (frame[offset + i] & 0xFF);
    }
    return new MacAddress(v);
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes). */
  public static MacAddress parse(String text) {
    String hex = text.trim().replace(":", "").replace("-", "");
    if (hex.length() != 12) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    return of(HexFormat.of().parseHex(hex));
  }

  /**
   * The Ethernet group address for an IPv6 multicast destination (RFC 2464 section 7): 33:33
   * followed by the last four bytes of the IPv6 address.
   */
  public static MacAddress ipv6Multicast(byte[] ipv6) {
    long v = 0x3333L;
    for (int i = 12; i < 16; i++) {
      v = (v << 8) | (ipv6[i] & 0xFF);
    }
    return new MacAddress(v);
  }

  public void write(byte[] frame, int offset) {
    for (int i = 0; i < 6; i++) {
      frame[offset + i] = (byte) (value >>> (8 * (5 - i)));
    }
  }

  public byte[] toBytes() {
    byte[] b = new byte[6];
    write(b, 0);
    return b;
  }

  public boolean isBroadcast() {
    return value == BROADCAST.value;
  }

  /** Group bit: the least significant bit of the first byte. */
  public boolean isMulticast() {
    return ((value >>> 40) & 1) == 1;
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(toBytes());
  }
}
