package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.run;
import static io.l2lb.core.placement.Clusters.service;
import static io.l2lb.core.placement.Clusters.story;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.l2lb.core.model.Snapshot;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailoverSimulationTest {
  private static final Snapshot LIVE = run(story(service("app", 3), service("web", 1)));

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(Set.of(), 0, 0),
        Arguments.of(Set.of("worker-0"), 0, 0),
        Arguments.of(Set.of("front-0"), -1, 0),
        Arguments.of(Set.of("front-0", "front-1"), -1, 0),
        Arguments.of(Set.of("front-0", "front-1", "front-2"), 4, 4));
  }

  /** moved = -1: exactly the IPs that were on the failed nodes. */
  @ParameterizedTest
  @MethodSource("failures")
  void movesOnlyTheFailedNodesIps(Set<String> failed, int moved, int lost) {
    FailoverSimulation.Report report = FailoverSimulation.simulate(LIVE, failed);
    long onFailed = report.steps().stream().filter(s -> failed.contains(s.before())).count();
    assertThat(report.steps()).hasSize(4);
    assertThat(report.moved())
        .hasSize(moved < 0 ? (int) onFailed : moved)
        .allSatisfy(s -> assertThat(failed).contains(s.before()));
    assertThat(report.lost()).hasSize(lost);
    assertThat(report.moved())
        .filteredOn(s -> s.after() != null)
        .allSatisfy(s -> assertThat(failed).doesNotContain(s.after()));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void simulationDoesNotChangeTheSnapshot(Set<String> failed, int ignoredMoved, int ignoredLost) {
    FailoverSimulation.simulate(LIVE, failed);
    assertThat(PlacementEngine.compute(LIVE).changes()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void unknownNodeIsNamed() {
    assertThatThrownBy(() -> FailoverSimulation.simulate(LIVE, Set.of("front-9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such node: front-9")
        .hasMessageContaining("front-0, front-1, front-2, worker-0");
  }
}
