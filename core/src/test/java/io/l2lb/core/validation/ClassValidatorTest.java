package io.l2lb.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassValidatorTest {
  private static final Map<String, String> FRONT = Map.of("node-role", "front");
  private static final List<NodeInfo> NODES = List.of(NodeInfo.healthy("front-0", FRONT));
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(1);

  static Stream<Arguments> cases() {
    ClassInfo good = ClassInfo.of("a", FRONT, "192.0.2.0/28");
    return Stream.of(
        Arguments.of(List.of(good), true, Reasons.VALID, null, List.of()),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT, "192.0.2.0/28", "2001:db8::10-2001:db8::1f")),
            true,
            Reasons.VALID,
            null,
            List.of()),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT, "192.0.2.300/28")),
            false,
            Reasons.INVALID_POOL,
            "spec.addressPool",
            List.of("192.0.2.300/28")),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT, "192.0.2.20-192.0.2.10")),
            false,
            Reasons.INVALID_POOL,
            "spec.addressPool",
            List.of("192.0.2.20-192.0.2.10", "lower address first")),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT, "192.0.2.1-2001:db8::1")),
            false,
            Reasons.INVALID_POOL,
            "spec.addressPool",
            List.of("mixes IPv4 and IPv6")),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT)),
            false,
            Reasons.EMPTY_POOL,
            "spec.addressPool",
            List.of("empty", "192.0.2.10-192.0.2.20")),
        Arguments.of(
            List.of(ClassInfo.of("a", FRONT, "192.0.2.0/28", "192.0.2.8-192.0.2.20")),
            false,
            Reasons.POOL_OVERLAP,
            "spec.addressPool",
            List.of("overlap")),
        // of two overlapping classes only the newer is flagged: without creation times (files
        // not applied yet) the name decides, so "a" is the older one here ...
        Arguments.of(
            List.of(good, ClassInfo.of("b", Map.of(), "192.0.2.10-192.0.2.40")),
            true,
            Reasons.VALID,
            null,
            List.of()),
        // ... and the newer one when b was created first
        Arguments.of(
            List.of(
                good.createdAt(T1),
                ClassInfo.of("b", Map.of(), "192.0.2.10-192.0.2.40").createdAt(T0)),
            false,
            Reasons.POOL_OVERLAP,
            "spec.addressPool",
            List.of(
                "entry 192.0.2.0/28 overlaps entry 192.0.2.10-192.0.2.40 of class b",
                "which is older and keeps the addresses they share",
                "pools of different classes must not overlap")),
        // a class that exists is older than one that does not yet (a file)
        Arguments.of(
            List.of(good, ClassInfo.of("b", Map.of(), "192.0.2.10-192.0.2.40").createdAt(T0)),
            false,
            Reasons.POOL_OVERLAP,
            "spec.addressPool",
            List.of("of class b, which is older")),
        Arguments.of(
            List.of(new ClassInfo("a", false, "BGP", List.of("192.0.2.0/28"), FRONT, List.of())),
            false,
            Reasons.UNSUPPORTED_TYPE,
            "spec.type",
            List.of("\"BGP\"", "set it to L2")),
        Arguments.of(
            List.of(ClassInfo.of("a", Map.of("node-role", "edge"), "192.0.2.0/28")),
            true,
            Reasons.VALID,
            "spec.nodeSelector",
            List.of("matches no node", "kubectl label node NAME node-role=edge")),
        Arguments.of(
            List.of(good.asDefault(), ClassInfo.of("b", FRONT, "198.51.100.0/28").asDefault()),
            true,
            Reasons.VALID,
            "spec.isDefault",
            List.of("classes a, b are all default", "use a (the oldest)", "isDefault: false")),
        // the oldest default wins, whatever the names say
        Arguments.of(
            List.of(
                good.asDefault().createdAt(T1),
                ClassInfo.of("b", FRONT, "198.51.100.0/28").asDefault().createdAt(T0)),
            true,
            Reasons.VALID,
            "spec.isDefault",
            List.of("classes b, a are all default", "use b (the oldest)")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checksClassA(
      List<ClassInfo> classes, boolean valid, String reason, String field, List<String> fragments) {
    ClassCheck a = ClassValidator.checkAll(classes, NODES).get("a");
    assertThat(a.valid()).isEqualTo(valid);
    assertThat(a.validReason()).isEqualTo(reason);
    if (field == null) {
      assertThat(a.problems()).isEmpty();
    } else {
      assertThat(a.problems())
          .anySatisfy(
              p -> {
                assertThat(p.field()).isEqualTo(field);
                assertThat(p.message()).contains(fragments);
              });
    }
  }
}
