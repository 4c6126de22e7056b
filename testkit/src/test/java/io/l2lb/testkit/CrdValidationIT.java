package io.l2lb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated MetalLoadBalancerClass CRD, applied to a real kube-apiserver: valid pools are
 * stored, bad ones are rejected by the CEL rules with their messages. Untyped on purpose (testkit
 * does not depend on core), so this checks the YAML in manifests/crds, which is what users install.
 */
class CrdValidationIT extends KubeApiTestBase {

  /**
   * maxItems of spec.addressPool (core's PoolRules.MAX_ENTRIES). The longest valid entry (an IPv6
   * range written in full with IPv4 tails, 91 characters) exceeds the runtime cost budget of
   * Kubernetes 1.34 above 47 entries; 40 leaves a margin.
   */
  static final int MAX_ENTRIES = 40;

  private static final AtomicInteger SEQ = new AtomicInteger();
  private CustomResourceDefinition crd;
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void findCrd() {
    crd = cluster.crd("MetalLoadBalancerClass");
  }

  @AfterEach
  void deleteClasses() {
    for (String name : created) {
      Crds.resources(client, crd).withName(name).delete();
    }
  }

  @Test
  void crdIsClusterScopedWithShortNameAndStatusSubresource() {
    assertThat(crd.getSpec().getGroup()).isEqualTo("network.deckhouse.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("mlbc");
    assertThat(Crds.storageVersion(crd)).isEqualTo("v1alpha1");
    assertThat(crd.getSpec().getVersions())
        .allSatisfy(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
  }

  static Stream<Arguments> validPools() {
    return Stream.of(
        Arguments.of("IPv4 range", List.of("192.0.2.10-192.0.2.20")),
        Arguments.of("IPv4 CIDR", List.of("10.42.0.0/28")),
        Arguments.of("IPv6 CIDR", List.of("2001:db8::/120")),
        Arguments.of(
            "IPv4 and IPv6 mixed list",
            List.of(
                "192.0.2.10-192.0.2.20",
                "10.42.0.0/28",
                "2001:db8::/120",
                "2001:db8:1::10-2001:db8:1::20")),
        Arguments.of(
            "one-address ranges", List.of("192.0.2.5-192.0.2.5", "2001:db8::5-2001:db8::5")),
        Arguments.of(
            "ranges across octet/group borders",
            List.of(
                "127.255.255.255-128.0.0.0",
                "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-8000::",
                "0.0.0.0-255.255.255.255",
                "192.0.2.255-192.0.3.0",
                "10.0.0.9-10.0.0.10",
                "2001:db8::ff-2001:db8::100",
                "2001:db8::ffff-2001:db8::1:0",
                "::1-ffff::")),
        Arguments.of("single-address CIDRs", List.of("192.0.2.7/32", "2001:db8::7/128")),
        Arguments.of(
            "single addresses (shorthand for /32 and /128)",
            List.of("192.0.2.7", "2001:db8::7", "::192.0.2.8")),
        Arguments.of(
            "long-form IPv6",
            List.of(
                "2001:0db8:0000:0000:0000:0000:0000:0000/112",
                "2001:0db8:0000:0000:0000:0000:0001:0001-2001:0db8:0000:0000:0000:0000:0001:ffff")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("validPools")
  void acceptsValidPools(String what, List<String> pool) {
    GenericKubernetesResource stored = create(spec(pool));
    assertThat(spec(stored).get("addressPool")).isEqualTo(pool);
    assertThat(spec(stored).get("type")).as("defaulted").isEqualTo("L2");
    assertThat(Crds.resources(client, crd).withName(stored.getMetadata().getName()).get())
        .isNotNull();
  }

  /**
   * The worst case of each entry form, maxItems times: the CEL rules must stay within the API
   * server's runtime cost budget for every pool the schema admits. The longest valid range is two
   * IPv6 addresses with an embedded IPv4 tail written in full (91 characters).
   */
  static Stream<Arguments> worstCasePoolsAtTheLimit() {
    return Stream.of(
        Arguments.of("long-form IPv6 ranges", repeat(i -> longV6(i, 1) + "-" + longV6(i, 0xfffe))),
        Arguments.of(
            "long-form IPv6 ranges with IPv4 tails (longest valid entry)",
            repeat(
                i ->
                    String.format(
                        "2001:0db8:0000:%04x:0000:0000:192.168.100.200"
                            + "-2001:0db8:0000:%04x:0000:0000:192.168.100.201",
                        i, i))),
        Arguments.of("long-form IPv6 CIDRs", repeat(i -> longV6(i, 0) + "/128")),
        Arguments.of("long-form IPv6 single addresses", repeat(i -> longV6(i, 7))),
        Arguments.of("IPv4 ranges", repeat(i -> "198.51." + i + ".100-198.51." + i + ".255")),
        Arguments.of("IPv4 CIDRs", repeat(i -> "198.51." + i + ".128/25")),
        Arguments.of("IPv4 single addresses", repeat(i -> "198.51.100." + i)));
  }

  private static String longV6(int i, int last) {
    return String.format("2001:0db8:0000:%04x:0000:0000:0000:%04x", i, last);
  }

  private static List<String> repeat(java.util.function.IntFunction<String> entry) {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < MAX_ENTRIES; i++) {
      pool.add(entry.apply(i));
    }
    return pool;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worstCasePoolsAtTheLimit")
  void acceptsTheWorstCaseOfEachFormAtMaxItems(String what, List<String> pool) {
    assertThat(pool)
        .hasSize(MAX_ENTRIES)
        .allSatisfy(e -> assertThat(e.length()).isLessThanOrEqualTo(100));
    assertThat(spec(create(spec(pool))).get("addressPool")).isEqualTo(pool);
  }

  @Test
  void rejectsOneEntryMoreThanMaxItems() {
    List<String> pool = new ArrayList<>(repeat(i -> "198.51.100." + i));
    pool.add("198.51.101.1");
    assertRejected(spec(pool), "must have at most " + MAX_ENTRIES + " items");
  }

  @Test
  void acceptsTheLargestPoolWithinTheRuntimeCostBudget() {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < MAX_ENTRIES; i++) {
      pool.add(
          i % 2 == 0
              ? "2001:db8:"
                  + Integer.toHexString(i)
                  + "::1-2001:db8:"
                  + Integer.toHexString(i)
                  + "::ffff"
              : "198.51." + i + ".1-198.51." + i + ".254");
    }
    assertThat(spec(create(spec(pool))).get("addressPool")).isEqualTo(pool);
  }

  static Stream<Arguments> invalidPools() {
    return Stream.of(
        Arguments.of(
            "malformed address",
            List.of("192.0.2.300"),
            "addressPool entry 192.0.2.300 is malformed"),
        Arguments.of(
            "not an address",
            List.of("10.42.0.0/28", "banana"),
            "addressPool entry banana is malformed"),
        Arguments.of(
            "CIDR with host bits",
            List.of("10.42.0.1/28"),
            "addressPool entry 10.42.0.1/28 is malformed"),
        Arguments.of(
            "range missing its end",
            List.of("192.0.2.10-"),
            "addressPool entry 192.0.2.10- is malformed"),
        Arguments.of(
            "reversed IPv4 range",
            List.of("192.0.2.20-192.0.2.10"),
            "addressPool range 192.0.2.20-192.0.2.10 starts above its end"),
        Arguments.of(
            "reversed IPv4 range by one",
            List.of("10.0.0.0/28", "192.0.3.0-192.0.2.255"),
            "addressPool range 192.0.3.0-192.0.2.255 starts above its end"),
        Arguments.of(
            "reversed IPv6 range",
            List.of("2001:db8::20-2001:db8::10"),
            "addressPool range 2001:db8::20-2001:db8::10 starts above its end"),
        Arguments.of(
            "reversed IPv6 range across groups",
            List.of("2001:db8::1:0-2001:db8::ffff"),
            "addressPool range 2001:db8::1:0-2001:db8::ffff starts above its end"),
        Arguments.of(
            "range mixing families",
            List.of("192.0.2.10-2001:db8::10"),
            "addressPool range 192.0.2.10-2001:db8::10 mixes IPv4 and IPv6"),
        Arguments.of("empty pool", List.of(), "addressPool is empty"),
        Arguments.of(
            "spaces around the dash",
            List.of("192.0.2.10 - 192.0.2.20"),
            "addressPool entry '192.0.2.10 - 192.0.2.20' contains whitespace"),
        Arguments.of(
            "leading and trailing spaces",
            List.of(" 10.42.0.0/28 "),
            "addressPool entry ' 10.42.0.0/28 ' contains whitespace"),
        Arguments.of(
            "trailing newline (YAML block scalar)",
            List.of("10.42.0.0/28\n"),
            "contains whitespace (a space, tab or line break): remove it"),
        Arguments.of("a tab inside", List.of("2001:db8::/120\t"), "contains whitespace"),
        Arguments.of(
            "IPv4-mapped IPv6 address",
            List.of("::ffff:192.0.2.7"),
            "addressPool entry ::ffff:192.0.2.7 is malformed"),
        Arguments.of(
            "host bits set on a single address CIDR",
            List.of("192.0.2.7/31"),
            "addressPool entry 192.0.2.7/31 is malformed"),
        Arguments.of(
            "reversed long-form IPv6 range",
            List.of(
                "2001:0db8:0000:0000:0000:0000:0001:0000-2001:0db8:0000:0000:0000:0000:0000:ffff"),
            "starts above its end"),
        Arguments.of(
            "reversed range differing in the last bit",
            List.of("192.0.2.11-192.0.2.10"),
            "starts above its end"),
        Arguments.of(
            "reversed range differing in the first bit",
            List.of("128.0.0.0-127.255.255.255"),
            "starts above its end"),
        Arguments.of(
            "reversed IPv6 range differing in the first bit",
            List.of("8000::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "starts above its end"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidPools")
  void rejectsInvalidPools(String what, List<String> pool, String message) {
    assertRejected(spec(pool), message);
  }

  @Test
  void rejectsUnknownType() {
    Map<String, Object> spec = spec(List.of("192.0.2.10-192.0.2.20"));
    spec.put("type", "BGP");
    assertRejected(spec, "type must be L2");
  }

  @Test
  void rejectsAnUpdateThatBreaksThePool() {
    GenericKubernetesResource stored = create(spec(List.of("192.0.2.10-192.0.2.20")));
    assertThatThrownBy(
            () ->
                Crds.resources(client, crd)
                    .withName(stored.getMetadata().getName())
                    .edit(
                        r -> {
                          spec(r).put("addressPool", List.of("192.0.2.20-192.0.2.10"));
                          return r;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("starts above its end");
            });
    assertThat(
            spec(Crds.resources(client, crd).withName(stored.getMetadata().getName()).get())
                .get("addressPool"))
        .isEqualTo(List.of("192.0.2.10-192.0.2.20"));
  }

  private void assertRejected(Map<String, Object> spec, String message) {
    GenericKubernetesResource obj = object(spec);
    assertThatThrownBy(() -> Crds.resources(client, crd).resource(obj).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(422);
              assertThat(e.getMessage()).contains(message);
            });
    assertThat(Crds.resources(client, crd).withName(obj.getMetadata().getName()).get())
        .as("not stored")
        .isNull();
  }

  private GenericKubernetesResource create(Map<String, Object> spec) {
    GenericKubernetesResource obj = object(spec);
    created.add(obj.getMetadata().getName());
    return Crds.resources(client, crd).resource(obj).create();
  }

  private GenericKubernetesResource object(Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(crd.getSpec().getGroup() + "/" + Crds.storageVersion(crd))
        .withKind(crd.getSpec().getNames().getKind())
        .withNewMetadata()
        .withName("mlbc-it-" + SEQ.incrementAndGet())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static Map<String, Object> spec(List<String> pool) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("addressPool", pool);
    spec.put("nodeSelector", Map.of("node-role", "front"));
    return spec;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
