package io.l2lb.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.l2lb.core.pool.PoolEntry.Kind;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolEntryTest {

  private static final BigInteger TWO = BigInteger.TWO;

  static Stream<Arguments> valid() {
    return Stream.of(
        // IPv4 CIDRs shorter than /31 skip network and broadcast
        arguments("10.42.0.0/28", Kind.CIDR, "10.42.0.1", "10.42.0.14", BigInteger.valueOf(14)),
        arguments("192.0.2.4/30", Kind.CIDR, "192.0.2.5", "192.0.2.6", BigInteger.TWO),
        arguments("192.0.2.0/24", Kind.CIDR, "192.0.2.1", "192.0.2.254", BigInteger.valueOf(254)),
        arguments("0.0.0.0/0", Kind.CIDR, "0.0.0.1", "255.255.255.254", TWO.pow(32).subtract(TWO)),
        // /31 and /32 use every address
        arguments("192.0.2.6/31", Kind.CIDR, "192.0.2.6", "192.0.2.7", BigInteger.TWO),
        arguments("192.0.2.7/32", Kind.CIDR, "192.0.2.7", "192.0.2.7", BigInteger.ONE),
        // IPv6 CIDRs use every address
        arguments(
            "2001:db8::/120", Kind.CIDR, "2001:db8::", "2001:db8::ff", BigInteger.valueOf(256)),
        arguments(
            "2001:db8::/64", Kind.CIDR, "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", TWO.pow(64)),
        arguments("2001:db8::/127", Kind.CIDR, "2001:db8::", "2001:db8::1", BigInteger.TWO),
        arguments("2001:db8::1/128", Kind.CIDR, "2001:db8::1", "2001:db8::1", BigInteger.ONE),
        arguments("::/0", Kind.CIDR, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", TWO.pow(128)),
        // a single address is a /32 or /128
        arguments("192.0.2.7", Kind.CIDR, "192.0.2.7", "192.0.2.7", BigInteger.ONE),
        arguments("2001:db8::7", Kind.CIDR, "2001:db8::7", "2001:db8::7", BigInteger.ONE),
        arguments("::192.0.2.7", Kind.CIDR, "::192.0.2.7", "::192.0.2.7", BigInteger.ONE),
        // ranges are used as written, network/broadcast included
        arguments(
            "192.168.122.100-192.168.122.150",
            Kind.RANGE,
            "192.168.122.100",
            "192.168.122.150",
            BigInteger.valueOf(51)),
        arguments("10.0.0.1-10.0.0.1", Kind.RANGE, "10.0.0.1", "10.0.0.1", BigInteger.ONE),
        arguments("0.0.0.0-255.255.255.255", Kind.RANGE, "0.0.0.0", "255.255.255.255", TWO.pow(32)),
        arguments(
            "2001:db8::10-2001:db8::1f",
            Kind.RANGE,
            "2001:db8::10",
            "2001:db8::1f",
            BigInteger.valueOf(16)),
        arguments(
            "2001:db8::-2001:db8:0:1::",
            Kind.RANGE,
            "2001:db8::",
            "2001:db8:0:1::",
            TWO.pow(64).add(BigInteger.ONE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesEntries(String text, Kind kind, String first, String last, BigInteger size) {
    PoolEntry e = PoolEntry.parse(text);
    assertThat(e.text()).isEqualTo(text);
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.first()).isEqualTo(IpAddress.parse(first));
    assertThat(e.last()).isEqualTo(IpAddress.parse(last));
    assertThat(e.size()).isEqualTo(size);
    assertThat(e.family()).isEqualTo(e.first().family());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(
            "10.0.0.5-10.0.0.1",
            "range start 10.0.0.5 is above its end 10.0.0.1; write the lower address first"),
        arguments(
            "2001:db8::20-2001:db8::10", "range start 2001:db8::20 is above its end 2001:db8::10"),
        arguments("10.0.0.1-2001:db8::1", "mixes IPv4 and IPv6"),
        arguments("2001:db8::1-10.0.0.1", "write one entry per family"),
        // whitespace is rejected with the fix, never stripped (the API server stores it verbatim)
        arguments(
            "192.168.122.100 - 192.168.122.150",
            "contains whitespace (a space, tab or line break); remove it:"
                + " write '192.168.122.100-192.168.122.150'"),
        arguments("10.0.0.0 / 8", "remove it: write '10.0.0.0/8'"),
        arguments("  10.0.0.0-10.0.0.255  ", "remove it: write '10.0.0.0-10.0.0.255'"),
        arguments("10.0.0.0/24\n", "remove it: write '10.0.0.0/24'"),
        arguments("\t2001:db8::/120", "contains whitespace"),
        arguments("192.0.2.7 ", "remove it: write '192.0.2.7'"),
        arguments(
            "banana",
            "is neither a CIDR (a.b.c.d/n), a range (a-b) nor an address;"
                + " write e.g. 192.0.2.0/28, 192.0.2.10-192.0.2.20 or 192.0.2.7"),
        arguments("10.0.0.256", "is neither a CIDR"),
        // IPv4-mapped IPv6 is rejected, as the API server's CEL ip() does
        arguments(
            "::ffff:192.0.2.7",
            "address ::ffff:192.0.2.7 is an IPv4-mapped IPv6 address; write the IPv4 address"
                + " 192.0.2.7 instead"),
        arguments(
            "::ffff:c000:207-::ffff:c000:208", "range start '::ffff:c000:207' is an IPv4-mapped"),
        arguments("::ffff:0:0/96", "is an IPv4-mapped IPv6 address"),
        arguments("10.0.0.0/24/1", "is neither a CIDR"),
        arguments("10.0.0.1-10.0.0.2-10.0.0.3", "is neither a CIDR"),
        arguments("10.0.0.0/24-10.0.1.0/24", "is neither a CIDR"),
        arguments("10.0.0.0/33", "prefix length 33 is out of range 0-32"),
        arguments("10.0.0.0/99999", "prefix length 99999 is out of range 0-32"),
        arguments("10.0.0.0/08", "prefix length '08' has a leading zero; write 10.0.0.0/8"),
        arguments("2001:db8::/0120", "has a leading zero; write 2001:db8::/120"),
        arguments("2001:db8::/129", "prefix length 129 is out of range 0-128"),
        arguments(
            "10.0.0.0/x", "prefix length 'x' is not a number; write 10.0.0.0/n with n in 0-32"),
        arguments("10.0.0.0/", "prefix length '' is not a number"),
        arguments("10.0.0.0/-1", "is neither a CIDR"),
        arguments("10.0.0.5/28", "host bits set: did you mean 10.0.0.0/28?"),
        arguments("192.0.2.7/31", "host bits set: did you mean 192.0.2.6/31?"),
        arguments("2001:db8::1/64", "host bits set: did you mean 2001:db8::/64?"),
        arguments("1.2.3/24", "'1.2.3' is not an IPv4 or IPv6 address"),
        arguments("10.0.0.1-10.0.0", "range end '10.0.0' is not an IPv4 or IPv6 address"),
        arguments("300.0.0.1-10.0.0.9", "range start '300.0.0.1' is not an IPv4 or IPv6 address"),
        arguments("", "is empty; write a CIDR (a.b.c.d/n), a range (a-b) or an address"),
        arguments("   ", "is empty"));
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("invalid")
  void rejectsWithEntryAndFix(String text, String reasonFragment) {
    assertThatThrownBy(() -> PoolEntry.parse(text))
        .isInstanceOf(PoolSyntaxException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("addressPool entry '" + text.strip() + "': ")
        .hasMessageContaining(reasonFragment)
        .satisfies(
            e -> {
              PoolSyntaxException p = (PoolSyntaxException) e;
              assertThat(p.entry()).isEqualTo(text.strip());
              assertThat(p.index()).isEqualTo(-1);
              assertThat(p.reason()).contains(reasonFragment);
            });
  }

  @Test
  void exactMessageForReversedRange() {
    assertThatThrownBy(() -> PoolEntry.parse("10.0.0.5-10.0.0.1"))
        .hasMessage(
            "addressPool entry '10.0.0.5-10.0.0.1': range start 10.0.0.5 is above its end 10.0.0.1; "
                + "write the lower address first");
  }

  static Stream<Arguments> contains() {
    return Stream.of(
        arguments("10.42.0.0/28", "10.42.0.0", false), // network address is never handed out
        arguments("10.42.0.0/28", "10.42.0.1", true),
        arguments("10.42.0.0/28", "10.42.0.14", true),
        arguments("10.42.0.0/28", "10.42.0.15", false), // broadcast
        arguments("192.0.2.6/31", "192.0.2.6", true),
        arguments("192.0.2.6/31", "192.0.2.7", true),
        arguments("10.0.0.1-10.0.0.9", "10.0.0.0", false),
        arguments("10.0.0.1-10.0.0.9", "10.0.0.9", true),
        arguments("10.0.0.1-10.0.0.9", "10.0.0.10", false),
        arguments("10.0.0.1-10.0.0.9", "::a00:5", false), // other family, same low bits
        arguments("::/0", "10.0.0.1", false),
        arguments("::/0", "::", true),
        arguments("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true),
        arguments("2001:db8::/64", "2001:db8:0:1::", false),
        arguments("0.0.0.0/0", "255.255.255.255", false),
        arguments("0.0.0.0/0", "255.255.255.254", true));
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @MethodSource("contains")
  void containsUsableAddressesOnly(String entry, String ip, boolean expected) {
    assertThat(PoolEntry.parse(entry).contains(IpAddress.parse(ip))).isEqualTo(expected);
  }

  static Stream<Arguments> overlaps() {
    return Stream.of(
        arguments("10.0.0.0/24", "10.0.0.100-10.0.0.200", true),
        arguments("10.0.0.0/24", "10.0.0.254-10.0.1.5", true),
        arguments("10.0.0.0/24", "10.0.0.255-10.0.1.5", false), // broadcast is not usable
        arguments("10.0.0.0/24", "10.0.0.0/32", false), // nor the network address
        arguments("10.0.0.1-10.0.0.5", "10.0.0.5-10.0.0.9", true), // shared end
        arguments("10.0.0.1-10.0.0.5", "10.0.0.6-10.0.0.9", false), // adjacent
        arguments("10.0.0.0/28", "10.0.0.0/28", true),
        arguments("0.0.0.0/0", "::/0", false),
        arguments("10.0.0.5-10.0.0.6", "::a00:0/120", false),
        arguments("2001:db8::/64", "2001:db8::ffff:0:0:0-2001:db8:0:1::5", true),
        arguments("2001:db8::/64", "2001:db8:0:1::/64", false));
  }

  @ParameterizedTest(name = "{0} overlaps {1}: {2}")
  @MethodSource("overlaps")
  void overlapsIsSymmetric(String a, String b, boolean expected) {
    PoolEntry x = PoolEntry.parse(a);
    PoolEntry y = PoolEntry.parse(b);
    assertThat(x.overlaps(y)).isEqualTo(expected);
    assertThat(y.overlaps(x)).isEqualTo(expected);
  }

  @Test
  void constructorKeepsTheInvariant() {
    IpAddress v4 = IpAddress.parse("10.0.0.2");
    assertThatThrownBy(() -> new PoolEntry("x", v4, IpAddress.parse("10.0.0.1"), Kind.RANGE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PoolEntry("x", v4, IpAddress.parse("::1"), Kind.RANGE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
