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
import java.util.List;
import java.util.Map;
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
}
