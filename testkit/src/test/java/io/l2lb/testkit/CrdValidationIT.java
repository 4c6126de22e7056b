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
                "192.0.2.255-192.0.3.0",
                "10.0.0.9-10.0.0.10",
                "2001:db8::ff-2001:db8::100",
                "2001:db8::ffff-2001:db8::1:0",
                "::1-ffff::")),
        Arguments.of("single-address CIDRs", List.of("192.0.2.7/32", "2001:db8::7/128")));
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

  @Test
  void acceptsTheLargestPoolWithinTheRuntimeCostBudget() {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
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
        Arguments.of("empty pool", List.of(), "addressPool is empty"));
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
