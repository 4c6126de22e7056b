package io.l2lb.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolOverlapsTest {

  private static List<String> describe(List<PoolOverlaps.ClassOverlap> overlaps) {
    return overlaps.stream()
        .map(o -> o.classA() + ":" + o.a().text() + " & " + o.classB() + ":" + o.b().text())
        .toList();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments(
            Map.of(
                "public", List.of("10.0.0.0/24"),
                "internal", List.of("10.0.1.0/24")),
            List.of()),
        arguments(
            Map.of(
                "zeta", List.of("10.0.0.0/24", "2001:db8::/64"),
                "alpha", List.of("2001:db8::5-2001:db8::9", "10.0.0.200-10.0.1.10"),
                "mid", List.of("10.0.0.10/32", "10.0.0.0/24")),
            List.of(
                "alpha:10.0.0.200-10.0.1.10 & mid:10.0.0.0/24",
                "alpha:2001:db8::5-2001:db8::9 & zeta:2001:db8::/64",
                "alpha:10.0.0.200-10.0.1.10 & zeta:10.0.0.0/24",
                "mid:10.0.0.10/32 & zeta:10.0.0.0/24",
                "mid:10.0.0.0/24 & zeta:10.0.0.0/24")),
        // an overlap inside one class is not a class overlap
        arguments(
            Map.of(
                "a", List.of("10.0.0.0/24", "10.0.0.5/32"),
                "b", List.of("10.0.0.255/32", "192.0.2.1-192.0.2.9")),
            List.of()),
        // IPv4 never overlaps IPv6
        arguments(Map.of("v4", List.of("0.0.0.0/0"), "v6", List.of("::/0")), List.of()));
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("cases")
  void reportsCrossClassOverlapsSortedByClassName(
      Map<String, List<String>> pools, List<String> expected) {
    Map<String, AddressPool> parsed = new HashMap<>();
    pools.forEach((name, entries) -> parsed.put(name, AddressPool.parse(entries)));
    assertThat(describe(PoolOverlaps.between(parsed))).containsExactlyElementsOf(expected);
  }

  @Test
  void orderDoesNotDependOnMapOrder() {
    Map<String, AddressPool> one = new LinkedHashMap<>();
    one.put("b", AddressPool.parse(List.of("10.0.0.0/24")));
    one.put("a", AddressPool.parse(List.of("10.0.0.7/32")));
    Map<String, AddressPool> two = new LinkedHashMap<>();
    two.put("a", one.get("a"));
    two.put("b", one.get("b"));
    assertThat(PoolOverlaps.between(one)).isEqualTo(PoolOverlaps.between(two)).hasSize(1);
    assertThat(PoolOverlaps.between(one).get(0).classA()).isEqualTo("a");
  }

  @Test
  void manyClassesManyEntriesSweepQuickly() {
    // 20 classes x 2,000 /32 entries, interleaved so that no two classes share an address,
    // plus one class whose single range covers one address of each other class.
    Map<String, AddressPool> pools = new HashMap<>();
    IpAddress base = IpAddress.parse("10.0.0.0");
    for (int c = 0; c < 20; c++) {
      List<String> entries = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        entries.add(base.plus((long) i * 20 + c) + "/32");
      }
      pools.put(String.format("class-%02d", c), AddressPool.parse(entries));
    }
    pools.put("wide", AddressPool.parse(List.of(base.plus(20_000) + "-" + base.plus(20_019))));
    List<PoolOverlaps.ClassOverlap> overlaps =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> PoolOverlaps.between(pools));
    assertThat(overlaps).hasSize(20).allSatisfy(o -> assertThat(o.classB()).isEqualTo("wide"));
    assertThat(overlaps).extracting(PoolOverlaps.ClassOverlap::classA).isSorted();
  }
}
