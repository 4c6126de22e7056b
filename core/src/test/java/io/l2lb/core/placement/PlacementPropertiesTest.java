package io.l2lb.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.validation.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import net.jqwik.api.Tuple;

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

  /** Class i selects role a, role b, everything. */
  private static final List<Map<String, String>> SELECTORS =
      List.of(Map.of("role", "a"), Map.of("role", "b"), Map.of());

  private static final java.time.Instant T0 = java.time.Instant.parse("2026-01-01T00:00:00Z");

  /** An invalid count: a Service carrying it keeps what it has. */
  private static final String BROKEN_COUNT = "many";

  /** Node ids are 0..MAX_NODE_ID; endpoints and events refer to them. */
  private static final int MAX_NODE_ID = 9;

  record ServiceSpec(
      String name,
      int classIndex,
      int count,
      boolean local,
      Set<Integer> endpointNodes,
      boolean shared,
      boolean broken) {
    ServiceSpec withCount(int value) {
      return new ServiceSpec(name, classIndex, value, local, endpointNodes, shared, broken);
    }

    ServiceSpec withEndpoints(Set<Integer> value) {
      return new ServiceSpec(name, classIndex, count, local, value, shared, broken);
    }

    ServiceSpec withBroken(boolean value) {
      return new ServiceSpec(name, classIndex, count, local, endpointNodes, shared, value);
    }
  }

  /** A node as the model holds it; role null selects only the select-all class. */
  record NodeSpec(
      int id,
      String role,
      boolean ready,
      boolean speakerAlive,
      boolean networkUnavailable,
      boolean excluded) {
    NodeInfo info() {
      Map<String, String> labels = new HashMap<>();
      if (role != null) {
        labels.put("role", role);
      }
      if (excluded) {
        labels.put(Names.Labels.EXCLUDE_FROM_LB, "");
      }
      return new NodeInfo("n" + id, labels, ready, speakerAlive, networkUnavailable);
    }
  }

  /** An event; {@link #fastPath} ones are what {@code update} must handle without compute. */
  interface Event {
    default boolean fastPath() {
      return false;
    }
  }

  /** Events on one node (index modulo the current node count). */
  interface NodeEvent extends Event {
    int node();

    NodeSpec apply(NodeSpec n);

    @Override
    default boolean fastPath() {
      return true;
    }
  }

  record FailNode(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(
          n.id(), n.role(), false, n.speakerAlive(), n.networkUnavailable(), n.excluded());
    }
  }

  record RecoverNode(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(n.id(), n.role(), true, true, n.networkUnavailable(), n.excluded());
    }
  }

  record KillSpeaker(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(n.id(), n.role(), n.ready(), false, n.networkUnavailable(), n.excluded());
    }
  }

  record ReviveSpeaker(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(n.id(), n.role(), n.ready(), true, n.networkUnavailable(), n.excluded());
    }
  }

  /** Moves the node in or out of class selectors (role a, b or none). */
  record Relabel(int node, String role) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(
          n.id(), role, n.ready(), n.speakerAlive(), n.networkUnavailable(), n.excluded());
    }
  }

  record ToggleNetworkUnavailable(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(
          n.id(), n.role(), n.ready(), n.speakerAlive(), !n.networkUnavailable(), n.excluded());
    }
  }

  record ToggleExcluded(int node) implements NodeEvent {
    public NodeSpec apply(NodeSpec n) {
      return new NodeSpec(
          n.id(), n.role(), n.ready(), n.speakerAlive(), n.networkUnavailable(), !n.excluded());
    }
  }

  record RemoveNode(int node) implements Event {
    @Override
    public boolean fastPath() {
      return true;
    }
  }

  record AddNode(String role) implements Event {
    @Override
    public boolean fastPath() {
      return true;
    }
  }

  /** New ready endpoints for a Service: an EndpointSlice change (read only under Local policy). */
  record ChangeEndpoints(int index, Set<Integer> nodes) implements Event {
    @Override
    public boolean fastPath() {
      return true;
    }
  }

  record LoseEndpoint(int index, int node) implements Event {
    @Override
    public boolean fastPath() {
      return true;
    }
  }

  record AddService(ServiceSpec spec) implements Event {}

  record RemoveService(int index) implements Event {}

  record Resize(int index, int count) implements Event {}

  /** Breaks or repairs the count annotation of a Service. */
  record ToggleBroken(int index) implements Event {}

  record ChangePool(int classIndex, int pool) implements Event {}

  /** Deletes class i (modulo the class count): its Services keep what they hold. */
  record DeleteClass(int classIndex) implements Event {}

  /** Creates class i again (if deleted), newer than every other class. */
  record RestoreClass(int classIndex) implements Event {}

  /**
   * @param ages per class, its creation second (ties: the name decides): which class is older
   *     decides the default and who keeps overlapping addresses
   */
  record World(
      int nodeCount,
      List<String> roles,
      List<Integer> classPools,
      List<Integer> ages,
      List<ServiceSpec> services,
      List<Event> events) {}

  /** The mutable model the events act on. */
  static final class Model {
    final List<NodeSpec> nodes = new ArrayList<>();
    final List<Integer> classPools;
    final List<Integer> ages;
    final Set<Integer> deleted = new HashSet<>();
    final Map<String, ServiceSpec> services = new LinkedHashMap<>();

    Model(World w) {
      for (int i = 0; i < w.nodeCount(); i++) {
        nodes.add(new NodeSpec(i, w.roles().get(i), true, true, false, false));
      }
      classPools = new ArrayList<>(w.classPools());
      ages = new ArrayList<>(w.ages().subList(0, classPools.size()));
      for (ServiceSpec s : w.services()) {
        services.put(s.name(), s);
      }
    }

    List<ClassInfo> classes() {
      List<ClassInfo> classes = new ArrayList<>();
      for (int i = 0; i < classPools.size(); i++) {
        if (deleted.contains(i)) {
          continue;
        }
        classes.add(
            new ClassInfo(
                "c" + i,
                i == 0,
                "L2",
                POOLS.get(classPools.get(i)),
                SELECTORS.get(i),
                List.of(),
                T0.plusSeconds(ages.get(i))));
      }
      return classes;
    }

    List<NodeInfo> nodeInfos() {
      return nodes.stream().map(NodeSpec::info).toList();
    }

    ServiceInfo service(ServiceSpec s) {
      Map<String, String> annotations = new HashMap<>();
      annotations.put(
          Annotations.EXTERNAL_IPS_COUNT, s.broken() ? BROKEN_COUNT : Integer.toString(s.count()));
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
      return new Snapshot(classes(), nodeInfos(), list, previous.announcements());
    }

    void apply(Event e) {
      if (e instanceof NodeEvent ne) {
        if (!nodes.isEmpty()) {
          int i = ne.node() % nodes.size();
          nodes.set(i, ne.apply(nodes.get(i)));
        }
      } else if (e instanceof RemoveNode r) {
        if (!nodes.isEmpty()) {
          nodes.remove(r.node() % nodes.size());
        }
      } else if (e instanceof AddNode a) {
        Set<Integer> used = nodes.stream().map(NodeSpec::id).collect(Collectors.toSet());
        for (int id = 0; id <= MAX_NODE_ID; id++) {
          if (!used.contains(id)) {
            nodes.add(new NodeSpec(id, a.role(), true, true, false, false));
            break;
          }
        }
      } else if (e instanceof ChangeEndpoints c) {
        nth(c.index()).ifPresent(s -> services.put(s.name(), s.withEndpoints(c.nodes())));
      } else if (e instanceof LoseEndpoint l) {
        nth(l.index())
            .ifPresent(
                s -> {
                  Set<Integer> endpoints = new HashSet<>(s.endpointNodes());
                  endpoints.remove(l.node());
                  services.put(s.name(), s.withEndpoints(endpoints));
                });
      } else if (e instanceof AddService a) {
        services.putIfAbsent(a.spec().name(), a.spec());
      } else if (e instanceof RemoveService r) {
        nth(r.index()).ifPresent(s -> services.remove(s.name()));
      } else if (e instanceof Resize r) {
        nth(r.index()).ifPresent(s -> services.put(s.name(), s.withCount(r.count())));
      } else if (e instanceof ToggleBroken t) {
        nth(t.index()).ifPresent(s -> services.put(s.name(), s.withBroken(!s.broken())));
      } else if (e instanceof ChangePool c) {
        classPools.set(c.classIndex() % classPools.size(), c.pool());
      } else if (e instanceof DeleteClass d) {
        deleted.add(d.classIndex() % classPools.size());
      } else if (e instanceof RestoreClass r) {
        int i = r.classIndex() % classPools.size();
        if (deleted.remove(i)) {
          ages.set(i, Collections.max(ages) + 1);
        }
      }
    }

    private Optional<ServiceSpec> nth(int index) {
      if (services.isEmpty()) return Optional.empty();
      return Optional.of(new ArrayList<>(services.values()).get(index % services.size()));
    }
  }

  @Provide
  Arbitrary<World> worlds() {
    return worlds(events());
  }

  /** Mostly what update() must handle on its fast path, with other events mixed in. */
  @Provide
  Arbitrary<World> nodeEventWorlds() {
    return worlds(
        Arbitraries.frequencyOf(
            Tuple.of(6, nodeEvents()), Tuple.of(2, endpointEvents()), Tuple.of(1, otherEvents())));
  }

  private Arbitrary<World> worlds(Arbitrary<Event> eventArbitrary) {
    Arbitrary<Integer> nodeCount = Arbitraries.integers().between(1, 7);
    Arbitrary<List<String>> roles = roles().list().ofSize(7);
    Arbitrary<List<Integer>> pools =
        Arbitraries.integers().between(0, POOLS.size() - 1).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<List<Integer>> ages = Arbitraries.integers().between(0, 3).list().ofSize(3);
    Arbitrary<List<ServiceSpec>> services =
        serviceSpecs().list().ofMaxSize(8).uniqueElements(ServiceSpec::name);
    Arbitrary<List<Event>> events = eventArbitrary.list().ofMinSize(1).ofMaxSize(10);
    return Combinators.combine(nodeCount, roles, pools, ages, services, events).as(World::new);
  }

  private Arbitrary<String> roles() {
    return Arbitraries.of("a", "b", "a", "b", "-").map(r -> r.equals("-") ? null : r);
  }

  private Arbitrary<ServiceSpec> serviceSpecs() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'e').ofLength(2);
    Arbitrary<Integer> cls = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 5);
    Arbitrary<Boolean> local = Arbitraries.of(true, false, false);
    Arbitrary<Set<Integer>> endpoints = endpointSets();
    Arbitrary<Boolean> shared = Arbitraries.of(false, false, false, true);
    Arbitrary<Boolean> broken = Arbitraries.of(false, false, false, false, false, true);
    // Shared-key Services use Cluster traffic policy: sharing only makes sense for Services of one
    // set of nodes.
    return Combinators.combine(name, cls, count, local, endpoints, shared, broken)
        .as((n, c, k, l, e, s, b) -> new ServiceSpec(n, c, k, l && !s, e, s, b));
  }

  private Arbitrary<Set<Integer>> endpointSets() {
    return Arbitraries.integers().between(0, MAX_NODE_ID).set().ofMaxSize(8);
  }

  private Arbitrary<Event> events() {
    return Arbitraries.oneOf(nodeEvents(), endpointEvents(), otherEvents());
  }

  private Arbitrary<Event> nodeEvents() {
    Arbitrary<Integer> node = Arbitraries.integers().between(0, 10);
    return Arbitraries.oneOf(
        node.map(FailNode::new),
        node.map(RecoverNode::new),
        node.map(KillSpeaker::new),
        node.map(ReviveSpeaker::new),
        Combinators.combine(node, roles()).as(Relabel::new),
        node.map(ToggleNetworkUnavailable::new),
        node.map(ToggleExcluded::new),
        node.map(RemoveNode::new),
        roles().map(AddNode::new));
  }

  private Arbitrary<Event> endpointEvents() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 10);
    return Arbitraries.oneOf(
        Combinators.combine(index, endpointSets()).as(ChangeEndpoints::new),
        Combinators.combine(index, Arbitraries.integers().between(0, MAX_NODE_ID))
            .as(LoseEndpoint::new));
  }

  private Arbitrary<Event> otherEvents() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 10);
    return Arbitraries.oneOf(
        serviceSpecs().map(AddService::new),
        index.map(RemoveService::new),
        Combinators.combine(index, Arbitraries.integers().between(1, 5)).as(Resize::new),
        index.map(ToggleBroken::new),
        Combinators.combine(index, Arbitraries.integers().between(0, POOLS.size() - 1))
            .as(ChangePool::new),
        index.map(DeleteClass::new),
        index.map(RestoreClass::new));
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
      checkEveryMoveIsReported(next, result);
      settled = Clusters.settle(next, result);
    }
  }

  /** Compute on a settled result changes nothing: same placements, no changes but complaints. */
  @Property(tries = 300)
  void computeOnASettledResultChangesNothing(@ForAll("worlds") World world) {
    Model model = new Model(world);
    Snapshot snapshot = model.snapshot(emptySnapshot());
    List<Event> events = new ArrayList<>(world.events());
    events.add(0, null); // the first round: from empty
    Snapshot settled = emptySnapshot();
    for (Event event : events) {
      if (event != null) {
        model.apply(event);
        snapshot = model.snapshot(settled);
      }
      PlacementResult result = PlacementEngine.compute(snapshot);
      settled = Clusters.settle(snapshot, result);
      PlacementResult again = PlacementEngine.compute(settled);

      assertThat(again.placements()).as("placements").isEqualTo(result.placements());
      assertThat(again.services()).as("service outcomes").isEqualTo(result.services());
      assertThat(again.classes()).as("class outcomes").isEqualTo(result.classes());
      assertThat(again.changes())
          .as("a settled state gets only the complaints that stand")
          .allMatch(Change::standing)
          .isEqualTo(result.changes().stream().filter(Change::standing).toList());
      assertThat(Clusters.settle(settled, again)).as("settled again").isEqualTo(settled);
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
    assertThat(List.copyOf(b.services().keySet())).isEqualTo(List.copyOf(a.services().keySet()));
    assertThat(b.classes()).isEqualTo(a.classes());
    assertThat(b.changes()).isEqualTo(a.changes());
    assertThat(b).isEqualTo(a);
  }

  /**
   * update() gives exactly what compute() gives, in the same order, used as the operator uses it:
   * the previous argument is the result it applied last (itself from update), not a recomputation.
   * Node and endpoint events must take the fast path, or this property would prove nothing.
   */
  @Property(tries = 400)
  void updateEqualsComputeAfterEveryEvent(@ForAll("nodeEventWorlds") World world) {
    Model model = new Model(world);
    Snapshot first = model.snapshot(emptySnapshot());
    PlacementResult applied = PlacementEngine.compute(first);
    Snapshot settled = Clusters.settle(first, applied);
    boolean reversed = false;
    for (Event event : world.events()) {
      model.apply(event);
      Snapshot next = model.snapshot(settled);
      // Every other step lists the nodes the other way round: order must not matter, and update
      // has one path for lists that line up and one for lists that do not.
      reversed = !reversed;
      if (reversed) {
        List<NodeInfo> nodes = new ArrayList<>(next.nodes());
        Collections.reverse(nodes);
        next = next.withNodes(nodes);
      }
      if (event.fastPath()) {
        assertThat(IncrementalUpdate.takesFastPath(settled, next))
            .as("%s takes the fast path", event)
            .isTrue();
      }
      PlacementResult full = PlacementEngine.compute(next);
      PlacementResult updated = PlacementEngine.update(settled, applied, next);
      assertThat(updated.placements())
          .as("placements after %s", event)
          .isEqualTo(full.placements());
      assertThat(updated.services()).as("services after %s", event).isEqualTo(full.services());
      assertThat(updated.classes()).as("classes after %s", event).isEqualTo(full.classes());
      assertThat(updated.changes()).as("changes after %s", event).isEqualTo(full.changes());
      assertThat(updated).isEqualTo(full);
      settled = Clusters.settle(next, updated);
      applied = updated;
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
      if (!classes.containsKey(p.className())) {
        continue; // an orphan's announcement, checked below
      }
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
    checkOrphans(snapshot, result);
    checkOlderClassesKeepSharedAddresses(snapshot, result);
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
      checkOwnCondition(snapshot, result, outcome, service);
    }
  }

  /**
   * A Service whose class was deleted keeps exactly what it holds, its announcements come back as
   * they are, and nobody else holds any of its IPs.
   */
  private static void checkOrphans(Snapshot snapshot, PlacementResult result) {
    Set<String> classNames =
        snapshot.classes().stream().map(ClassInfo::name).collect(Collectors.toSet());
    for (ServiceOutcome o : result.services().values()) {
      ConditionState bound = o.condition(Conditions.SERVICE_CLASS);
      if (o.className() != null || o.ips().isEmpty()) {
        continue;
      }
      assertThat(bound.reason()).isEqualTo(Reasons.CLASS_NOT_FOUND);
      assertThat(o.ips().stream().map(Object::toString).collect(Collectors.toSet()))
          .as("an orphan keeps what it holds")
          .isEqualTo(heldBefore(snapshot, o.key()));
      Set<String> own =
          snapshot.announcements().stream()
              .filter(a -> a.service().equals(o.key()))
              .map(a -> a.ip() + "@" + a.nodeName() + "/" + a.className())
              .collect(Collectors.toSet());
      Set<String> placed =
          result.placementsOf(o.key()).stream()
              .map(p -> p.ip() + "@" + p.nodeName() + "/" + p.className())
              .collect(Collectors.toSet());
      assertThat(placed).as("an orphan's announcements stay as they are").isEqualTo(own);
      assertThat(placed)
          .allSatisfy(p -> assertThat(classNames).doesNotContain(p.substring(p.indexOf('/') + 1)));
      String key = sharedKey(snapshot, o.key());
      for (ServiceOutcome other : result.services().values()) {
        boolean sharing =
            key != null
                && key.equals(sharedKey(snapshot, other.key()))
                && other.key().namespace().equals(o.key().namespace());
        if (!other.key().equals(o.key()) && !sharing) {
          assertThat(other.ips())
              .as("nobody else gets %s's IPs", o.key())
              .doesNotContainAnyElementsOf(o.ips());
        }
      }
    }
  }

  /** Of two overlapping classes, the newer one never hands out an address the older one has. */
  private static void checkOlderClassesKeepSharedAddresses(
      Snapshot snapshot, PlacementResult result) {
    Map<String, io.l2lb.core.validation.ClassCheck> checks =
        io.l2lb.core.validation.ClassValidator.checkAll(snapshot.classes(), snapshot.nodes());
    for (Change c : result.changesOf(Change.Kind.ALLOCATED)) {
      for (String older : checks.get(c.detail()).yieldsTo()) {
        assertThat(checks.get(older).pool().contains(c.ip()))
            .as("%s of newer class %s lies in older class %s", c.ip(), c.detail(), older)
            .isFalse();
      }
    }
    for (ClassOutcome o : result.classes().values()) {
      boolean flagged =
          o.check().problems().stream().anyMatch(p -> p.message().contains("which is older"));
      assertThat(flagged)
          .as("flagged for an overlap: %s", o.name())
          .isEqualTo(!o.check().yieldsTo().isEmpty());
    }
  }

  /**
   * A Service's condition speaks of its own annotations only: its own error if it has one; if a
   * Service it shares IPs with has one, that Service's name but not its error; and a Service with
   * an invalid annotation gets no IP it did not hold.
   */
  private static void checkOwnCondition(
      Snapshot snapshot, PlacementResult result, ServiceOutcome outcome, ServiceInfo service) {
    ConditionState assigned = outcome.condition(Conditions.ALL_PUBLIC_IPS_ASSIGNED);
    boolean brokenHere =
        BROKEN_COUNT.equals(service.annotations().get(Annotations.EXTERNAL_IPS_COUNT));
    assertThat(outcome.problems())
        .as("problems of %s are its own", outcome.key())
        .allSatisfy(
            p ->
                assertThat(brokenHere || !p.message().contains('"' + BROKEN_COUNT + '"')).isTrue());
    List<Problem> ownErrors = outcome.problems().stream().filter(Problem::isError).toList();
    List<ServiceOutcome> partners =
        result.services().values().stream()
            .filter(o -> !o.key().equals(outcome.key()))
            .filter(o -> outcome.className().equals(o.className()))
            .filter(o -> o.key().namespace().equals(outcome.key().namespace()))
            .filter(o -> sharedKey(snapshot, o.key()) != null)
            .filter(
                o ->
                    Objects.equals(
                        sharedKey(snapshot, o.key()), sharedKey(snapshot, outcome.key())))
            .toList();
    boolean partnerBroken =
        partners.stream().anyMatch(o -> o.problems().stream().anyMatch(Problem::isError));
    if (!ownErrors.isEmpty()) {
      assertThat(assigned.reason()).isEqualTo(Reasons.INVALID_ANNOTATION);
      assertThat(assigned.message()).contains(ownErrors.get(0).toString());
      // Shared Services hold the same IPs: "nothing new" is relative to what they all held.
      Set<String> heldBefore = heldBefore(snapshot, outcome.key());
      partners.forEach(o -> heldBefore.addAll(heldBefore(snapshot, o.key())));
      assertThat(outcome.ips())
          .as("%s has an invalid annotation and gets nothing its unit did not hold", outcome.key())
          .allSatisfy(ip -> assertThat(heldBefore).contains(ip.toString()));
    } else if (partnerBroken) {
      assertThat(assigned.reason()).isEqualTo(Reasons.SHARED_WITH_INVALID);
      assertThat(assigned.message()).doesNotContain('"' + BROKEN_COUNT + '"');
    } else {
      assertThat(assigned.reason()).isIn(Reasons.ALL_ASSIGNED, Reasons.POOL_EXHAUSTED);
    }
  }

  private static String sharedKey(Snapshot snapshot, ServiceKey key) {
    return snapshot.services().stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .map(s -> s.annotations().get(Annotations.SHARED_IP_KEY))
        .orElse(null);
  }

  private static Set<String> heldBefore(Snapshot snapshot, ServiceKey key) {
    Set<String> held = new HashSet<>();
    snapshot.announcements().stream()
        .filter(a -> a.service().equals(key))
        .forEach(a -> held.add(a.ip()));
    snapshot.services().stream()
        .filter(s -> s.key().equals(key))
        .forEach(s -> held.addAll(s.ingressIps()));
    return held;
  }

  /**
   * An IP changes node only when its node stopped being a candidate, or to restore one IP per node:
   * then it leaves a node that held two or more IPs of its Service for one that held none.
   */
  private static void checkOnlyNecessaryMoves(Snapshot snapshot, PlacementResult result) {
    Map<String, String> before = new HashMap<>();
    for (AnnouncementInfo a : snapshot.announcements()) {
      before.put(a.ip() + "|" + a.service(), a.nodeName());
    }
    Map<String, Change> rebalanced = new HashMap<>();
    for (Change c : result.changesOf(Change.Kind.REBALANCED)) {
      rebalanced.put(c.ip() + "|" + c.service(), c);
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
            .containsKey(p.ip() + "|" + p.service());
        long ipsOfServiceOnTarget =
            result.placementsOf(p.service()).stream()
                .filter(q -> p.nodeName().equals(q.nodeName()))
                .count();
        assertThat(ipsOfServiceOnTarget)
            .as("a spread restore moves to a node holding no other IP of the Service")
            .isEqualTo(1);
        long ipsOfServiceOnSourceBefore =
            snapshot.announcements().stream()
                .filter(a -> a.service().equals(p.service()) && was.equals(a.nodeName()))
                .count();
        assertThat(ipsOfServiceOnSourceBefore)
            .as(
                "a spread restore takes %s only off a node that held two or more IPs of %s",
                p.ip(), p.service())
            .isGreaterThanOrEqualTo(2);
      }
    }
  }

  /**
   * Every placement whose node differs from its announcement has its own change naming that Service
   * (each member of a shared unit too), and every node change stands for such a move.
   */
  private static void checkEveryMoveIsReported(Snapshot snapshot, PlacementResult result) {
    Set<String> nodeNames =
        snapshot.nodes().stream().map(NodeInfo::name).collect(Collectors.toSet());
    Map<String, String> before = new HashMap<>();
    for (AnnouncementInfo a : snapshot.announcements()) {
      String node = a.nodeName() != null && nodeNames.contains(a.nodeName()) ? a.nodeName() : null;
      before.put(a.ip() + "|" + a.service(), node);
    }
    Set<Change.Kind> nodeKinds =
        Set.of(
            Change.Kind.ASSIGNED,
            Change.Kind.FAILED_OVER,
            Change.Kind.REBALANCED,
            Change.Kind.UNANNOUNCED);
    Map<String, Change> reported = new HashMap<>();
    for (Change c : result.changes()) {
      if (nodeKinds.contains(c.kind())) {
        assertThat(reported.put(c.ip() + "|" + c.service(), c))
            .as("one node change per IP and Service: %s", c)
            .isNull();
      }
    }
    Set<String> moved = new HashSet<>();
    for (Placement p : result.placements()) {
      ServiceOutcome owner = result.services().get(p.service());
      if (owner != null && owner.className() == null) {
        continue; // an orphan's announcement: left as it is, whatever its node
      }
      String key = p.ip() + "|" + p.service();
      String was = before.get(key);
      if (Objects.equals(was, p.nodeName())) {
        continue;
      }
      moved.add(key);
      assertThat(reported)
          .as("the move of %s of %s is reported", p.ip(), p.service())
          .containsKey(key);
      Change c = reported.get(key);
      assertThat(c.toNode()).isEqualTo(p.nodeName());
      assertThat(c.fromNode()).isEqualTo(was);
    }
    assertThat(reported.keySet()).as("node changes without a move").isEqualTo(moved);
  }
}
