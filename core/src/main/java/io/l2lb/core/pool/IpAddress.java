package io.l2lb.core.pool;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a value: 128 bits in two longs plus the family. IPv4 keeps its 32 bits
 * in {@code lo} with {@code hi == 0}. Parsing is purely textual (unlike {@link
 * java.net.InetAddress}, which may resolve host names), and the two-long form keeps comparisons and
 * {@code +1} cheap for the allocator's hot loop.
 *
 * <p>Ordering: every IPv4 address sorts before every IPv6 address, then by numeric value. IPv4
 * {@code 1.2.3.4} and IPv6 {@code ::1.2.3.4} / {@code ::ffff:1.2.3.4} are different values.
 */
public final class IpAddress implements Comparable<IpAddress> {
  private static final long V4_MAX = 0xFFFF_FFFFL;

  private final IpFamily family;
  private final long hi;
  private final long lo;

  private IpAddress(IpFamily family, long hi, long lo) {
    this.family = family;
    this.hi = hi;
    this.lo = lo;
  }

  static IpAddress v4(long value) {
    return new IpAddress(IpFamily.IPV4, 0, value);
  }

  static IpAddress v6(long hi, long lo) {
    return new IpAddress(IpFamily.IPV6, hi, lo);
  }

  /**
   * Parses dotted-quad IPv4 ({@code 192.0.2.7}) or IPv6 text ({@code 2001:db8::1}, {@code
   * ::ffff:192.0.2.7}); surrounding whitespace is ignored. IPv4 octets with leading zeros ({@code
   * 010.0.0.1}) are rejected, since some tools read them as octal. IPv6 zone ids ({@code %eth0})
   * and brackets are rejected: a pool never needs them.
   *
   * @throws IllegalArgumentException "'1.2.3' is not an IPv4 or IPv6 address"
   */
  public static IpAddress parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () -> new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address"));
  }

  /** Like {@link #parse}, but empty instead of an exception (also for {@code null}). */
  public static Optional<IpAddress> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    return Optional.ofNullable(s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s));
  }

  /**
   * The address in network byte order: 4 bytes are IPv4, 16 bytes IPv6 (an IPv4-mapped {@code
   * ::ffff:a.b.c.d} stays IPv6, as {@link #parse} keeps it). What {@link
   * java.net.InetAddress#getAddress()} and raw frames give; no text on the way, so the speaker's
   * reply path can check a pool without formatting and parsing the address.
   *
   * @throws IllegalArgumentException for any other length
   */
  public static IpAddress fromBytes(byte[] address) {
    if (address.length == 4) {
      return v4(
          (address[0] & 0xFFL) << 24
              | (address[1] & 0xFFL) << 16
              | (address[2] & 0xFFL) << 8
              | (address[3] & 0xFFL));
    }
    if (address.length == 16) {
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = hi << 8 | (address[i] & 0xFFL);
        lo = lo << 8 | (address[8 + i] & 0xFFL);
      }
      return v6(hi, lo);
    }
    throw new IllegalArgumentException(
        "an IP address is 4 (IPv4) or 16 (IPv6) bytes long, not " + address.length);
  }

  /** The address in network byte order: 4 bytes for IPv4, 16 for IPv6 ({@link #fromBytes}). */
  public byte[] toBytes() {
    int n = family == IpFamily.IPV4 ? 4 : 16;
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      int shift = 8 * (n - 1 - i);
      out[i] = (byte) (shift >= 64 ? hi >>> (shift - 64) : lo >>> shift);
    }
    return out;
  }

  /** Builds an address from its numeric value. */
  public static IpAddress of(IpFamily family, BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > family.bits()) {
      throw new IllegalArgumentException(
          value + " is not a valid " + family.label() + " address value");
    }
    return new IpAddress(family, value.shiftRight(64).longValue(), value.longValue());
  }

  public IpFamily family() {
    return family;
  }

  public BigInteger toBigInteger() {
    if (hi == 0 && lo >= 0) {
      return BigInteger.valueOf(lo);
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (hi >>> (56 - 8 * i));
      bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return new BigInteger(1, bytes);
  }

  /**
   * This address moved by {@code n} (negative moves down).
   *
   * @throws ArithmeticException if the result would leave the family's address space
   */
  public IpAddress plus(long n) {
    if (family == IpFamily.IPV4) {
      long v = lo + n; // lo < 2^32, so overflow is only possible for |n| near 2^63
      if ((n > 0 && v < lo) || v < 0 || v > V4_MAX) {
        throw outOfRange(n);
      }
      return v4(v);
    }
    // 128-bit two's complement add: n sign-extends into the high word, plus the carry.
    long newLo = lo + n;
    long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
    long newHi = hi + (n >> 63) + carry;
    IpAddress r = v6(newHi, newLo);
    // Wrapped around the 128-bit space iff the result moved the wrong way.
    if (n > 0 ? r.compareTo(this) < 0 : r.compareTo(this) > 0) {
      throw outOfRange(n);
    }
    return r;
  }

  /**
   * The following address.
   *
   * @throws ArithmeticException at the family maximum ({@code 255.255.255.255} or {@code
   *     ffff:...:ffff}); callers that walk ranges stop at the range end first
   */
  public IpAddress next() {
    if (isFamilyMax()) {
      throw outOfRange(1);
    }
    if (family == IpFamily.IPV4) {
      return v4(lo + 1);
    }
    long newLo = lo + 1;
    return v6(newLo == 0 ? hi + 1 : hi, newLo);
  }

  boolean isFamilyMax() {
    return family == IpFamily.IPV4 ? lo == V4_MAX : (hi == -1 && lo == -1);
  }

  /** This address with its lowest {@code family.bits() - prefix} bits cleared. */
  IpAddress network(int prefix) {
    return new IpAddress(family, hi & ~hostMaskHi(prefix), lo & ~hostMaskLo(prefix));
  }

  /** This address with its lowest {@code family.bits() - prefix} bits set. */
  IpAddress broadcast(int prefix) {
    return new IpAddress(family, hi | hostMaskHi(prefix), lo | hostMaskLo(prefix));
  }

  private long hostMaskLo(int prefix) {
    int h = family.bits() - prefix;
    return h >= 64 ? -1L : (1L << h) - 1; // h == 0 gives 0
  }

  private long hostMaskHi(int prefix) {
    int h = family.bits() - prefix;
    return h <= 64 ? 0 : h == 128 ? -1L : (1L << (h - 64)) - 1;
  }

  private ArithmeticException outOfRange(long n) {
    return new ArithmeticException(
        this + " + " + n + " is outside the " + family.label() + " address space");
  }

  @Override
  public int compareTo(IpAddress o) {
    int c = family.compareTo(o.family);
    if (c == 0) {
      c = Long.compareUnsigned(hi, o.hi);
    }
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && a.family == family && a.hi == hi && a.lo == lo;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * family.ordinal() + Long.hashCode(hi)) + Long.hashCode(lo);
  }

  /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6. */
  @Override
  public String toString() {
    if (family == IpFamily.IPV4) {
      return v4Text(lo);
    }
    // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
    if (hi == 0 && (lo >>> 32) == 0xFFFF) {
      return "::ffff:" + v4Text(lo & V4_MAX);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
      g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
    }
    // Longest run of zero groups, the first one on a tie; a single zero group is not compressed.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static String v4Text(long v) {
    return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
  }

  // ---- parsing: hand-written so that only ASCII digits count and nothing is ever resolved ----

  private static IpAddress parseV4(String s) {
    long v = parseV4Value(s);
    return v < 0 ? null : v4(v);
  }

  /** The 32-bit value of a dotted quad, or -1 if {@code s} is not one. */
  private static long parseV4Value(String s) {
    long value = 0;
    int octets = 0;
    int i = 0;
    int n = s.length();
    while (octets < 4) {
      int start = i;
      int octet = 0;
      while (i < n && i - start < 3 && isDigit(s.charAt(i))) {
        octet = octet * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || octet > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | octet;
      octets++;
      if (octets < 4) {
        if (i >= n || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == n ? value : -1;
  }

  private static IpAddress parseV6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null; // at most one "::" (this also rejects ":::")
    }
    int[] head = parseGroups(gap < 0 ? s : s.substring(0, gap), gap < 0);
    int[] tail = gap < 0 ? new int[0] : parseGroups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int count = head.length + tail.length;
    // Without "::" all 8 groups are written; "::" stands for at least one zero group.
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] g = new int[8];
    System.arraycopy(head, 0, g, 0, head.length);
    System.arraycopy(tail, 0, g, 8 - tail.length, tail.length);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | g[i];
      lo = (lo << 16) | g[4 + i];
    }
    return v6(hi, lo);
  }

  /**
   * Colon-separated 16-bit hex groups; the last may be a dotted quad (two groups) when {@code
   * mayEndWithV4}. Returns null if malformed, an empty array for "".
   */
  private static int[] parseGroups(String part, boolean mayEndWithV4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    boolean v4Tail = mayEndWithV4 && pieces[pieces.length - 1].indexOf('.') >= 0;
    int[] out = new int[pieces.length + (v4Tail ? 1 : 0)];
    if (out.length > 8) {
      return null;
    }
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (v4Tail && i == pieces.length - 1) {
        long v = parseV4Value(p);
        if (v < 0) {
          return null;
        }
        out[i] = (int) (v >>> 16);
        out[i + 1] = (int) (v & 0xFFFF);
      } else {
        int v = parseHex16(p);
        if (v < 0) {
          return null;
        }
        out[i] = v;
      }
    }
    return out;
  }

  private static int parseHex16(String p) {
    if (p.isEmpty() || p.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      int d =
          isDigit(c)
              ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
