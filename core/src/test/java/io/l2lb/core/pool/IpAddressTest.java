package io.l2lb.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpAddressTest {

  static Stream<Arguments> canonical() {
    return Stream.of(
        arguments("192.0.2.7", "192.0.2.7", IpFamily.IPV4),
        arguments("0.0.0.0", "0.0.0.0", IpFamily.IPV4),
        arguments("255.255.255.255", "255.255.255.255", IpFamily.IPV4),
        arguments("  10.0.0.1\t", "10.0.0.1", IpFamily.IPV4),
        // RFC 5952 4.2.3: the first of equally long zero runs is compressed
        arguments("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", IpFamily.IPV6),
        arguments("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", IpFamily.IPV6),
        arguments("::", "::", IpFamily.IPV6),
        arguments("0:0:0:0:0:0:0:0", "::", IpFamily.IPV6),
        arguments("::1", "::1", IpFamily.IPV6),
        arguments("0:0:0:0:0:0:0:1", "::1", IpFamily.IPV6),
        arguments("2001:db8::", "2001:db8::", IpFamily.IPV6),
        // RFC 5952 4.2.2: a single zero group is not compressed
        arguments("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", IpFamily.IPV6),
        arguments("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", IpFamily.IPV6),
        arguments("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", IpFamily.IPV6),
        // RFC 5952 4.2.3: the longest run wins
        arguments("2001:0:0:1:0:0:0:1", "2001:0:0:1::1", IpFamily.IPV6),
        // RFC 5952 4.3: lowercase
        arguments("2001:DB8::ABCD", "2001:db8::abcd", IpFamily.IPV6),
        arguments("FE80::1:2", "fe80::1:2", IpFamily.IPV6),
        // RFC 5952 5: IPv4-mapped keeps the dotted quad, other embeddings do not
        arguments("::ffff:192.0.2.1", "::ffff:192.0.2.1", IpFamily.IPV6),
        arguments("::ffff:c000:0201", "::ffff:192.0.2.1", IpFamily.IPV6),
        arguments("::192.0.2.1", "::c000:201", IpFamily.IPV6),
        arguments("64:ff9b::192.0.2.33", "64:ff9b::c000:221", IpFamily.IPV6),
        arguments(
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            IpFamily.IPV6));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonical")
  void parsesToCanonicalText(String text, String expected, IpFamily family) {
    IpAddress ip = IpAddress.parse(text);
    assertThat(ip.toString()).isEqualTo(expected);
    assertThat(ip.family()).isEqualTo(family);
    assertThat(IpAddress.parse(expected)).isEqualTo(ip);
    assertThat(IpAddress.tryParse(text)).contains(ip);
  }

  static Stream<String> invalid() {
    return Stream.of(
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "01.2.3.4",
        "1.2.3.-4",
        "1.2.3.4.",
        ".1.2.3.4",
        "",
        " ",
        "abc",
        "example.com",
        "1.2.3.4/32",
        "+1.2.3.4",
        "\u0661.1.1.1", // Arabic-Indic digit one: only ASCII digits count
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        ":::",
        "12345::",
        "::g",
        ":1::",
        "1::2:",
        "::1.2.3",
        "1.2.3.4::",
        "::1.2.3.4:1",
        "fe80::1%eth0",
        "[::1]",
        "1:2:3:4:5:6:7:8::");
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("invalid")
  void rejectsWithClearMessage(String text) {
    assertThat(IpAddress.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> IpAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not an IPv4 or IPv6 address");
  }

  @Test
  void nullIsNotAnAddress() {
    assertThat(IpAddress.tryParse(null)).isEmpty();
    assertThatThrownBy(() -> IpAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> ordered() {
    return Stream.of(
        arguments("10.0.0.1", "10.0.0.2"),
        arguments("127.255.255.255", "128.0.0.0"), // unsigned, not signed
        arguments("255.255.255.255", "::"), // IPv4 before IPv6
        arguments("1.2.3.4", "::1.2.3.4"),
        arguments("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::"),
        arguments("::ffff:ffff:ffff:ffff", "0:0:0:1::"),
        arguments("2001:db8::1", "2001:db8::1:0"));
  }

  @ParameterizedTest(name = "{0} < {1}")
  @MethodSource("ordered")
  void ordersFamilyThenValue(String lower, String higher) {
    IpAddress a = IpAddress.parse(lower);
    IpAddress b = IpAddress.parse(higher);
    assertThat(a).isLessThan(b);
    assertThat(b).isGreaterThan(a);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void equalityIsByValue() {
    IpAddress a = IpAddress.parse("2001:db8::1");
    IpAddress b = IpAddress.parse("2001:0DB8:0:0::0001");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.compareTo(b)).isZero();
    assertThat(IpAddress.parse("1.2.3.4")).isNotEqualTo(IpAddress.parse("::1.2.3.4"));
  }

  static Stream<Arguments> arithmetic() {
    return Stream.of(
        arguments("10.0.0.255", 1L, "10.0.1.0"),
        arguments("10.0.1.0", -1L, "10.0.0.255"),
        arguments("0.0.0.0", 4294967295L, "255.255.255.255"),
        arguments("::ffff:ffff:ffff:ffff", 1L, "0:0:0:1::"),
        arguments("0:0:0:1::", -1L, "::ffff:ffff:ffff:ffff"),
        arguments("2001:db8::", Long.MAX_VALUE, "2001:db8::7fff:ffff:ffff:ffff"),
        arguments("2001:db8::ffff:ffff:ffff:ffff", Long.MIN_VALUE, "2001:db8::7fff:ffff:ffff:ffff"),
        arguments(
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
            1L,
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  }

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @MethodSource("arithmetic")
  void plusCarriesAcrossWords(String start, long n, String expected) {
    assertThat(IpAddress.parse(start).plus(n)).isEqualTo(IpAddress.parse(expected));
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        arguments("255.255.255.255", 1L),
        arguments("0.0.0.0", -1L),
        arguments("10.0.0.0", Long.MAX_VALUE),
        arguments("10.0.0.0", Long.MIN_VALUE),
        arguments("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1L),
        arguments("::", -1L),
        arguments("ffff:ffff:ffff:ffff:8000::1", Long.MAX_VALUE));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("outOfRange")
  void plusRefusesToLeaveTheFamily(String start, long n) {
    assertThatThrownBy(() -> IpAddress.parse(start).plus(n))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void nextThrowsAtFamilyMax() {
    assertThat(IpAddress.parse("10.0.0.1").next()).isEqualTo(IpAddress.parse("10.0.0.2"));
    assertThat(IpAddress.parse("::ffff:ffff:ffff:ffff").next())
        .isEqualTo(IpAddress.parse("0:0:0:1::"));
    assertThatThrownBy(() -> IpAddress.parse("255.255.255.255").next())
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next())
        .isInstanceOf(ArithmeticException.class);
  }

  static Stream<Arguments> numeric() {
    BigInteger two = BigInteger.TWO;
    return Stream.of(
        arguments("0.0.0.0", BigInteger.ZERO),
        arguments("10.0.0.1", BigInteger.valueOf(0x0A000001L)),
        arguments("255.255.255.255", two.pow(32).subtract(BigInteger.ONE)),
        arguments("::", BigInteger.ZERO),
        arguments("::1", BigInteger.ONE),
        arguments("0:0:0:1::", two.pow(64)),
        arguments("8000::", two.pow(127)),
        arguments(
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", two.pow(128).subtract(BigInteger.ONE)));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("numeric")
  void convertsToAndFromBigInteger(String text, BigInteger value) {
    IpAddress ip = IpAddress.parse(text);
    assertThat(ip.toBigInteger()).isEqualTo(value);
    assertThat(IpAddress.of(ip.family(), value)).isEqualTo(ip);
  }

  @Test
  void ofRejectsValuesOutsideTheFamily() {
    assertThatThrownBy(() -> IpAddress.of(IpFamily.IPV4, BigInteger.TWO.pow(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.of(IpFamily.IPV6, BigInteger.TWO.pow(128)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.of(IpFamily.IPV6, BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> bytes() {
    return Stream.of(
        arguments(new byte[] {(byte) 192, 0, 2, 7}, "192.0.2.7"),
        arguments(new byte[] {0, 0, 0, 0}, "0.0.0.0"),
        arguments(new byte[] {-1, -1, -1, -1}, "255.255.255.255"),
        arguments(
            new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00},
            "2001:db8::100"),
        // 16 bytes stay IPv6, mapped or not (InetAddress.getByAddress would make this IPv4)
        arguments(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1},
            "::ffff:192.0.2.1"),
        arguments(
            new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("bytes")
  void convertsToAndFromNetworkByteOrder(byte[] raw, String text) {
    assertThat(IpAddress.fromBytes(raw)).isEqualTo(IpAddress.parse(text));
    assertThat(IpAddress.parse(text).toBytes()).isEqualTo(raw);
  }

  @Test
  void fromBytesRejectsOtherLengths() {
    assertThatThrownBy(() -> IpAddress.fromBytes(new byte[6]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an IP address is 4 (IPv4) or 16 (IPv6) bytes long, not 6");
  }

  @Test
  void familyBits() {
    assertThat(IpFamily.IPV4.bits()).isEqualTo(32);
    assertThat(IpFamily.IPV6.bits()).isEqualTo(128);
  }
}
