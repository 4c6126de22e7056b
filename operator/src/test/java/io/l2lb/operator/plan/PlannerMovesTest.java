package io.l2lb.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.l2lb.core.Names.Labels;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.L2AnnouncementStatus;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.PlacementEngine;
import io.l2lb.core.placement.PlacementResult;
import io.l2lb.core.pool.IpAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Break-before-make as the planner writes it. One Service with one IP, 192.0.2.10, announced from
 * node-a; node-a (and node-c) are excluded from load balancers, so the engine wants the IP on
 * node-b. What the planner writes depends on whether node-a's speaker lives, which state the object
 * is in, what its status says and whether the release timed out.
 */
class PlannerMovesTest {

  static final String IP = "192.0.2.10";
  static final String NAME =
      AnnouncementNames.of(new ServiceKey("shop", "web"), IpAddress.parse(IP));

  enum State {
    PLACED_ON_A("node-a", "node-a"),
    RELEASING_A_TO_B("node-a", "node-b"),
    RELEASING_A_TO_C("node-a", "node-c");

    final String label;
    final String spec;

    State(String label, String spec) {
      this.label = label;
      this.spec = spec;
    }
  }

  /** What the planner writes: the object's node label and spec.nodeName, or nothing. */
  record Write(String label, String spec) {
    static final Write NOTHING = new Write(null, null);
  }

  static Stream<Arguments> moves() {
    Write release = new Write("node-a", "node-b");
    Write place = new Write("node-b", "node-b");
    return Stream.of(
        Arguments.of("live old node: first step", true, State.PLACED_ON_A, true, false, release),
        Arguments.of(
            "live old node, status already false: still two steps (the status may be stale)",
            true,
            State.PLACED_ON_A,
            false,
            false,
            release),
        Arguments.of("dead old node: one step", false, State.PLACED_ON_A, true, false, place),
        Arguments.of(
            "releasing, not confirmed: wait",
            true,
            State.RELEASING_A_TO_B,
            true,
            false,
            Write.NOTHING),
        Arguments.of(
            "releasing, status never written: wait",
            true,
            State.RELEASING_A_TO_B,
            null,
            false,
            Write.NOTHING),
        Arguments.of(
            "releasing, confirmed: second step", true, State.RELEASING_A_TO_B, false, false, place),
        Arguments.of(
            "releasing, timed out: second step", true, State.RELEASING_A_TO_B, true, true, place),
        Arguments.of(
            "releasing, old node died meanwhile: second step",
            false,
            State.RELEASING_A_TO_B,
            true,
            false,
            place),
        Arguments.of(
            "releasing towards a node that is no longer the target: retarget, keep waiting",
            true,
            State.RELEASING_A_TO_C,
            true,
            false,
            release));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("moves")
  void movesOffALiveNodeComeInTwoSteps(
      String title,
      boolean oldSpeakerAlive,
      State state,
      Boolean announcing,
      boolean timedOut,
      Write expected) {
    L2Announcement current = announcement(state, announcing);
    ClusterState cluster =
        new ClusterState(
            List.of(metalClass()),
            List.of(node("node-a", true), node("node-b", false), node("node-c", true)),
            List.of(service()),
            Map.of(),
            List.of(current),
            n -> !n.equals("node-a") || oldSpeakerAlive);
    Snapshot snapshot = new SnapshotBuilder().build(cluster);
    PlacementResult result = PlacementEngine.compute(snapshot);
    assertThat(result.placementOf(IpAddress.parse(IP)).orElseThrow().nodeName())
        .as("the engine moves it to node-b")
        .isEqualTo("node-b");

    Plan plan =
        Planner.plan(
            cluster,
            snapshot,
            result,
            true,
            Instant.parse("2026-01-01T00:00:00Z"),
            new Planner.Timing() {
              @Override
              public boolean twoStep() {
                return true;
              }

              @Override
              public boolean releaseTimedOut(String key) {
                return timedOut;
              }
            });

    assertThat(plan.deletes).isEmpty();
    if (expected == Write.NOTHING) {
      assertThat(plan.applies).isEmpty();
    } else {
      assertThat(plan.applies)
          .singleElement()
          .satisfies(a -> assertThat(written(a)).isEqualTo(expected));
    }
    boolean waiting = expected.equals(new Write("node-a", "node-b")) || expected == Write.NOTHING;
    assertThat(plan.releasing).isEqualTo(waiting ? Set.of("shop/" + NAME) : Set.of());

    // one step, when switched off
    Plan oneStep =
        Planner.plan(
            cluster,
            snapshot,
            result,
            true,
            Instant.parse("2026-01-01T00:00:00Z"),
            Planner.Timing.IMMEDIATE);
    assertThat(oneStep.applies)
        .singleElement()
        .satisfies(a -> assertThat(written(a)).isEqualTo(new Write("node-b", "node-b")));
  }

  @SuppressWarnings("unchecked")
  static Write written(Plan.ApplyAnnouncement a) {
    Map<String, Object> metadata = (Map<String, Object>) a.body().get("metadata");
    Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
    Map<String, Object> spec = (Map<String, Object>) a.body().get("spec");
    return new Write((String) labels.get(Labels.ANNOUNCEMENT_NODE), (String) spec.get("nodeName"));
  }

  static MetalLoadBalancerClass metalClass() {
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.getMetadata().setName("front");
    c.getMetadata().setResourceVersion("1");
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setIsDefault(true);
    spec.setAddressPool(List.of("192.0.2.10-192.0.2.20"));
    spec.setNodeSelector(Map.of("role", "front"));
    c.setSpec(spec);
    return c;
  }

  static Node node(String name, boolean excluded) {
    Map<String, String> labels = new HashMap<>();
    labels.put("role", "front");
    if (excluded) {
      labels.put(Labels.EXCLUDE_FROM_LB, "");
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion("1")
        .withLabels(labels)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static Service service() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web")
        .withUid("uid-web")
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .withNewStatus()
        .withNewLoadBalancer()
        .addNewIngress()
        .withIp(IP)
        .withIpMode("VIP")
        .endIngress()
        .endLoadBalancer()
        .endStatus()
        .build();
  }

  static L2Announcement announcement(State state, Boolean announcing) {
    L2Announcement a = new L2Announcement();
    a.getMetadata().setNamespace("shop");
    a.getMetadata().setName(NAME);
    a.getMetadata().setResourceVersion("7");
    a.getMetadata()
        .setLabels(
            Map.of(
                Labels.ANNOUNCEMENT_NODE,
                state.label,
                Labels.ANNOUNCEMENT_SERVICE,
                "web",
                Labels.ANNOUNCEMENT_CLASS,
                "front",
                Labels.MANAGED_BY,
                Labels.MANAGED_BY_VALUE));
    a.getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Service")
                    .withName("web")
                    .withUid("uid-web")
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build()));
    L2AnnouncementSpec spec = new L2AnnouncementSpec();
    spec.setIp(IP);
    spec.setNodeName(state.spec);
    L2AnnouncementSpec.ServiceRef ref = new L2AnnouncementSpec.ServiceRef();
    ref.setName("web");
    ref.setUid("uid-web");
    spec.setServiceRef(ref);
    spec.setClassName("front");
    a.setSpec(spec);
    if (announcing != null) {
      L2AnnouncementStatus status = new L2AnnouncementStatus();
      status.setAnnouncing(announcing);
      a.setStatus(status);
    }
    return a;
  }
}
