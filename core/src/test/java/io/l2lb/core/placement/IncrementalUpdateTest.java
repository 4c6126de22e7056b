package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.FRONT;
import static io.l2lb.core.placement.Clusters.service;
import static io.l2lb.core.placement.Clusters.story;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PlacementEngine#update} on the events an operator sees: which take the fast path, and that
 * each gives exactly {@code compute(next)}.
 */
class IncrementalUpdateTest {
  /** app: 3 IPs, Cluster; web: 2 IPs, Local with endpoints on every front node; dns: 1 IP. */
  private static final Snapshot START =
      story(
          service("app", 3),
          service("web", 2).withLocalEndpoints(Set.of("front-0", "front-1", "front-2")),
          service("dns", 1));

  private static UnaryOperator<Snapshot> node(String name, UnaryOperator<NodeInfo> change) {
    return s -> s.mapNodes(n -> n.name().equals(name) ? change.apply(n) : n);
  }

  private static NodeInfo labelled(NodeInfo n, Map<String, String> labels) {
    return new NodeInfo(n.name(), labels, n.ready(), n.speakerAlive(), n.networkUnavailable());
  }

  private static UnaryOperator<Snapshot> changeService(
      String name, UnaryOperator<ServiceInfo> change) {
    return s ->
        s.withServices(
            s.services().stream()
                .map(x -> x.key().name().equals(name) ? change.apply(x) : x)
                .toList());
  }

  private static Consumer<PlacementResult> failedOver(String reason) {
    return r ->
        assertThat(r.changesOf(Kind.FAILED_OVER))
            .isNotEmpty()
            .allSatisfy(c -> assertThat(c.detail()).isEqualTo(reason));
  }

  private static final Consumer<PlacementResult> NOTHING_CHANGES =
      r -> assertThat(r.changes()).isEmpty();

  static Stream<Arguments> events() {
    Map<String, String> excluded = new HashMap<>(FRONT);
    excluded.put(Names.Labels.EXCLUDE_FROM_LB, "");
    return Stream.of(
        Arguments.of(
            "front-0 stops being Ready",
            node("front-0", n -> n.withReady(false)),
            true,
            failedOver("node is not Ready")),
        Arguments.of(
            "front-0 is relabelled out of the class",
            node("front-0", n -> labelled(n, Map.of("node-role", "worker"))),
            true,
            failedOver("node no longer matches the class nodeSelector")),
        Arguments.of(
            "front-0's speaker dies",
            node("front-0", n -> n.withSpeakerAlive(false)),
            true,
            failedOver("speaker lease is not fresh")),
        Arguments.of(
            "front-0 gets NetworkUnavailable",
            node("front-0", n -> new NodeInfo(n.name(), n.labels(), true, true, true)),
            true,
            failedOver("node has NetworkUnavailable")),
        Arguments.of(
            "front-0 gets the exclusion label",
            node("front-0", n -> labelled(n, excluded)),
            true,
            failedOver("node carries " + Names.Labels.EXCLUDE_FROM_LB)),
        Arguments.of(
            "a fourth front node joins: every Service already has one IP per node",
            (UnaryOperator<Snapshot>)
                s -> {
                  List<NodeInfo> nodes = new ArrayList<>(s.nodes());
                  nodes.add(NodeInfo.healthy("front-3", FRONT));
                  return s.withNodes(nodes);
                },
            true,
            NOTHING_CHANGES),
        Arguments.of(
            "the worker is relabelled: no class selects it before or after",
            node("worker-0", n -> labelled(n, Map.of("node-role", "batch"))),
            true,
            NOTHING_CHANGES),
        Arguments.of(
            "front-0 is deleted: its IPs count as unannounced and get a node",
            (UnaryOperator<Snapshot>)
                s ->
                    s.withNodes(
                        s.nodes().stream().filter(n -> !n.name().equals("front-0")).toList()),
            true,
            (Consumer<PlacementResult>)
                r -> {
                  assertThat(r.changesOf(Kind.ASSIGNED)).isNotEmpty();
                  assertThat(r.placements())
                      .allSatisfy(p -> assertThat(p.nodeName()).isNotEqualTo("front-0"));
                }),
        Arguments.of(
            "web (Local) loses its endpoint on every node but front-2",
            changeService("web", s -> s.withLocalEndpoints(Set.of("front-2"))),
            true,
            (Consumer<PlacementResult>)
                r ->
                    assertThat(r.placementsOf(Clusters.key("web")))
                        .allSatisfy(p -> assertThat(p.nodeName()).isEqualTo("front-2"))),
        Arguments.of(
            "dns (Cluster) endpoints change: never read, nothing changes",
            changeService(
                "dns",
                s ->
                    new ServiceInfo(
                        s.key(),
                        s.uid(),
                        s.loadBalancerClass(),
                        s.annotations(),
                        false,
                        Set.of("worker-0"),
                        s.ports(),
                        s.ingressIps())),
            true,
            NOTHING_CHANGES),
        Arguments.of(
            "app asks for fewer IPs: a Service change, the full path",
            changeService(
                "app", s -> s.withAnnotations(Map.of(Annotations.EXTERNAL_IPS_COUNT, "1"))),
            false,
            (Consumer<PlacementResult>) r -> assertThat(r.changesOf(Kind.RELEASED)).hasSize(2)),
        Arguments.of(
            "the class pool changes: the full path",
            (UnaryOperator<Snapshot>)
                s -> s.withClasses(List.of(s.classes().get(0).withPool(List.of("192.0.2.0/24")))),
            false,
            NOTHING_CHANGES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void updateEqualsCompute(
      String title,
      UnaryOperator<Snapshot> event,
      boolean fastPath,
      Consumer<PlacementResult> check) {
    PlacementResult applied = PlacementEngine.compute(START);
    Snapshot settled = Clusters.settle(START, applied);
    Snapshot next = event.apply(settled);

    assertThat(IncrementalUpdate.takesFastPath(settled, next)).as("fast path").isEqualTo(fastPath);
    PlacementResult updated = PlacementEngine.update(settled, applied, next);
    assertThat(updated).isEqualTo(PlacementEngine.compute(next));
    check.accept(updated);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void updateOnTheSettledResultEqualsComputeToo(
      String title,
      UnaryOperator<Snapshot> event,
      boolean fastPath,
      Consumer<PlacementResult> check) {
    Snapshot settled = Clusters.run(START);
    PlacementResult previous = PlacementEngine.compute(settled);
    Snapshot next = event.apply(settled);
    assertThat(PlacementEngine.update(settled, previous, next))
        .isEqualTo(PlacementEngine.compute(next));
  }

  @org.junit.jupiter.api.Test
  void nothingThatMattersChangedHandsBackThePreviousResultItself() {
    Snapshot settled = Clusters.run(START);
    PlacementResult previous = PlacementEngine.compute(settled);
    Snapshot workerRelabelled =
        node("worker-0", n -> labelled(n, Map.of("node-role", "batch"))).apply(settled);

    assertThat(PlacementEngine.update(settled, previous, workerRelabelled)).isSameAs(previous);
    assertThat(PlacementEngine.update(settled, previous, settled)).isSameAs(previous);

    // A result that still carries the changes it made is not what compute would say now.
    PlacementResult first = PlacementEngine.compute(START);
    PlacementResult again = PlacementEngine.update(Clusters.settle(START, first), first, settled);
    assertThat(again).isNotSameAs(first).isEqualTo(previous);
    assertThat(again.changes()).isEmpty();
  }
}
