package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.pool.IpAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the tie-break hash and placements that depend on it. A failure here means an upgraded
 * operator would move IPs on every cluster: fix the code, never the table (see {@link TieBreak}).
 */
class TieBreakTest {

  static Stream<Arguments> golden() {
    return Stream.of(
        Arguments.of("front-0", "192.0.2.100", "ba70f5a99dc57a72"),
        Arguments.of("front-1", "192.0.2.100", "44c1afaee7a3aeac"),
        Arguments.of("front-2", "192.0.2.100", "7c5f352c61977f3a"),
        Arguments.of("front-0", "192.0.2.101", "e1fca42239f7fd98"),
        Arguments.of("node-7", "10.3.0.1", "5369d4137305db3d"),
        Arguments.of("n0", "0.0.0.0", "9e1bb12d9ac6ebc3"),
        Arguments.of("n0", "255.255.255.255", "45494efa5d7fba77"),
        Arguments.of("n0", "2001:db8::1", "805e6891751949b8"),
        Arguments.of("n1", "2001:db8::1", "73334f6861166b7c"),
        // IPv4-mapped IPv6 is an IPv6 address: its own tag, its own hash
        Arguments.of("worker-0", "::ffff:192.0.2.100", "2ea4c4f476d2d809"),
        Arguments.of("worker-0", "::", "c932b36abc223b61"),
        Arguments.of("worker-0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "9ba1ec9ce5092c28"),
        Arguments.of(
            "a-very-long-node-name.rack-12.dc-west.example.com",
            "198.51.100.7",
            "1f4c09dcef95f1c7"));
  }

  @ParameterizedTest(name = "hash({0}, {1}) = {2}")
  @MethodSource("golden")
  void hashIsPinned(String node, String ip, String expected) throws Exception {
    long value = Long.parseUnsignedLong(expected, 16);
    assertThat(TieBreak.hash(node, IpAddress.parse(ip))).isEqualTo(value);
    assertThat(reference(node, ip)).as("the javadoc's definition").isEqualTo(value);
  }

  /** The published FNV-1a 64-bit test vectors: nodeKey is plain FNV-1a over the name's bytes. */
  static Stream<Arguments> fnvVectors() {
    return Stream.of(
        Arguments.of("", "cbf29ce484222325"),
        Arguments.of("a", "af63dc4c8601ec8c"),
        Arguments.of("foobar", "85944171f73967e8"));
  }

  @ParameterizedTest(name = "fnv1a64(\"{0}\") = {1}")
  @MethodSource("fnvVectors")
  void nodeKeyIsFnv1a64(String text, String expected) {
    assertThat(TieBreak.nodeKey(text)).isEqualTo(Long.parseUnsignedLong(expected, 16));
  }

  @Property(tries = 500)
  void hashIsWhatTheJavadocSays(@ForAll("nodeNames") String node, @ForAll("addresses") String ip)
      throws Exception {
    assertThat(TieBreak.hash(node, IpAddress.parse(ip))).isEqualTo(reference(node, ip));
  }

  @Provide
  Arbitrary<String> nodeNames() {
    return Arbitraries.strings().withChars("abcxyz-.019").ofMinLength(1).ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> addresses() {
    Arbitrary<String> v4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(b -> b.get(0) + "." + b.get(1) + "." + b.get(2) + "." + b.get(3));
    Arbitrary<String> v6 =
        Arbitraries.integers()
            .between(0, 0xffff)
            .list()
            .ofSize(8)
            .map(g -> String.join(":", g.stream().map(Integer::toHexString).toList()));
    return Arbitraries.oneOf(v4, v6);
  }

  /**
   * The definition in {@link TieBreak}'s javadoc, written again independently: unbounded arithmetic
   * reduced modulo 2^64, address bytes from {@link InetAddress} (a literal, never resolved).
   */
  private static long reference(String node, String ip) throws Exception {
    BigInteger mod = BigInteger.ONE.shiftLeft(64);
    BigInteger prime = new BigInteger("100000001b3", 16);
    BigInteger offset = new BigInteger("cbf29ce484222325", 16);
    BigInteger nodeKey = offset;
    for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
      nodeKey = nodeKey.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).mod(mod);
    }
    byte[] address = InetAddress.getByName(ip).getAddress();
    boolean v4 = !ip.contains(":");
    if (!v4 && address.length == 4) {
      // InetAddress folds ::ffff:a.b.c.d to IPv4; l2lb does not
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(address, 0, mapped, 12, 4);
      address = mapped;
    }
    List<Byte> bytes = new ArrayList<>();
    bytes.add((byte) (v4 ? 4 : 6));
    for (byte b : address) {
      bytes.add(b);
    }
    BigInteger ipKey = offset;
    for (byte b : bytes) {
      ipKey = ipKey.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).mod(mod);
    }
    long h = nodeKey.xor(ipKey).longValue();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  // ---- whole placements that the hash decides ----

  static Stream<Arguments> placements() {
    Snapshot story = Clusters.story(service("app", 3), service("web", 2), service("dns", 1));
    List<NodeInfo> edges = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      edges.add(NodeInfo.healthy("edge-" + i, Map.of()));
    }
    List<ServiceInfo> ones = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ones.add(service("s" + i, 1));
    }
    Snapshot v6 =
        new Snapshot(
            List.of(ClassInfo.of("v6", Map.of(), "2001:db8::100-2001:db8::1ff").asDefault()),
            edges,
            ones,
            List.of());
    return Stream.of(
        Arguments.of(
            "the product story from empty",
            story,
            Map.of(
                "default/app 192.0.2.100", "front-1",
                "default/app 192.0.2.101", "front-2",
                "default/app 192.0.2.102", "front-0",
                "default/dns 192.0.2.103", "front-2",
                "default/web 192.0.2.104", "front-1",
                "default/web 192.0.2.105", "front-0")),
        Arguments.of(
            "the story, settled, after front-0 fails",
            Clusters.run(story).withFailedNodes(Set.of("front-0")),
            Map.of(
                "default/app 192.0.2.100", "front-1",
                "default/app 192.0.2.101", "front-2",
                "default/app 192.0.2.102", "front-1",
                "default/dns 192.0.2.103", "front-2",
                "default/web 192.0.2.104", "front-1",
                "default/web 192.0.2.105", "front-2")),
        Arguments.of(
            "four one-IP Services over six equal IPv6 nodes",
            v6,
            Map.of(
                "default/s0 2001:db8::100", "edge-3",
                "default/s1 2001:db8::101", "edge-5",
                "default/s2 2001:db8::102", "edge-1",
                "default/s3 2001:db8::103", "edge-0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placements")
  void placementsArePinned(String title, Snapshot snapshot, Map<String, String> expected) {
    PlacementResult result = PlacementEngine.compute(snapshot);
    Map<String, String> actual = new java.util.TreeMap<>();
    for (Placement p : result.placements()) {
      actual.put(p.service() + " " + p.ip(), p.nodeName());
    }
    assertThat(actual).isEqualTo(new java.util.TreeMap<>(expected));
  }
}
