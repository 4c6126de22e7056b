package io.l2lb.core.pool;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One {@code spec.addressPool} entry: the text as written and the inclusive range of addresses it
 * hands out. A single address is a CIDR of one address (/32, /128).
 *
 * <p>Which addresses a CIDR hands out: an IPv4 CIDR shorter than /31 skips its network and
 * broadcast address, because hosts on that segment treat them specially (a LoadBalancer IP there
 * would be unreachable or answered by everyone). /31 (RFC 3021) and /32 have no such addresses.
 * IPv6 has no broadcast and the subnet-router anycast address only matters on the router's own
 * link, so IPv6 CIDRs hand out every address, as MetalLB does. Ranges are used exactly as written.
 */
public record PoolEntry(String text, IpAddress first, IpAddress last, Kind kind) {

  public enum Kind {
    CIDR,
    RANGE
  }

  private static final String SHAPES = "a CIDR (a.b.c.d/n), a range (a-b) or an address";

  public PoolEntry {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(kind, "kind");
    if (first.family() != last.family() || first.compareTo(last) > 0) {
      throw new IllegalArgumentException(
          "pool entry '"
              + text
              + "' needs first <= last of one family, got "
              + first
              + " and "
              + last);
    }
  }

  /**
   * Parses {@code 10.42.0.0/28}, {@code 2001:db8::/120}, {@code 192.168.122.100-192.168.122.150},
   * or a single address ({@code 192.0.2.7}, {@code 2001:db8::7}: shorthand for a /32 or /128).
   *
   * <p>Whitespace anywhere in the entry (around it, around '-' or '/', a trailing newline from a
   * YAML block scalar) is rejected, not stripped: the API server stores the entry verbatim, and the
   * operator, the speaker's guard and {@code kubectl l2lb validate} must all read the same text the
   * same way; the CRD's CEL rule rejects it too.
   *
   * @throws PoolSyntaxException naming the entry and the fix
   */
  public static PoolEntry parse(String text) {
    String t = text == null ? "" : text;
    if (t.isBlank()) {
      throw new PoolSyntaxException("", "is empty; write " + SHAPES);
    }
    if (t.chars().anyMatch(Character::isWhitespace)) {
      String fixed = t.replaceAll("\\s+", "");
      throw new PoolSyntaxException(
          t.strip(),
          "contains whitespace (a space, tab or line break); remove it: write '" + fixed + "'");
    }
    int slash = t.indexOf('/');
    int dash = t.indexOf('-');
    // IPv6 text never contains '-' or '/', so one separator tells the shape apart.
    if (slash >= 0 && dash < 0 && slash == t.lastIndexOf('/')) {
      return parseCidr(t, slash);
    }
    if (dash >= 0 && slash < 0 && dash == t.lastIndexOf('-')) {
      return parseRange(t, dash);
    }
    if (slash < 0 && dash < 0) {
      IpAddress single = IpAddress.tryParse(t).orElse(null);
      if (single != null) {
        notMapped(t, single, "address " + t);
        return new PoolEntry(t, single, single, Kind.CIDR);
      }
    }
    throw new PoolSyntaxException(
        t,
        "is neither a CIDR (a.b.c.d/n), a range (a-b) nor an address;"
            + " write e.g. 192.0.2.0/28, 192.0.2.10-192.0.2.20 or 192.0.2.7");
  }

  private static PoolEntry parseCidr(String t, int slash) {
    IpAddress addr = address(t, t.substring(0, slash), "");
    IpFamily family = addr.family();
    String lenText = t.substring(slash + 1).strip();
    if (lenText.isEmpty() || !lenText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new PoolSyntaxException(
          t,
          "prefix length '"
              + lenText
              + "' is not a number; write "
              + addr
              + "/n with n in 0-"
              + family.bits());
    }
    if (lenText.length() > 1 && lenText.charAt(0) == '0') {
      // as the API server's cidr() does: a leading zero is a typo or octal, never meant
      throw new PoolSyntaxException(
          t,
          "prefix length '"
              + lenText
              + "' has a leading zero; write "
              + addr
              + "/"
              + lenText.replaceFirst("^0+(?=.)", ""));
    }
    int len = lenText.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(lenText);
    if (len > family.bits()) {
      throw new PoolSyntaxException(
          t,
          "prefix length "
              + lenText
              + " is out of range 0-"
              + family.bits()
              + " for "
              + family.label()
              + "; use a prefix length of at most "
              + family.bits());
    }
    IpAddress network = addr.network(len);
    if (!network.equals(addr)) {
      // Accepting it silently would hand out addresses the user may not expect.
      throw new PoolSyntaxException(t, "host bits set: did you mean " + network + "/" + len + "?");
    }
    IpAddress first = network;
    IpAddress last = addr.broadcast(len);
    if (family == IpFamily.IPV4 && len < 31) {
      first = first.next();
      last = last.plus(-1);
    }
    return new PoolEntry(t, first, last, Kind.CIDR);
  }

  private static PoolEntry parseRange(String t, int dash) {
    IpAddress start = address(t, t.substring(0, dash), "range start ");
    IpAddress end = address(t, t.substring(dash + 1), "range end ");
    if (start.family() != end.family()) {
      throw new PoolSyntaxException(
          t,
          "mixes IPv4 and IPv6 (start "
              + start
              + " is "
              + start.family().label()
              + ", end "
              + end
              + " is "
              + end.family().label()
              + "); a range stays in one family, write one entry per family");
    }
    if (start.compareTo(end) > 0) {
      throw new PoolSyntaxException(
          t,
          "range start " + start + " is above its end " + end + "; write the lower address first");
    }
    return new PoolEntry(t, start, end, Kind.RANGE);
  }

  private static IpAddress address(String entry, String part, String role) {
    String p = part.strip();
    IpAddress a =
        IpAddress.tryParse(p)
            .orElseThrow(
                () ->
                    new PoolSyntaxException(
                        entry, role + "'" + p + "' is not an IPv4 or IPv6 address"));
    return notMapped(entry, a, role + "'" + p + "'");
  }

  /**
   * IPv4-mapped IPv6 addresses (::ffff:0:0/96) are rejected, as the API server's CEL ip()/cidr()
   * do: a pool hands out addresses nodes announce on the wire, and a mapped address is only an API
   * notation for an IPv4 one.
   */
  private static IpAddress notMapped(String entry, IpAddress a, String what) {
    if (a.family() == IpFamily.IPV6) {
      java.math.BigInteger v = a.toBigInteger();
      if (v.shiftRight(32).equals(java.math.BigInteger.valueOf(0xffffL))) {
        long v4 = v.longValue() & 0xffff_ffffL;
        String dotted =
            (v4 >>> 24) + "." + ((v4 >>> 16) & 255) + "." + ((v4 >>> 8) & 255) + "." + (v4 & 255);
        throw new PoolSyntaxException(
            entry,
            what.strip()
                + " is an IPv4-mapped IPv6 address; write the IPv4 address "
                + dotted
                + " instead");
      }
    }
    return a;
  }

  public IpFamily family() {
    return first.family();
  }

  /** Number of addresses this entry hands out. */
  public BigInteger size() {
    return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
  }

  public boolean contains(IpAddress ip) {
    // The family check is implied: IPv4 sorts entirely before IPv6.
    return first.compareTo(ip) <= 0 && ip.compareTo(last) <= 0;
  }

  /**
   * Whether the two entries share a handed-out address (never across families). Compares usable
   * addresses, so {@code 10.0.0.0/24} does not overlap {@code 10.0.0.0/32}: the /24 never hands out
   * its network address.
   */
  public boolean overlaps(PoolEntry other) {
    return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
  }
}
