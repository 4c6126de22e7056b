package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.key;
import static io.l2lb.core.placement.Clusters.nodesByIp;
import static io.l2lb.core.placement.Clusters.run;
import static io.l2lb.core.placement.Clusters.service;
import static io.l2lb.core.placement.Clusters.story;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.pool.IpAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementEngineTest {

  @Test
  void storyGivesEachFrontNodeOneOfThreeIps() {
    PlacementResult result = PlacementEngine.compute(story(service("app", 3)));

    ServiceOutcome app = result.services().get(key("app"));
    assertThat(app.ips())
        .extracting(Object::toString)
        .containsExactly("192.0.2.100", "192.0.2.101", "192.0.2.102");
    assertThat(result.placements())
        .extracting(Placement::nodeName)
        .containsExactlyInAnyOrder("front-0", "front-1", "front-2");
    assertThat(app.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED))
        .isEqualTo(
            new ConditionState(
                Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                true,
                Reasons.ALL_ASSIGNED,
                "3 of 3 public IPs were assigned"));
    assertThat(app.condition(Conditions.SERVICE_CLASS).message()).contains("front");
    assertThat(result.changesOf(Kind.ALLOCATED)).hasSize(3);
    assertThat(result.changesOf(Kind.ASSIGNED)).hasSize(3);
    ClassOutcome front = result.classes().get("front");
    assertThat(List.of(front.totalSaturated(), front.allocated(), front.free()))
        .containsExactly(51L, 3L, 48L);
    assertThat(List.of(front.selectedNodes(), front.readyNodes())).containsExactly(3, 3);
  }

  @Test
  void failedNodeMovesOnlyItsOwnIpAndRecoveryRestoresOneIpPerNode() {
    Snapshot settled = run(story(service("app", 3)));
    Map<String, String> before = nodesByIp(PlacementEngine.compute(settled));
    String lostIp =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals("front-0"))
            .findFirst()
            .orElseThrow()
            .getKey();

    PlacementResult failed = PlacementEngine.compute(settled.withFailedNodes(Set.of("front-0")));
    Map<String, String> after = nodesByIp(failed);
    for (String ip : before.keySet()) {
      if (ip.equals(lostIp)) {
        assertThat(after.get(ip)).isIn("front-1", "front-2");
      } else {
        assertThat(after.get(ip)).as("IP %s whose node is healthy", ip).isEqualTo(before.get(ip));
      }
    }
    assertThat(failed.changesOf(Kind.FAILED_OVER))
        .singleElement()
        .satisfies(c -> assertThat(c.message()).contains("front-0", "not Ready"));

    Snapshot afterFailure = Clusters.settle(settled.withFailedNodes(Set.of("front-0")), failed);
    PlacementResult recovered = PlacementEngine.compute(afterFailure.withNodes(settled.nodes()));
    assertThat(new HashSet<>(nodesByIp(recovered).values()))
        .containsExactlyInAnyOrder("front-0", "front-1", "front-2");
    assertThat(recovered.changesOf(Kind.REBALANCED))
        .singleElement()
        .satisfies(c -> assertThat(c.toNode()).isEqualTo("front-0"));
  }

  @Test
  void recomputingASettledStateChangesNothing() {
    Snapshot settled = run(story(service("app", 3), service("web", 2)));
    PlacementResult again = PlacementEngine.compute(settled);
    assertThat(again.changes()).isEmpty();
    assertThat(Clusters.settle(settled, again)).isEqualTo(settled);
  }

  @Test
  void invalidCountKeepsTheIpsTheServiceHas() {
    Snapshot settled = run(story(service("app", 3)));
    Snapshot broken =
        settled.withServices(
            List.of(
                settled
                    .services()
                    .get(0)
                    .withAnnotations(Map.of(Annotations.EXTERNAL_IPS_COUNT, "three"))));

    PlacementResult result = PlacementEngine.compute(broken);

    ServiceOutcome app = result.services().get(key("app"));
    assertThat(app.ips()).hasSize(3);
    assertThat(nodesByIp(result)).isEqualTo(nodesByIp(PlacementEngine.compute(settled)));
    ConditionState assigned = app.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED);
    assertThat(assigned.status()).isFalse();
    assertThat(assigned.reason()).isEqualTo(Reasons.INVALID_ANNOTATION);
    assertThat(assigned.message())
        .contains(Annotations.EXTERNAL_IPS_COUNT, "three", "not an integer");
    assertThat(result.changesOf(Kind.INVALID_ANNOTATION)).hasSize(1);
    assertThat(result.changesOf(Kind.RELEASED)).isEmpty();
  }

  @Test
  void exhaustedPoolAssignsWhatExistsAndSaysSo() {
    Snapshot snapshot =
        new Snapshot(
            List.of(ClassInfo.of("small", Clusters.FRONT, "192.0.2.10-192.0.2.12").asDefault()),
            story().nodes(),
            List.of(service("a", 2), service("b", 2)),
            List.of());
    PlacementResult result = PlacementEngine.compute(snapshot);

    assertThat(result.services().get(key("a")).ips()).hasSize(2);
    ServiceOutcome b = result.services().get(key("b"));
    assertThat(b.ips()).extracting(Object::toString).containsExactly("192.0.2.12");
    assertThat(b.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED))
        .isEqualTo(
            new ConditionState(
                Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                false,
                Reasons.POOL_EXHAUSTED,
                "1 of 2 public IPs were assigned; the pool of class small has no free address;"
                    + " lower "
                    + Annotations.EXTERNAL_IPS_COUNT
                    + " or add addresses to spec.addressPool of MetalLoadBalancerClass small"));
    assertThat(result.changesOf(Kind.ALLOCATION_FAILED))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.service()).isEqualTo(key("b"));
              assertThat(c.message())
                  .startsWith(Annotations.EXTERNAL_IPS_COUNT + ": 1 of 2 public IPs assigned")
                  .contains("add addresses to spec.addressPool of MetalLoadBalancerClass small");
            });
  }

  @Test
  void withNoCandidateIpsStayAllocatedButUnannounced() {
    Snapshot settled = run(story(service("app", 3)));
    PlacementResult result =
        PlacementEngine.compute(settled.withFailedNodes(Set.of("front-0", "front-1", "front-2")));

    assertThat(result.services().get(key("app")).ips()).hasSize(3);
    assertThat(result.placements()).allSatisfy(p -> assertThat(p.nodeName()).isNull());
    assertThat(result.changesOf(Kind.UNANNOUNCED)).hasSize(3);
    assertThat(
            result
                .services()
                .get(key("app"))
                .condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED)
                .message())
        .isEqualTo("3 of 3 public IPs were assigned; 3 of them have no node to announce them");
    assertThat(result.classes().get("front").condition(Conditions.READY).reason())
        .isEqualTo(Reasons.NO_READY_NODES);
  }

  @Test
  void localTrafficPolicyPlacesOnlyOnNodesWithAReadyEndpoint() {
    ServiceInfo app =
        service("app", 2).withLocalEndpoints(Set.of("front-1", "front-2", "worker-0"));
    PlacementResult result = PlacementEngine.compute(story(app));
    assertThat(result.placements())
        .extracting(Placement::nodeName)
        .containsExactlyInAnyOrder("front-1", "front-2");

    Snapshot settled = Clusters.settle(story(app), result);
    ServiceInfo lostEndpoint = app.withLocalEndpoints(Set.of("front-2"));
    PlacementResult after =
        PlacementEngine.compute(
            settled.withServices(
                List.of(lostEndpoint.withIngressIps(settled.services().get(0).ingressIps()))));
    assertThat(after.placements()).extracting(Placement::nodeName).containsOnly("front-2");
    assertThat(after.changesOf(Kind.FAILED_OVER))
        .singleElement()
        .satisfies(c -> assertThat(c.message()).contains("front-1", "no ready local endpoint"));
  }

  @Test
  void loweringTheCountReleasesTheHighestIps() {
    Snapshot settled = run(story(service("app", 3)));
    PlacementResult result =
        PlacementEngine.compute(
            settled.withServices(
                List.of(
                    settled
                        .services()
                        .get(0)
                        .withAnnotations(Map.of(Annotations.EXTERNAL_IPS_COUNT, "1")))));
    assertThat(result.services().get(key("app")).ips())
        .extracting(Object::toString)
        .containsExactly("192.0.2.100");
    assertThat(result.changesOf(Kind.RELEASED))
        .extracting(c -> c.ip().toString())
        .containsExactlyInAnyOrder("192.0.2.101", "192.0.2.102");
  }

  @Test
  void explicitIpsAreHonouredAndNeverStolen() {
    ServiceInfo holder = service("holder", Map.of(Annotations.LOAD_BALANCER_IPS, "192.0.2.120"));
    ServiceInfo auto = service("auto", 2);
    Snapshot settled = run(story(holder, auto));
    assertThat(PlacementEngine.compute(settled).services().get(key("holder")).ips())
        .containsExactly(IpAddress.parse("192.0.2.120"));

    ServiceInfo thief =
        service("thief", Map.of(Annotations.LOAD_BALANCER_IPS, "192.0.2.120,192.0.2.121"));
    List<ServiceInfo> services = new java.util.ArrayList<>(settled.services());
    services.add(thief);
    PlacementResult result = PlacementEngine.compute(settled.withServices(services));
    assertThat(result.services().get(key("holder")).ips())
        .containsExactly(IpAddress.parse("192.0.2.120"));
    assertThat(result.services().get(key("thief")).ips())
        .containsExactly(IpAddress.parse("192.0.2.121"));
    assertThat(result.changesOf(Kind.ALLOCATION_FAILED))
        .singleElement()
        .satisfies(c -> assertThat(c.message()).contains("192.0.2.120", "default/holder"));
  }

  @Test
  void servicesWithTheSameSharedKeyShareTheirIps() {
    ServiceInfo http =
        service(
            "http", Map.of(Annotations.SHARED_IP_KEY, "k", Annotations.EXTERNAL_IPS_COUNT, "2"));
    ServiceInfo dns =
        new ServiceInfo(
            key("dns"),
            "u",
            null,
            Map.of(Annotations.SHARED_IP_KEY, "k", Annotations.EXTERNAL_IPS_COUNT, "2"),
            false,
            Set.of(),
            List.of("UDP/53"),
            List.of());
    PlacementResult result = PlacementEngine.compute(story(http, dns));
    assertThat(result.services().get(key("http")).ips())
        .isEqualTo(result.services().get(key("dns")).ips())
        .hasSize(2);
    assertThat(result.placements()).hasSize(4);
    assertThat(result.services().get(key("dns")).problems()).isEmpty();
  }

  @Test
  void excludedAndUnavailableNodesNeverAnnounce() {
    Snapshot snapshot =
        story(service("app", 3))
            .mapNodes(
                n ->
                    switch (n.name()) {
                      case "front-0" ->
                          new NodeInfo(
                              n.name(),
                              Map.of(
                                  "node-role",
                                  "front",
                                  "node.kubernetes.io/exclude-from-external-load-balancers",
                                  ""),
                              true,
                              true,
                              false);
                      case "front-1" -> new NodeInfo(n.name(), n.labels(), true, true, true);
                      default -> n;
                    });
    PlacementResult result = PlacementEngine.compute(snapshot);
    assertThat(result.placements()).extracting(Placement::nodeName).containsOnly("front-2");
    assertThat(result.classes().get("front").readyNodes()).isEqualTo(1);
  }
}
