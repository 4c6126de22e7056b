package io.l2lb.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.ClassResolution.Binding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassResolutionTest {
  private static final ServiceKey APP = new ServiceKey("default", "app");
  private static final String NOT_OURS = "<not ours>";
  private static final String UNBOUND = "<unbound>";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("spec names our class", "front", Map.of(), true, List.of(), "front"),
        Arguments.of(
            "spec names a class that is not ours, even with our annotation",
            "example.com/other",
            Map.of(Annotations.CLASS, "front"),
            true,
            List.of(),
            NOT_OURS),
        Arguments.of(
            "annotation", null, Map.of(Annotations.CLASS, "back"), true, List.of(), "back"),
        Arguments.of(
            "legacy annotation",
            null,
            Map.of(Annotations.LEGACY_CLASS, "back"),
            true,
            List.of(),
            "back"),
        Arguments.of(
            "annotation wins over the legacy one",
            null,
            Map.of(Annotations.CLASS, "front", Annotations.LEGACY_CLASS, "back"),
            true,
            List.of(),
            "front"),
        Arguments.of("default class", null, Map.of(), true, List.of(), "front"),
        Arguments.of("no class and no default", null, Map.of(), false, List.of(), NOT_OURS),
        Arguments.of(
            "annotation names a missing class",
            null,
            Map.of(Annotations.CLASS, "typo"),
            true,
            List.of(),
            UNBOUND),
        Arguments.of(
            "annotation names a missing class while holding IPs of back: stays on back",
            null,
            Map.of(Annotations.CLASS, "typo"),
            true,
            List.of(new AnnouncementInfo("198.51.100.1", "n1", APP, "back")),
            "back"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolvesTheClass(
      String title,
      String specClass,
      Map<String, String> annotations,
      boolean frontIsDefault,
      List<AnnouncementInfo> announcements,
      String expected) {
    ClassInfo front = ClassInfo.of("front", Map.of(), "192.0.2.0/28");
    Snapshot snapshot =
        new Snapshot(
            List.of(
                frontIsDefault ? front.asDefault() : front,
                ClassInfo.of("back", Map.of(), "198.51.100.0/28")),
            List.of(NodeInfo.healthy("n1", Map.of())),
            List.of(new ServiceInfo(APP, "uid", specClass, annotations, false, null, null, null)),
            announcements);

    PlacementResult result = PlacementEngine.compute(snapshot);
    ServiceOutcome outcome = result.services().get(APP);
    switch (expected) {
      case NOT_OURS -> {
        assertThat(outcome).isNull();
        assertThat(result.placements()).isEmpty();
      }
      case UNBOUND -> {
        assertThat(outcome.className()).isNull();
        assertThat(outcome.condition(Conditions.SERVICE_CLASS).message())
            .contains("\"typo\"", "does not exist", "kubectl get mlbc");
        assertThat(result.placements()).isEmpty();
      }
      default -> {
        assertThat(outcome.className()).isEqualTo(expected);
        assertThat(result.placements())
            .isNotEmpty()
            .allSatisfy(p -> assertThat(p.className()).isEqualTo(expected));
      }
    }
    if (!announcements.isEmpty()) {
      assertThat(result.placementOf(io.l2lb.core.pool.IpAddress.parse("198.51.100.1"))).isPresent();
      assertThat(outcome.problems())
          .anySatisfy(p -> assertThat(p.field()).isEqualTo(Annotations.CLASS));
    }
  }

  static Stream<Arguments> rule() {
    Set<String> classes = Set.of("front", "back");
    return Stream.of(
            Arguments.of("spec, ours", null, "front", Map.of(), null, Binding.BOUND, "front"),
            Arguments.of("spec, not ours", null, "x.io/lb", Map.of(), null, Binding.NOT_OURS, null),
            Arguments.of(
                "spec names the deleted class it holds IPs of",
                null,
                "gone",
                Map.of(),
                "gone",
                Binding.ORPHANED,
                "gone"),
            Arguments.of(
                "spec names a missing class, holds IPs of another deleted one",
                null,
                "typo",
                Map.of(),
                "gone",
                Binding.NOT_OURS,
                null),
            Arguments.of(
                "annotation names the deleted class",
                null,
                null,
                Map.of(Annotations.CLASS, "gone"),
                "gone",
                Binding.ORPHANED,
                "gone"),
            Arguments.of(
                "legacy annotation names the deleted class",
                null,
                null,
                Map.of(Annotations.LEGACY_CLASS, "gone"),
                "gone",
                Binding.ORPHANED,
                "gone"),
            Arguments.of(
                "annotation names a missing class, holds IPs of a deleted one: kept, with the error",
                null,
                null,
                Map.of(Annotations.CLASS, "typo"),
                "gone",
                Binding.ORPHANED,
                "gone"),
            Arguments.of(
                "annotation names a missing class, holds IPs of back: stays on back",
                null,
                null,
                Map.of(Annotations.CLASS, "typo"),
                "back",
                Binding.BOUND,
                "back"),
            Arguments.of(
                "annotation names a missing class, holds nothing",
                null,
                null,
                Map.of(Annotations.CLASS, "typo"),
                null,
                Binding.UNBOUND,
                null),
            Arguments.of(
                "no class named, bound to a default that was deleted: kept",
                "front",
                null,
                Map.of(),
                "gone",
                Binding.ORPHANED,
                "gone"),
            Arguments.of(
                "no class named: the default",
                "front",
                null,
                Map.of(),
                null,
                Binding.BOUND,
                "front"),
            Arguments.of(
                "no class named, holds IPs of back: the default (the Service changed)",
                "front",
                null,
                Map.of(),
                "back",
                Binding.BOUND,
                "front"),
            Arguments.of(
                "no class, no default", null, null, Map.of(), null, Binding.NOT_OURS, null))
        .map(
            a ->
                Arguments.of(
                    a.get()[0],
                    classes,
                    a.get()[1],
                    a.get()[2],
                    a.get()[3],
                    a.get()[4],
                    a.get()[5],
                    a.get()[6]));
  }

  /** The rule itself, as {@code kubectl l2lb validate} calls it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rule")
  void thePublicRule(
      String title,
      Set<String> classes,
      String defaultClass,
      String specClass,
      Map<String, String> annotations,
      String held,
      Binding binding,
      String className) {
    ServiceInfo s = new ServiceInfo(APP, "uid", specClass, annotations, false, null, null, null);
    ClassResolution.Resolved r = ClassResolution.resolve(s, classes::contains, defaultClass, held);
    assertThat(r.binding()).isEqualTo(binding);
    assertThat(r.className()).isEqualTo(className);
    boolean namesMissing =
        annotations.values().stream().anyMatch(v -> !classes.contains(v) && !v.equals(held));
    assertThat(r.problems()).hasSize(namesMissing ? 1 : 0);
  }
}
