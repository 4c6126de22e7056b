package io.l2lb.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressPoolTest {

  private static IpAddress ip(String text) {
    return IpAddress.parse(text);
  }

  private static NavigableSet<IpAddress> taken(String... ips) {
    TreeSet<IpAddress> set = new TreeSet<>();
    for (String s : ips) {
      set.add(ip(s));
    }
    return set;
  }

  private static List<String> drain(Iterator<IpAddress> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(a -> out.add(a.toString()));
    return out;
  }

  private static List<String> allocateAll(Allocator allocator) {
    List<String> out = new ArrayList<>();
    for (Optional<IpAddress> next = allocator.next(); next.isPresent(); next = allocator.next()) {
      out.add(next.get().toString());
    }
    return out;
  }

  // ---- parse ----

  @Test
  void keepsEntriesInWrittenOrder() {
    AddressPool pool =
        AddressPool.parse(
            List.of("192.168.122.100-192.168.122.150", "10.42.0.0/28", "2001:db8::/120"));
    assertThat(pool.entries())
        .extracting(PoolEntry::text)
        .containsExactly("192.168.122.100-192.168.122.150", "10.42.0.0/28", "2001:db8::/120");
    assertThat(pool.size()).isEqualTo(BigInteger.valueOf(51 + 14 + 256));
    assertThat(pool.isEmpty()).isFalse();
  }

  static Stream<Arguments> badPools() {
    return Stream.of(
        arguments(
            List.of("10.0.0.0/28", "2001:db8::/64", "10.0.0.5-10.0.0.1"),
            2,
            "addressPool[2] '10.0.0.5-10.0.0.1': range start 10.0.0.5 is above its end 10.0.0.1; "
                + "write the lower address first"),
        arguments(
            List.of("10.0.0.5/28", "bad"),
            0,
            "addressPool[0] '10.0.0.5/28': host bits set: did you mean 10.0.0.0/28?"),
        arguments(
            List.of("10.0.0.0/28", "10.0.0.0/33"),
            1,
            "addressPool[1] '10.0.0.0/33': prefix length 33 is out of range 0-32"),
        arguments(
            List.of("10.0.0.0/28", " 10.0.1.0/28 "),
            1,
            "addressPool[1] '10.0.1.0/28': contains whitespace"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badPools")
  void parseNamesTheFirstBadEntryByIndex(List<String> entries, int index, String messageStart) {
    assertThatThrownBy(() -> AddressPool.parse(entries))
        .isInstanceOf(PoolSyntaxException.class)
        .hasMessageStartingWith(messageStart)
        .satisfies(e -> assertThat(((PoolSyntaxException) e).index()).isEqualTo(index));
  }

  @Test
  void parseLenientKeepsTheGoodEntries() {
    PoolParseResult r =
        AddressPool.parseLenient(
            List.of("10.0.0.0/30", "10.0.0.9-10.0.0.8", "2001:db8::/126", "nonsense"));
    assertThat(r.pool().entries())
        .extracting(PoolEntry::text)
        .containsExactly("10.0.0.0/30", "2001:db8::/126");
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors().get(0)).startsWith("addressPool[1] '10.0.0.9-10.0.0.8': range start");
    assertThat(r.errors().get(1)).startsWith("addressPool[3] 'nonsense': is neither a CIDR");
    assertThat(r.ok()).isFalse();
    assertThat(AddressPool.parseLenient(List.of("10.0.0.0/30")).ok()).isTrue();
  }

  @Test
  void emptyAndNullPools() {
    for (AddressPool p :
        List.of(
            AddressPool.parse(List.of()),
            AddressPool.parse(null),
            AddressPool.parseLenient(null).pool())) {
      assertThat(p.isEmpty()).isTrue();
      assertThat(p.size()).isZero();
      assertThat(p.contains(ip("10.0.0.1"))).isFalse();
      assertThat(p.free(new TreeSet<>()).hasNext()).isFalse();
      assertThat(p.allocator(new TreeSet<>()).next()).isEmpty();
    }
  }

  // ---- size ----

  static Stream<Arguments> sizes() {
    BigInteger two = BigInteger.TWO;
    return Stream.of(
        arguments(List.of("0.0.0.0/0"), two.pow(32).subtract(two), two.pow(32).longValue() - 2),
        arguments(List.of("10.0.0.0/31"), two, 2L),
        arguments(List.of("10.0.0.7/32"), BigInteger.ONE, 1L),
        arguments(List.of("10.0.0.0/30"), two, 2L),
        arguments(
            List.of("192.168.122.100-192.168.122.150", "10.42.0.0/28"),
            BigInteger.valueOf(65),
            65L),
        // an address in two entries counts once
        arguments(
            List.of("10.0.0.0/24", "10.0.0.10-10.0.0.20", "10.0.0.0/24"),
            BigInteger.valueOf(254),
            254L),
        arguments(List.of("10.0.0.1-10.0.0.10", "10.0.0.5-10.0.0.15"), BigInteger.valueOf(15), 15L),
        arguments(List.of("2001:db8::/64"), two.pow(64), Long.MAX_VALUE),
        arguments(List.of("2001:db8::/65"), two.pow(63), Long.MAX_VALUE),
        arguments(List.of("2001:db8::/66"), two.pow(62), two.pow(62).longValue()),
        arguments(List.of("::/0"), two.pow(128), Long.MAX_VALUE),
        arguments(
            List.of("::/0", "0.0.0.0/0"),
            two.pow(128).add(two.pow(32)).subtract(two),
            Long.MAX_VALUE),
        arguments(
            List.of("2001:db8::10-2001:db8::1f", "10.0.0.0/29"), BigInteger.valueOf(22), 22L));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("sizes")
  void sizeCountsDistinctUsableAddresses(List<String> entries, BigInteger size, long saturated) {
    AddressPool pool = AddressPool.parse(entries);
    assertThat(pool.size()).isEqualTo(size);
    assertThat(pool.sizeSaturated()).isEqualTo(saturated);
  }

  // ---- contains ----

  static Stream<Arguments> containment() {
    List<String> pool =
        List.of(
            "10.42.0.0/28",
            "192.168.122.100-192.168.122.150",
            "2001:db8::/120",
            "10.42.0.10-10.42.0.20");
    return Stream.of(
        arguments(pool, "10.42.0.0", false),
        arguments(pool, "10.42.0.1", true),
        arguments(pool, "10.42.0.15", true), // broadcast of the /28, but written in the range
        arguments(pool, "10.42.0.20", true),
        arguments(pool, "10.42.0.21", false),
        arguments(pool, "192.168.122.99", false),
        arguments(pool, "192.168.122.100", true),
        arguments(pool, "192.168.122.150", true),
        arguments(pool, "192.168.122.151", false),
        arguments(pool, "2001:db8::", true),
        arguments(pool, "2001:db8::ff", true),
        arguments(pool, "2001:db8::100", false),
        arguments(pool, "::ffff:192.168.122.120", false));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("containment")
  void containsAcrossEntries(List<String> entries, String address, boolean expected) {
    assertThat(AddressPool.parse(entries).contains(ip(address))).isEqualTo(expected);
  }

  // ---- overlaps ----

  @Test
  void internalOverlapsInEntryOrder() {
    AddressPool pool =
        AddressPool.parse(
            List.of(
                "10.0.0.0/24",
                "192.0.2.0/28",
                "10.0.0.100-10.0.0.120",
                "10.0.0.1/32",
                "2001:db8::/64",
                "2001:db8::5-2001:db8::9",
                "192.0.2.15/32"));
    assertThat(pool.internalOverlaps())
        .extracting(o -> o.a().text() + " & " + o.b().text())
        .containsExactly(
            "10.0.0.0/24 & 10.0.0.100-10.0.0.120",
            "10.0.0.0/24 & 10.0.0.1/32",
            "2001:db8::/64 & 2001:db8::5-2001:db8::9");
    assertThat(
            AddressPool.parse(List.of("10.0.0.0/30", "10.0.0.3/32", "10.0.0.4/30"))
                .internalOverlaps())
        .isEmpty();
  }

  @Test
  void overlapsWithAnotherPool() {
    AddressPool mine =
        AddressPool.parse(List.of("10.0.0.0/24", "192.0.2.10-192.0.2.20", "2001:db8::/120"));
    AddressPool theirs =
        AddressPool.parse(
            List.of("192.0.2.20-192.0.2.30", "10.0.0.128/25", "10.0.0.5/32", "10.0.1.0/24"));
    assertThat(mine.overlapsWith(theirs))
        .extracting(o -> o.a().text() + " & " + o.b().text())
        .containsExactly(
            "10.0.0.0/24 & 10.0.0.128/25",
            "10.0.0.0/24 & 10.0.0.5/32",
            "192.0.2.10-192.0.2.20 & 192.0.2.20-192.0.2.30");
    // the same pool overlaps itself entry by entry, but pairs inside one side are not reported
    AddressPool twice = AddressPool.parse(List.of("10.0.0.0/24", "10.0.0.0/24"));
    assertThat(twice.overlapsWith(AddressPool.parse(List.of("172.16.0.0/12")))).isEmpty();
  }

  // ---- free / allocator ----

  @Test
  void freeCrossesEntriesInAddressOrderSkippingTaken() {
    AddressPool pool =
        AddressPool.parse(
            List.of("2001:db8::/126", "192.0.2.10-192.0.2.12", "192.0.2.1-192.0.2.3"));
    NavigableSet<IpAddress> taken =
        taken("192.0.2.2", "192.0.2.10", "2001:db8::1", "10.0.0.1", "2001:db8::9");
    assertThat(drain(pool.free(taken)))
        .containsExactly(
            "192.0.2.1",
            "192.0.2.3",
            "192.0.2.11",
            "192.0.2.12",
            "2001:db8::",
            "2001:db8::2",
            "2001:db8::3");
    assertThat(allocateAll(pool.allocator(taken)))
        .containsExactly(
            "192.0.2.1",
            "192.0.2.3",
            "192.0.2.11",
            "192.0.2.12",
            "2001:db8::",
            "2001:db8::2",
            "2001:db8::3");
    assertThat(pool.free(taken).hasNext()).isFalse();
  }

  @Test
  void overlappingEntriesNeverYieldAnAddressTwice() {
    AddressPool pool =
        AddressPool.parse(
            List.of("10.0.0.4-10.0.0.6", "10.0.0.1-10.0.0.5", "10.0.0.4-10.0.0.6", "10.0.0.0/29"));
    assertThat(drain(pool.free(new TreeSet<>())))
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
  }

  @Test
  void slash30NeverYieldsNetworkOrBroadcast() {
    AddressPool pool = AddressPool.parse(List.of("192.0.2.0/30"));
    assertThat(drain(pool.free(new TreeSet<>()))).containsExactly("192.0.2.1", "192.0.2.2");
    Allocator allocator = pool.allocator(new TreeSet<>());
    assertThat(allocateAll(allocator)).containsExactly("192.0.2.1", "192.0.2.2");
    assertThat(allocator.next()).isEmpty();
  }

  @Test
  void freeWalksUpToTheFamilyMaximum() {
    AddressPool pool =
        AddressPool.parse(
            List.of(
                "255.255.255.254-255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"));
    Iterator<IpAddress> it = pool.free(taken("255.255.255.255"));
    assertThat(drain(it))
        .containsExactly(
            "255.255.255.254",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    assertThat(
            pool.free(
                    taken(
                        "255.255.255.254",
                        "255.255.255.255",
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
                .hasNext())
        .isFalse();
  }

  @Test
  void allocatorSeesTakenGrowBetweenCalls() {
    AddressPool pool = AddressPool.parse(List.of("10.0.0.1-10.0.0.10"));
    NavigableSet<IpAddress> taken = taken("10.0.0.1");
    Allocator allocator = pool.allocator(taken);
    assertThat(allocator.next()).contains(ip("10.0.0.2"));
    taken.add(ip("10.0.0.3"));
    taken.add(ip("10.0.0.4"));
    assertThat(allocator.next()).contains(ip("10.0.0.5"));
    taken.add(ip("10.0.0.7"));
    assertThat(allocator.next()).contains(ip("10.0.0.6"));
    assertThat(allocator.next()).contains(ip("10.0.0.8"));
    assertThat(taken)
        .extracting(IpAddress::toString)
        .containsExactly(
            "10.0.0.1",
            "10.0.0.2",
            "10.0.0.3",
            "10.0.0.4",
            "10.0.0.5",
            "10.0.0.6",
            "10.0.0.7",
            "10.0.0.8");
  }

  @Test
  void freeIteratorReadsTakenLazily() {
    AddressPool pool = AddressPool.parse(List.of("10.0.0.1-10.0.0.5"));
    NavigableSet<IpAddress> taken = new TreeSet<>();
    Iterator<IpAddress> it = pool.free(taken);
    assertThat(it.next()).isEqualTo(ip("10.0.0.1"));
    taken.add(ip("10.0.0.2"));
    assertThat(it.next()).isEqualTo(ip("10.0.0.3"));
  }

  @Test
  void allocatorOnHugeIpv6RangeIsFastAndNeverMaterialises() {
    AddressPool pool = AddressPool.parse(List.of("2001:db8::/64", "2001:db8:0:1::/64"));
    NavigableSet<IpAddress> taken = new TreeSet<>();
    IpAddress base = ip("2001:db8::");
    for (int i = 0; i < 2_000; i++) {
      taken.add(base.plus(i)); // a long run at the bottom
    }
    Random random = new Random(42);
    for (int i = 0; i < 3_000; i++) {
      taken.add(base.plus(random.nextInt(20_000)));
    }
    NavigableSet<IpAddress> before = new TreeSet<>(taken);
    List<IpAddress> handed =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              Allocator allocator = pool.allocator(taken);
              List<IpAddress> out = new ArrayList<>();
              for (int i = 0; i < 10_000; i++) {
                out.add(allocator.next().orElseThrow());
              }
              return out;
            });
    assertThat(handed)
        .doesNotHaveDuplicates()
        .isSorted()
        .noneMatch(before::contains)
        .allMatch(pool::contains);
    assertThat(taken).hasSize(before.size() + 10_000);
    // the lowest address not taken before is exactly the first one handed out
    IpAddress expectedFirst = base;
    while (before.contains(expectedFirst)) {
      expectedFirst = expectedFirst.next();
    }
    assertThat(handed.get(0)).isEqualTo(expectedFirst);
  }

  @Test
  void allocator30000CallsOverMostlyTakenPoolMatchesNaiveScan() {
    AddressPool pool =
        AddressPool.parse(List.of("10.0.0.0/16", "10.1.0.0/17", "10.0.128.0-10.0.200.255"));
    Random random = new Random(7);
    NavigableSet<IpAddress> taken = new TreeSet<>();
    IpAddress base = ip("10.0.0.0");
    while (taken.size() < 70_000) {
      taken.add(base.plus(random.nextInt(1 << 17)));
    }
    // reference: every pool address in order minus taken, first 30,000
    List<IpAddress> expected = new ArrayList<>();
    for (IpAddress a = ip("10.0.0.0"); expected.size() < 30_000; a = a.next()) {
      if (pool.contains(a) && !taken.contains(a)) {
        expected.add(a);
      }
    }
    List<IpAddress> actual =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              Allocator allocator = pool.allocator(taken);
              List<IpAddress> out = new ArrayList<>();
              for (int i = 0; i < 30_000; i++) {
                out.add(allocator.next().orElseThrow());
              }
              return out;
            });
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void equalityByEntries() {
    assertThat(AddressPool.parse(List.of("10.0.0.0/28", "10.0.1.0/28")))
        .isEqualTo(AddressPool.parse(List.of("10.0.0.0/28", "10.0.1.0/28")))
        .hasSameHashCodeAs(AddressPool.parse(List.of("10.0.0.0/28", "10.0.1.0/28")))
        .isNotEqualTo(AddressPool.parse(List.of("10.0.1.0/28", "10.0.0.0/28")))
        .hasToString("AddressPool[10.0.0.0/28, 10.0.1.0/28]");
  }

  static Stream<Arguments> subtractions() {
    return Stream.of(
        arguments(
            List.of("192.0.2.60-192.0.2.69"),
            List.of("192.0.2.65-192.0.2.74"),
            "[192.0.2.60-192.0.2.64]"),
        arguments(
            List.of("192.0.2.65-192.0.2.74"),
            List.of("192.0.2.60-192.0.2.69"),
            "[192.0.2.70-192.0.2.74]"),
        arguments(
            List.of("192.0.2.0/28"),
            List.of("192.0.2.4-192.0.2.5", "192.0.2.5-192.0.2.8"),
            "[192.0.2.1-192.0.2.3, 192.0.2.9-192.0.2.14]"),
        arguments(List.of("192.0.2.10-192.0.2.20"), List.of("192.0.2.0/24"), "[]"),
        arguments(
            List.of("192.0.2.10-192.0.2.20"), List.of("2001:db8::/64"), "[192.0.2.10-192.0.2.20]"),
        arguments(
            List.of("2001:db8::/32", "192.0.2.10-192.0.2.12"),
            List.of("2001:db8::/33", "192.0.2.11"),
            "[192.0.2.10-192.0.2.10, 192.0.2.12-192.0.2.12, 2001:db8:8000::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]"));
  }

  @ParameterizedTest(name = "{0} minus {1}")
  @MethodSource("subtractions")
  void minusRemovesOtherPoolsSpanBySpan(List<String> pool, List<String> others, String left) {
    AddressPool rest = AddressPool.parse(pool).minus(List.of(AddressPool.parse(others)));
    assertThat(rest.entries().stream().map(PoolEntry::text).toList()).hasToString(left);
    for (IpAddress ip :
        List.of(ip("192.0.2.11"), ip("192.0.2.64"), ip("192.0.2.70"), ip("2001:db8::1"))) {
      assertThat(rest.contains(ip))
          .as("%s", ip)
          .isEqualTo(
              AddressPool.parse(pool).contains(ip) && !AddressPool.parse(others).contains(ip));
    }
  }
}
