package io.l2lb.core.pool;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One {@code spec.addressPool} entry: the text as written (whitespace-stripped) and the inclusive
 * range of addresses it hands out.
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

  private static final String SHAPES = "a CIDR (a.b.c.d/n) or a range (a-b)";

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
   * Parses {@code 10.42.0.0/28}, {@code 2001:db8::/120}, {@code 192.168.122.100-192.168.122.150}
   * (whitespace around '-' and '/' is tolerated).
   *
   * @throws PoolSyntaxException naming the entry and the fix
   */
  public static PoolEntry parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new PoolSyntaxException(t, "is empty; write " + SHAPES);
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
    String fix =
        IpAddress.tryParse(t)
            .map(ip -> "for the single address write " + ip + "/" + ip.family().bits())
            .orElse("write e.g. 192.0.2.0/28 or 192.0.2.10-192.0.2.20");
    throw new PoolSyntaxException(t, "is neither a CIDR (a.b.c.d/n) nor a range (a-b); " + fix);
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
    return IpAddress.tryParse(p)
        .orElseThrow(
            () ->
                new PoolSyntaxException(
                    entry, role + "'" + p + "' is not an IPv4 or IPv6 address"));
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
