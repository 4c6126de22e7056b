package io.l2lb.core.placement;

import static io.l2lb.core.placement.Clusters.FRONT;
import static io.l2lb.core.placement.Clusters.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.pool.IpAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the engine decides where classes conflict or go away (issue 8): two defaults (the oldest
 * wins, both are warned), overlapping pools (only the newer class is flagged, the older keeps the
 * shared addresses, nothing is handed out twice), a class deleted under its Services (they keep
 * everything until it returns or they name another class), a count larger than the pool (what
 * exists is assigned, and the complaint names the field), and class warnings in the Valid
 * condition.
 */
class ClassConflictsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final List<NodeInfo> NODES =
      List.of(
          NodeInfo.healthy("front-0", FRONT),
          NodeInfo.healthy("front-1", FRONT),
          NodeInfo.healthy("front-2", FRONT));

  static ServiceInfo svc(String name, String... annotations) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < annotations.length; i += 2) {
      a.put(annotations[i], annotations[i + 1]);
    }
    return ServiceInfo.of("default", name, a);
  }

  static ClassInfo cls(String name, int createdSecond, String... pool) {
    return ClassInfo.of(name, FRONT, pool).createdAt(T0.plusSeconds(createdSecond));
  }

  static List<String> ips(PlacementResult r, String service) {
    return r.services().get(key(service)).ips().stream().map(IpAddress::toString).toList();
  }

  // ---- two default classes ------------------------------------------------------------------

  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of("older by creation time, newer by name", 0, 1, "z-old"),
        Arguments.of("older by creation time, older by name", 1, 0, "a-new"),
        Arguments.of("same second: the name decides", 0, 0, "a-new"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void ofTwoDefaultClassesTheOldestWinsAndBothAreWarned(
      String title, int zCreated, int aCreated, String winner) {
    ClassInfo z = cls("z-old", zCreated, "192.0.2.10-192.0.2.19").asDefault();
    ClassInfo a = cls("a-new", aCreated, "198.51.100.10-198.51.100.19").asDefault();
    PlacementResult r =
        PlacementEngine.compute(new Snapshot(List.of(z, a), NODES, List.of(svc("app")), List.of()));

    assertThat(r.services().get(key("app")).className()).isEqualTo(winner);
    String loser = winner.equals("z-old") ? "a-new" : "z-old";
    for (String name : List.of("z-old", "a-new")) {
      ConditionState valid = r.classes().get(name).condition(Conditions.VALID);
      assertThat(valid.status()).as("a warning, not an error").isTrue();
      assertThat(valid.message())
          .isEqualTo(
              "spec is valid; warning: spec.isDefault: classes "
                  + winner
                  + ", "
                  + loser
                  + " are all default; Services without a class use "
                  + winner
                  + " (the oldest). Set isDefault: false on all but one");
    }
    assertThat(ClassResolution.defaultClass(List.of(z, a))).isEqualTo(winner);
  }

  // ---- overlapping pools --------------------------------------------------------------------

  /** Older "z-old" 192.0.2.60-69, newer "a-new" 192.0.2.65-74: 65-69 belong to z-old. */
  static Snapshot overlap(List<ServiceInfo> services, List<AnnouncementInfo> held) {
    return new Snapshot(
        List.of(cls("z-old", 0, "192.0.2.60-192.0.2.69"), cls("a-new", 1, "192.0.2.65-192.0.2.74")),
        NODES,
        services,
        held);
  }

  @Test
  void overlappingPoolsFlagOnlyTheNewerClassAndTheOlderKeepsTheSharedAddresses() {
    // "new" sorts first and would have taken the shared addresses first
    PlacementResult r =
        PlacementEngine.compute(
            overlap(
                List.of(
                    svc("new", Annotations.CLASS, "a-new", Annotations.EXTERNAL_IPS_COUNT, "8"),
                    svc("old", Annotations.CLASS, "z-old", Annotations.EXTERNAL_IPS_COUNT, "8")),
                List.of()));

    ConditionState newer = r.classes().get("a-new").condition(Conditions.VALID);
    assertThat(newer.status()).isFalse();
    assertThat(newer.reason()).isEqualTo(Reasons.POOL_OVERLAP);
    assertThat(newer.message())
        .isEqualTo(
            "spec.addressPool: entry 192.0.2.65-192.0.2.74 overlaps entry 192.0.2.60-192.0.2.69 of"
                + " class z-old, which is older and keeps the addresses they share; remove them"
                + " from this pool: pools of different classes must not overlap");
    assertThat(r.classes().get("z-old").condition(Conditions.VALID))
        .isEqualTo(new ConditionState(Conditions.VALID, true, Reasons.VALID, "spec is valid"));

    assertThat(ips(r, "old"))
        .containsExactly(
            "192.0.2.60",
            "192.0.2.61",
            "192.0.2.62",
            "192.0.2.63",
            "192.0.2.64",
            "192.0.2.65",
            "192.0.2.66",
            "192.0.2.67");
    assertThat(ips(r, "new"))
        .containsExactly("192.0.2.70", "192.0.2.71", "192.0.2.72", "192.0.2.73", "192.0.2.74");
    ConditionState assigned =
        r.services().get(key("new")).condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED);
    assertThat(assigned.reason()).isEqualTo(Reasons.POOL_EXHAUSTED);
    assertThat(assigned.message())
        .startsWith(
            "5 of 8 public IPs were assigned; the pool of class a-new has only 5 addresses that no"
                + " older class shares");
    ClassOutcome newerCounts = r.classes().get("a-new");
    assertThat(newerCounts.totalSaturated()).isEqualTo(10);
    assertThat(newerCounts.free()).as("what it can still hand out").isZero();
  }

  @Test
  void theNewerClassKeepsWhatItHoldsInTheOverlapButGetsNothingNewThere() {
    ServiceInfo held = svc("held", Annotations.CLASS, "a-new");
    ServiceInfo asks =
        svc("asks", Annotations.CLASS, "a-new", Annotations.LOAD_BALANCER_IPS, "192.0.2.66");
    PlacementResult r =
        PlacementEngine.compute(
            overlap(
                List.of(held, asks),
                List.of(new AnnouncementInfo("192.0.2.68", "front-0", key("held"), "a-new"))));

    assertThat(ips(r, "held")).as("nothing taken away").containsExactly("192.0.2.68");
    assertThat(ips(r, "asks")).isEmpty();
    assertThat(r.changesOf(Kind.ALLOCATION_FAILED))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.message())
                    .isEqualTo(
                        Annotations.LOAD_BALANCER_IPS
                            + ": 192.0.2.66 is also in the pool of the older class z-old, which"
                            + " keeps the addresses the two pools share; pick an address only"
                            + " class a-new has"));
  }

  // ---- a class deleted under its Services ---------------------------------------------------

  static Stream<Arguments> askingForTheDeletedClass() {
    return Stream.of(
        Arguments.of("spec.loadBalancerClass", svc("app").withLoadBalancerClass("gone")),
        Arguments.of("annotation", svc("app", Annotations.CLASS, "gone")),
        Arguments.of("legacy annotation", svc("app", Annotations.LEGACY_CLASS, "gone")),
        Arguments.of("as the default it was bound to, another default now", svc("app")));
  }

  static final List<AnnouncementInfo> HELD =
      List.of(
          new AnnouncementInfo("192.0.2.80", "front-0", key("app"), "gone", List.of("eth1")),
          new AnnouncementInfo("192.0.2.81", "ghost-node", key("app"), "gone", List.of("eth1")));

  /** "gone" was deleted; "other" (default) and "wide" (whose pool covers the held IPs) exist. */
  static Snapshot deleted(ServiceInfo app, ServiceInfo... more) {
    List<ServiceInfo> services = new java.util.ArrayList<>();
    services.add(app.withIngressIps(List.of("192.0.2.80", "192.0.2.81", "192.0.2.82")));
    services.addAll(List.of(more));
    return new Snapshot(
        List.of(
            cls("other", 0, "198.51.100.0/28").asDefault(),
            cls("wide", 1, "192.0.2.80-192.0.2.89")),
        NODES,
        services,
        HELD);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("askingForTheDeletedClass")
  void aServiceOfADeletedClassKeepsItsIpsAndAnnouncementsAsTheyAre(String how, ServiceInfo app) {
    ServiceInfo rival =
        svc("rival", Annotations.CLASS, "wide", Annotations.EXTERNAL_IPS_COUNT, "3");
    PlacementResult r = PlacementEngine.compute(deleted(app, rival));

    ServiceOutcome o = r.services().get(key("app"));
    assertThat(o.className()).isNull();
    assertThat(ips(r, "app")).containsExactly("192.0.2.80", "192.0.2.81", "192.0.2.82");
    assertThat(r.placementsOf(key("app")))
        .as("word for word, no failover (ghost-node is no node at all)")
        .containsExactly(
            new Placement(
                IpAddress.parse("192.0.2.80"), "front-0", key("app"), "gone", List.of("eth1")),
            new Placement(
                IpAddress.parse("192.0.2.81"), "ghost-node", key("app"), "gone", List.of("eth1")));
    assertThat(o.conditions())
        .containsExactly(
            new ConditionState(
                Conditions.SERVICE_CLASS,
                false,
                Reasons.CLASS_NOT_FOUND,
                "MetalLoadBalancerClass gone does not exist; the Service keeps its 3 public IPs and"
                    + " their announcements (without failover) until a class named gone exists"
                    + " again or the Service names another class"),
            new ConditionState(
                Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                false,
                Reasons.CLASS_NOT_FOUND,
                "3 of 3 public IPs were kept; their class gone does not exist"));
    assertThat(r.changesOf(Kind.CLASS_NOT_FOUND))
        .singleElement()
        .satisfies(c -> assertThat(c.standing()).isTrue());
    assertThat(r.changesOf(Kind.RELEASED)).isEmpty();
    assertThat(ips(r, "rival"))
        .as("an orphan's IPs stay taken, whichever pool contains them")
        .containsExactly("192.0.2.83", "192.0.2.84", "192.0.2.85");

    // settled and computed again: the same, nothing new
    Snapshot settled = Clusters.settle(deleted(app, rival), r);
    PlacementResult again = PlacementEngine.compute(settled);
    assertThat(again.placements()).isEqualTo(r.placements());
    assertThat(again.changes()).allMatch(Change::standing);
  }

  @Test
  void theClassReturningTakesTheServiceBackWithItsIps() {
    ServiceInfo app = svc("app", Annotations.CLASS, "gone", Annotations.EXTERNAL_IPS_COUNT, "3");
    Snapshot back = deleted(app).withClasses(List.of(cls("gone", 5, "192.0.2.80-192.0.2.89")));
    PlacementResult r = PlacementEngine.compute(back);
    ServiceOutcome o = r.services().get(key("app"));
    assertThat(o.className()).isEqualTo("gone");
    assertThat(ips(r, "app")).containsExactly("192.0.2.80", "192.0.2.81", "192.0.2.82");
    assertThat(o.condition(Conditions.SERVICE_CLASS).reason()).isEqualTo(Reasons.CLASS_BOUND);
    assertThat(r.placementOf(IpAddress.parse("192.0.2.80")).orElseThrow().nodeName())
        .as("placed by the class again: stays where it was")
        .isEqualTo("front-0");
  }

  static Stream<Arguments> changedServices() {
    return Stream.of(
        Arguments.of(
            "names another class by annotation",
            svc("app", Annotations.CLASS, "other"),
            "other",
            true),
        Arguments.of(
            "names another class by spec",
            svc("app").withLoadBalancerClass("other"),
            "other",
            true),
        Arguments.of(
            "spec names a class that is not ours: never ours",
            svc("app").withLoadBalancerClass("example.com/lb"),
            null,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changedServices")
  void aServiceThatNamesAnotherClassLeavesTheDeletedOne(
      String how, ServiceInfo app, String boundTo, boolean releases) {
    PlacementResult r = PlacementEngine.compute(deleted(app));
    ServiceOutcome o = r.services().get(key("app"));
    if (boundTo == null) {
      assertThat(o).isNull();
    } else {
      assertThat(o.className()).isEqualTo(boundTo);
      assertThat(ips(r, "app")).allSatisfy(ip -> assertThat(ip).startsWith("198.51.100."));
    }
    assertThat(r.changesOf(Kind.RELEASED).stream().map(c -> c.ip().toString()))
        .containsExactlyInAnyOrder("192.0.2.80", "192.0.2.81", "192.0.2.82");
  }

  @Test
  void anAnnotationNamingAnotherMissingClassKeepsTheIpsAndSaysWhy() {
    PlacementResult r = PlacementEngine.compute(deleted(svc("app", Annotations.CLASS, "typo")));
    ServiceOutcome o = r.services().get(key("app"));
    assertThat(ips(r, "app")).hasSize(3);
    assertThat(o.condition(Conditions.SERVICE_CLASS).message())
        .contains("MetalLoadBalancerClass gone does not exist")
        .contains(
            Annotations.CLASS + ": names MetalLoadBalancerClass \"typo\", which does not exist");
  }

  // ---- a count larger than the pool ---------------------------------------------------------

  @Test
  void aCountLargerThanThePoolGetsWhatExistsAndSaysWhichField() {
    ServiceInfo app = svc("app", Annotations.EXTERNAL_IPS_COUNT, "100");
    Snapshot snapshot =
        new Snapshot(
            List.of(cls("small", 0, "192.0.2.10-192.0.2.13").asDefault()),
            NODES,
            List.of(app.withIngressIps(List.of("192.0.2.12"))),
            List.of(new AnnouncementInfo("192.0.2.12", "front-1", key("app"), "small")));
    PlacementResult r = PlacementEngine.compute(snapshot);

    assertThat(ips(r, "app"))
        .as("keeps what it had, and gets the rest of the pool")
        .containsExactly("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13");
    assertThat(r.placementOf(IpAddress.parse("192.0.2.12")).orElseThrow().nodeName())
        .isEqualTo("front-1");
    assertThat(r.services().get(key("app")).condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED))
        .isEqualTo(
            new ConditionState(
                Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                false,
                Reasons.POOL_EXHAUSTED,
                "4 of 100 public IPs were assigned; the pool of class small has only 4 addresses;"
                    + " lower "
                    + Annotations.EXTERNAL_IPS_COUNT
                    + " or add addresses to spec.addressPool of MetalLoadBalancerClass small"));
    assertThat(r.changesOf(Kind.ALLOCATION_FAILED))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.message())
                    .isEqualTo(
                        Annotations.EXTERNAL_IPS_COUNT
                            + ": 4 of 100 public IPs assigned: the pool of class small has only 4"
                            + " addresses; lower the count, or add addresses to spec.addressPool"
                            + " of MetalLoadBalancerClass small"));
    assertThat(r.changesOf(Kind.INVALID_ANNOTATION)).as("not an invalid annotation").isEmpty();
  }

  // ---- class warnings reach the Valid condition ---------------------------------------------

  @Test
  void aSelectorMatchingNoNodeIsAWarningInTheValidCondition() {
    ClassInfo edge =
        ClassInfo.of("edge", Map.of("node-role", "edge"), "192.0.2.0/28").createdAt(T0);
    PlacementResult r =
        PlacementEngine.compute(new Snapshot(List.of(edge), NODES, List.of(), List.of()));
    ClassOutcome o = r.classes().get("edge");
    assertThat(o.condition(Conditions.VALID))
        .isEqualTo(
            new ConditionState(
                Conditions.VALID,
                true,
                Reasons.VALID,
                "spec is valid; warning: spec.nodeSelector: selector {node-role=edge} matches no"
                    + " node; label the balancer nodes (kubectl label node NAME node-role=edge) or"
                    + " change the selector"));
    assertThat(o.condition(Conditions.READY).reason()).isEqualTo(Reasons.NO_NODES_SELECTED);
    assertThat(o.check().warnings()).hasSize(1);
  }
}
