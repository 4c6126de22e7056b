package io.l2lb.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.pool.AddressPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of the placement engine over random clusters and random event sequences. After every
 * event the result is checked, then "written" (settled) as the operator would.
 */
class PlacementPropertiesTest {

  // ---- the random world ----------------------------------------------------------------

  /** Pools a class can switch between; some overlap other classes' pools on purpose. */
  private static final List<List<String>> POOLS =
      List.of(
          List.of("10.0.0.0/28"),
          List.of("10.0.1.10-10.0.1.17"),
          List.of("10.0.0.8-10.0.0.20", "2001:db8::/125"),
          List.of("2001:db8:1::10-2001:db8:1::1f"),
          List.of("10.0.2.0/30", "10.0.2.8/31"),
          List.of("10.0.3.1-10.0.3.3"));

  record ServiceSpec(
      String name,
      int classIndex,
      int count,
      boolean local,
      Set<Integer> endpointNodes,
      boolean shared) {}

  sealed interface Event
      permits FailNode, RecoverNode, AddService, RemoveService, Resize, ChangePool, LoseEndpoint {}

  record FailNode(int node) implements Event {}

  record RecoverNode(int node) implements Event {}

  record AddService(ServiceSpec spec) implements Event {}

  record RemoveService(int index) implements Event {}

  record Resize(int index, int count) implements Event {}

  record ChangePool(int classIndex, int pool) implements Event {}

  record LoseEndpoint(int index, int node) implements Event {}

  record World(
      int nodeCount,
      List<Boolean> roleA,
      List<Integer> classPools,
      List<ServiceSpec> services,
      List<Event> events) {}

  /** The mutable model the events act on. */
  static final class Model {
    final List<NodeInfo> nodes = new ArrayList<>();
    final List<Integer> classPools;
    final Map<String, ServiceSpec> services = new LinkedHashMap<>();

    Model(World w) {
      for (int i = 0; i < w.nodeCount(); i++) {
        nodes.add(NodeInfo.healthy("n" + i, Map.of("role", w.roleA().get(i) ? "a" : "b")));
      }
      classPools = new ArrayList<>(w.classPools());
      for (ServiceSpec s : w.services()) {
        services.put(s.name(), s);
      }
    }

    List<ClassInfo> classes() {
      List<ClassInfo> classes = new ArrayList<>();
      List<Map<String, String>> selectors =
          List.of(Map.of("role", "a"), Map.of("role", "b"), Map.of());
      for (int i = 0; i < classPools.size(); i++) {
        ClassInfo c =
            new ClassInfo(
                "c" + i, i == 0, "L2", POOLS.get(classPools.get(i)), selectors.get(i), List.of());
        classes.add(c);
      }
      return classes;
    }

    ServiceInfo service(ServiceSpec s) {
      Map<String, String> annotations = new HashMap<>();
      annotations.put(Annotations.EXTERNAL_IPS_COUNT, Integer.toString(s.count()));
      if (s.classIndex() > 0) {
        annotations.put(Annotations.CLASS, "c" + s.classIndex());
      }
      if (s.shared()) {
        annotations.put(Annotations.SHARED_IP_KEY, "shared");
      }
      Set<String> endpoints =
          s.endpointNodes().stream().map(i -> "n" + i).collect(Collectors.toSet());
      return new ServiceInfo(
          new ServiceKey("ns", s.name()),
          s.name(),
          null,
          annotations,
          s.local(),
          endpoints,
          List.of("TCP/" + (8000 + Math.abs(s.name().hashCode() % 1000))),
          List.of());
    }

    Snapshot snapshot(Snapshot previous) {
      Map<ServiceKey, List<String>> ingress = new HashMap<>();
      for (ServiceInfo s : previous.services()) {
        ingress.put(s.key(), s.ingressIps());
      }
      List<ServiceInfo> list = new ArrayList<>();
      for (ServiceSpec s : services.values()) {
        ServiceInfo info = service(s);
        list.add(info.withIngressIps(ingress.getOrDefault(info.key(), List.of())));
      }
      return new Snapshot(classes(), nodes, list, previous.announcements());
    }

    void apply(Event e) {
      if (e instanceof FailNode f) {
        nodes.set(f.node() % nodes.size(), nodes.get(f.node() % nodes.size()).withReady(false));
      } else if (e instanceof RecoverNode r) {
        nodes.set(
            r.node() % nodes.size(),
            nodes.get(r.node() % nodes.size()).withReady(true).withSpeakerAlive(true));
      } else if (e instanceof AddService a) {
        services.putIfAbsent(a.spec().name(), a.spec());
      } else if (e instanceof RemoveService r) {
        nth(r.index()).ifPresent(s -> services.remove(s.name()));
      } else if (e instanceof Resize r) {
        nth(r.index())
            .ifPresent(
                s ->
                    services.put(
                        s.name(),
                        new ServiceSpec(
                            s.name(),
                            s.classIndex(),
                            r.count(),
                            s.local(),
                            s.endpointNodes(),
                            s.shared())));
      } else if (e instanceof ChangePool c) {
        classPools.set(c.classIndex() % classPools.size(), c.pool());
      } else if (e instanceof LoseEndpoint l) {
        nth(l.index())
            .ifPresent(
                s -> {
                  Set<Integer> endpoints = new HashSet<>(s.endpointNodes());
                  endpoints.remove(l.node());
                  services.put(
                      s.name(),
                      new ServiceSpec(
                          s.name(), s.classIndex(), s.count(), s.local(), endpoints, s.shared()));
                });
      }
    }

    private java.util.Optional<ServiceSpec> nth(int index) {
      if (services.isEmpty()) return java.util.Optional.empty();
      return java.util.Optional.of(new ArrayList<>(services.values()).get(index % services.size()));
    }
  }

  @Provide
  Arbitrary<World> worlds() {
    Arbitrary<Integer> nodeCount = Arbitraries.integers().between(1, 7);
    Arbitrary<List<Boolean>> roles = Arbitraries.of(true, false).list().ofSize(7);
    Arbitrary<List<Integer>> pools =
        Arbitraries.integers().between(0, POOLS.size() - 1).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<List<ServiceSpec>> services =
        serviceSpecs().list().ofMaxSize(8).uniqueElements(ServiceSpec::name);
    Arbitrary<List<Event>> events = events().list().ofMinSize(1).ofMaxSize(8);
    return Combinators.combine(nodeCount, roles, pools, services, events).as(World::new);
  }

  private Arbitrary<ServiceSpec> serviceSpecs() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'e').ofLength(2);
    Arbitrary<Integer> cls = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 5);
    Arbitrary<Boolean> local = Arbitraries.of(true, false, false);
    Arbitrary<Set<Integer>> endpoints = Arbitraries.integers().between(0, 6).set().ofMaxSize(7);
    Arbitrary<Boolean> shared = Arbitraries.of(false, false, false, true);
    // Shared-key Services use Cluster traffic policy: sharing only makes sense for Services of one
    // set of nodes.
    return Combinators.combine(name, cls, count, local, endpoints, shared)
        .as((n, c, k, l, e, s) -> new ServiceSpec(n, c, k, l && !s, e, s));
  }

  private Arbitrary<Event> events() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 10);
    return Arbitraries.oneOf(
        small.map(FailNode::new),
        small.map(RecoverNode::new),
        serviceSpecs().map(AddService::new),
        small.map(RemoveService::new),
        Combinators.combine(small, Arbitraries.integers().between(1, 5)).as(Resize::new),
        Combinators.combine(small, Arbitraries.integers().between(0, POOLS.size() - 1))
            .as(ChangePool::new),
        Combinators.combine(small, Arbitraries.integers().between(0, 6)).as(LoseEndpoint::new));
  }

  // ---- properties ----------------------------------------------------------------------

  @Property(tries = 300)
  void invariantsHoldAfterEveryEvent(@ForAll("worlds") World world) {
    Model model = new Model(world);
    Snapshot settled = Clusters.run(model.snapshot(emptySnapshot()));
    checkInvariants(settled, PlacementEngine.compute(settled));
    for (Event event : world.events()) {
      model.apply(event);
      Snapshot next = model.snapshot(settled);
      PlacementResult result = PlacementEngine.compute(next);
      checkInvariants(next, result);
      checkOnlyNecessaryMoves(next, result);
      settled = Clusters.settle(next, result);
    }
  }

  @Property(tries = 200)
  void recomputeFromEmptyBalancesEachClassWithinOne(@ForAll("worlds") World world) {
    Model model = new Model(world);
    for (Event e : world.events()) {
      model.apply(e);
    }
    Snapshot snapshot = model.snapshot(emptySnapshot());
    PlacementResult result = PlacementEngine.compute(snapshot);
    for (ClassInfo c : snapshot.classes()) {
      boolean allCluster =
          snapshot.services().stream()
              .filter(
                  s ->
                      c.name()
                          .equals(
                              Objects.requireNonNullElse(result.services().get(s.key()), EMPTY)
                                  .className()))
              .noneMatch(ServiceInfo::localTrafficPolicy);
      List<String> candidates =
          snapshot.nodes().stream()
              .filter(n -> n.healthy() && c.selects(n.labels()))
              .map(NodeInfo::name)
              .toList();
      if (!allCluster || candidates.isEmpty()) {
        continue;
      }
      Map<String, Set<String>> ipsByNode = new TreeMap<>();
      candidates.forEach(n -> ipsByNode.put(n, new HashSet<>()));
      for (Placement p : result.placements()) {
        if (p.className().equals(c.name())) {
          assertThat(p.nodeName()).as("every IP of class %s is placed", c.name()).isIn(candidates);
          ipsByNode.get(p.nodeName()).add(p.ip().toString());
        }
      }
      int max = ipsByNode.values().stream().mapToInt(Set::size).max().orElse(0);
      int min = ipsByNode.values().stream().mapToInt(Set::size).min().orElse(0);
      assertThat(max - min)
          .as("load per node in class %s: %s", c.name(), ipsByNode)
          .isLessThanOrEqualTo(1);
    }
  }

  @Property(tries = 200)
  void inputOrderDoesNotMatter(@ForAll("worlds") World world, @ForAll long seed) {
    Model model = new Model(world);
    Snapshot settled = Clusters.run(model.snapshot(emptySnapshot()));
    for (Event e : world.events()) {
      model.apply(e);
    }
    Snapshot snapshot = model.snapshot(settled);
    Random random = new Random(seed);
    Snapshot shuffled =
        new Snapshot(
            shuffle(snapshot.classes(), random),
            shuffle(snapshot.nodes(), random),
            shuffle(snapshot.services(), random),
            shuffle(snapshot.announcements(), random));

    PlacementResult a = PlacementEngine.compute(snapshot);
    PlacementResult b = PlacementEngine.compute(shuffled);
    assertThat(b.placements()).isEqualTo(a.placements());
    assertThat(b.services()).isEqualTo(a.services());
    assertThat(b.classes()).isEqualTo(a.classes());
    assertThat(b.changes()).isEqualTo(a.changes());
  }

  /** update() after node events gives exactly what compute() gives. */
  @Property(tries = 300)
  void updateAfterNodeEventsEqualsFullCompute(@ForAll("worlds") World world) {
    Model model = new Model(world);
    Snapshot settled = Clusters.run(model.snapshot(emptySnapshot()));
    PlacementResult settledResult = PlacementEngine.compute(settled);
    for (Event event : world.events()) {
      if (!(event instanceof FailNode || event instanceof RecoverNode)) {
        continue;
      }
      model.apply(event);
      Snapshot next = settled.withNodes(List.copyOf(model.nodes));
      PlacementResult full = PlacementEngine.compute(next);
      PlacementResult updated = PlacementEngine.update(settled, settledResult, next);
      assertThat(new HashSet<>(updated.placements())).isEqualTo(new HashSet<>(full.placements()));
      assertThat(updated.services()).isEqualTo(full.services());
      assertThat(updated.classes()).isEqualTo(full.classes());
      assertThat(new HashSet<>(updated.changes())).isEqualTo(new HashSet<>(full.changes()));
      settled = Clusters.settle(next, full);
      settledResult = PlacementEngine.compute(settled);
    }
  }

  private static final ServiceOutcome EMPTY =
      new ServiceOutcome(new ServiceKey("-", "-"), "", 0, List.of(), List.of(), List.of());

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }

  private static Snapshot emptySnapshot() {
    return new Snapshot(List.of(), List.of(), List.of(), List.of());
  }

  private static void checkInvariants(Snapshot snapshot, PlacementResult result) {
    Map<String, ClassInfo> classes =
        snapshot.classes().stream().collect(Collectors.toMap(ClassInfo::name, c -> c));
    Map<ServiceKey, ServiceInfo> services =
        snapshot.services().stream().collect(Collectors.toMap(ServiceInfo::key, s -> s));
    Map<String, Set<String>> nodesByIp = new HashMap<>();
    Map<String, Set<ServiceKey>> servicesByIp = new HashMap<>();
    for (Placement p : result.placements()) {
      if (p.nodeName() != null) {
        nodesByIp.computeIfAbsent(p.ip().toString(), k -> new HashSet<>()).add(p.nodeName());
      }
      servicesByIp.computeIfAbsent(p.ip().toString(), k -> new HashSet<>()).add(p.service());
      AddressPool pool = AddressPool.parseLenient(classes.get(p.className()).addressPool()).pool();
      assertThat(pool.contains(p.ip()))
          .as("%s inside the pool of class %s", p.ip(), p.className())
          .isTrue();
    }
    nodesByIp.forEach(
        (ip, nodes) -> assertThat(nodes).as("nodes announcing %s", ip).hasSizeLessThanOrEqualTo(1));
    servicesByIp.forEach(
        (ip, holders) -> {
          if (holders.size() > 1) {
            Set<String> keys =
                holders.stream()
                    .map(k -> services.get(k).annotations().get(Annotations.SHARED_IP_KEY))
                    .collect(Collectors.toSet());
            assertThat(keys)
                .as("%s is held by %s, which must share one key", ip, holders)
                .hasSize(1)
                .doesNotContainNull();
          }
        });
    for (ServiceOutcome outcome : result.services().values()) {
      if (outcome.className() == null) {
        continue;
      }
      ServiceInfo service = services.get(outcome.key());
      ClassInfo c = classes.get(outcome.className());
      List<String> candidates =
          snapshot.nodes().stream()
              .filter(n -> n.healthy() && c.selects(n.labels()))
              .filter(
                  n ->
                      !service.localTrafficPolicy()
                          || service.readyEndpointNodes().contains(n.name()))
              .map(NodeInfo::name)
              .toList();
      List<String> placedOn =
          result.placementsOf(outcome.key()).stream().map(Placement::nodeName).toList();
      if (outcome.ips().size() <= candidates.size()) {
        assertThat(placedOn)
            .as("IPs of %s with candidates %s", outcome.key(), candidates)
            .doesNotContainNull()
            .doesNotHaveDuplicates();
      }
      assertThat(placedOn)
          .as("IPs of %s only on candidates", outcome.key())
          .allSatisfy(n -> assertThat(n == null || candidates.contains(n)).isTrue());
    }
  }

  /**
   * An IP changes node only when its node stopped being a candidate, or to restore one IP per node.
   */
  private static void checkOnlyNecessaryMoves(Snapshot snapshot, PlacementResult result) {
    Map<String, String> before = new HashMap<>();
    for (AnnouncementInfo a : snapshot.announcements()) {
      before.put(a.ip() + "|" + a.service(), a.nodeName());
    }
    Map<String, Change> rebalanced = new HashMap<>();
    for (Change c : result.changesOf(Change.Kind.REBALANCED)) {
      rebalanced.put(c.ip().toString(), c);
    }
    Map<String, NodeInfo> nodes =
        snapshot.nodes().stream().collect(Collectors.toMap(NodeInfo::name, n -> n));
    for (Placement p : result.placements()) {
      String was = before.get(p.ip() + "|" + p.service());
      if (was == null || was.equals(p.nodeName())) {
        continue;
      }
      NodeInfo old = nodes.get(was);
      ServiceInfo service =
          snapshot.services().stream()
              .filter(s -> s.key().equals(p.service()))
              .findFirst()
              .orElseThrow();
      ClassInfo c =
          snapshot.classes().stream()
              .filter(x -> x.name().equals(p.className()))
              .findFirst()
              .orElseThrow();
      boolean stillCandidate =
          old != null
              && old.healthy()
              && c.selects(old.labels())
              && (!service.localTrafficPolicy() || service.readyEndpointNodes().contains(was));
      if (stillCandidate) {
        assertThat(rebalanced)
            .as(
                "%s moved %s -> %s although %s is still a candidate",
                p.ip(), was, p.nodeName(), was)
            .containsKey(p.ip().toString());
        long ipsOfServiceOnTarget =
            result.placementsOf(p.service()).stream()
                .filter(q -> p.nodeName().equals(q.nodeName()))
                .count();
        assertThat(ipsOfServiceOnTarget)
            .as("a spread restore moves to a node holding no other IP of the Service")
            .isEqualTo(1);
      }
    }
  }
}
