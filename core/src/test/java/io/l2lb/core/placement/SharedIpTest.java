package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.key;
import static io.l2lb.core.placement.Clusters.story;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.validation.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Services sharing IPs ({@code load-balancer-shared-ip-key}): one set of IPs, but every member is
 * reported on its own, since the operator writes each member's conditions and Events on that
 * member.
 */
class SharedIpTest {
  private static final ServiceKey HTTP = key("http");
  private static final ServiceKey DNS = key("dns");

  private static ServiceInfo member(String name, String port, String count) {
    return new ServiceInfo(
        key(name),
        name,
        null,
        Map.of(Annotations.SHARED_IP_KEY, "k", Annotations.EXTERNAL_IPS_COUNT, count),
        false,
        Set.of(),
        List.of(port),
        List.of());
  }

  private static Snapshot pair() {
    return story(member("http", "TCP/80", "2"), member("dns", "UDP/53", "2"));
  }

  private static UnaryOperator<Snapshot> withAnnotation(String name, String count) {
    return s ->
        s.withServices(
            s.services().stream()
                .map(
                    x -> {
                      if (!x.key().name().equals(name)) return x;
                      Map<String, String> a = new HashMap<>(x.annotations());
                      a.put(Annotations.EXTERNAL_IPS_COUNT, count);
                      return x.withAnnotations(a);
                    })
                .toList());
  }

  /**
   * @param settleFirst whether {@code pair()} is placed and settled before {@code event}
   * @param kinds the changes each member must get, by kind (the same for both members)
   */
  static Stream<Arguments> events() {
    return Stream.of(
        Arguments.of(
            "first placement: each member gets its own ALLOCATED and ASSIGNED",
            false,
            UnaryOperator.<Snapshot>identity(),
            Map.of(Kind.ALLOCATED, 2, Kind.ASSIGNED, 2)),
        Arguments.of(
            "node failure: each member gets its own FAILED_OVER",
            true,
            (UnaryOperator<Snapshot>) s -> s.withFailedNodes(Set.of("front-1")),
            Map.of(Kind.FAILED_OVER, 1)),
        Arguments.of(
            "every candidate gone: each member gets its own UNANNOUNCED",
            true,
            (UnaryOperator<Snapshot>)
                s -> s.withFailedNodes(Set.of("front-0", "front-1", "front-2")),
            Map.of(Kind.UNANNOUNCED, 2)),
        Arguments.of(
            "the pool runs out: each member gets its own ALLOCATION_FAILED",
            false,
            (UnaryOperator<Snapshot>)
                s -> {
                  List<ServiceInfo> services = new java.util.ArrayList<>(s.services());
                  services.add(Clusters.service("a-first", 2)); // sorts first, takes two of three
                  return s.withServices(services)
                      .withClasses(
                          List.of(
                              ClassInfo.of("front", Clusters.FRONT, "192.0.2.100-192.0.2.102")
                                  .asDefault()));
                },
            Map.of(Kind.ALLOCATION_FAILED, 1, Kind.ALLOCATED, 1, Kind.ASSIGNED, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void everyMemberGetsItsOwnChanges(
      String title, boolean settleFirst, UnaryOperator<Snapshot> event, Map<Kind, Integer> kinds) {
    Snapshot start = settleFirst ? Clusters.run(pair()) : pair();
    PlacementResult result = PlacementEngine.compute(event.apply(start));

    for (ServiceKey member : List.of(HTTP, DNS)) {
      Map<Kind, Integer> counts = new HashMap<>();
      for (Change c : result.changes()) {
        if (c.service().equals(member)) {
          counts.merge(c.kind(), 1, Integer::sum);
        }
      }
      assertThat(counts).as("changes of %s", member).isEqualTo(kinds);
    }
    assertThat(result.placementsOf(HTTP))
        .extracting(Placement::ip, Placement::nodeName)
        .isEqualTo(
            result.placementsOf(DNS).stream()
                .map(p -> org.assertj.core.groups.Tuple.tuple(p.ip(), p.nodeName()))
                .toList());
  }

  /**
   * @param broken the member whose count annotation is broken (the other stays valid)
   */
  static Stream<Arguments> brokenMembers() {
    return Stream.of(Arguments.of("http", "dns"), Arguments.of("dns", "http"));
  }

  @ParameterizedTest(name = "{0} broken, {1} valid")
  @MethodSource("brokenMembers")
  void eachMemberGetsItsOwnConditionText(String broken, String valid) {
    Snapshot settled = Clusters.run(pair());
    PlacementResult result =
        PlacementEngine.compute(withAnnotation(broken, "three").apply(settled));

    ServiceOutcome bad = result.services().get(key(broken));
    ServiceOutcome good = result.services().get(key(valid));
    assertThat(good.ips()).as("nothing lost").isEqualTo(bad.ips()).hasSize(2);

    ConditionState badCondition = bad.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED);
    assertThat(badCondition.reason()).isEqualTo(Reasons.INVALID_ANNOTATION);
    assertThat(badCondition.message())
        .contains(Annotations.EXTERNAL_IPS_COUNT, "\"three\"", "kept as they were");

    ConditionState goodCondition = good.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED);
    assertThat(goodCondition.status()).isFalse();
    assertThat(goodCondition.reason()).isEqualTo(Reasons.SHARED_WITH_INVALID);
    assertThat(goodCondition.message())
        .isEqualTo(
            "2 of 2 public IPs were assigned; kept as they were because Service default/"
                + broken
                + ", which shares them (key \"k\"), has an invalid annotation; its conditions"
                + " say which")
        .doesNotContain("three");

    assertThat(bad.problems())
        .extracting(Problem::field)
        .containsOnly(Annotations.EXTERNAL_IPS_COUNT);
    assertThat(good.problems()).as("the valid member's problems").isEmpty();
    assertThat(result.changesOf(Kind.INVALID_ANNOTATION))
        .extracting(Change::service)
        .containsExactly(key(broken));
  }

  @ParameterizedTest(name = "port {0}")
  @MethodSource("clashingPorts")
  void bothMembersOfAPortClashAreWarned(String port) {
    PlacementResult result =
        PlacementEngine.compute(story(member("http", port, "2"), member("dns", port, "2")));

    assertThat(result.services().get(HTTP).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("default/dns", port));
    assertThat(result.services().get(DNS).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("default/http", port));
    assertThat(result.services().get(HTTP).condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED).status())
        .as("a warning does not block")
        .isTrue();
  }

  static Stream<String> clashingPorts() {
    return Stream.of("TCP/80", "UDP/53");
  }
}
