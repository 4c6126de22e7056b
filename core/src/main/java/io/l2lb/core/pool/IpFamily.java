package io.l2lb.core.pool;

/** Address family of an {@link IpAddress}. Declaration order is sort order: IPv4 before IPv6. */
public enum IpFamily {
  IPV4(32),
  IPV6(128);

  private final int bits;

  IpFamily(int bits) {
    this.bits = bits;
  }

  /** Address width in bits: 32 or 128. */
  public int bits() {
    return bits;
  }

  /** "IPv4" / "IPv6", as people write it in messages. */
  String label() {
    return this == IPV4 ? "IPv4" : "IPv6";
  }
}
