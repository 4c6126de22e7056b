package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.Allocator;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.ClassCheck;
import io.l2lb.core.validation.ClassValidator;
import io.l2lb.core.validation.Problem;
import io.l2lb.core.validation.ServiceAnnotations;
import io.l2lb.core.validation.ServiceRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The placement engine: a pure function from a {@link Snapshot} to a {@link PlacementResult}.
 *
 * <p>IPs: a Service keeps the IPs it holds (unless they left its class pool, it asked for fewer or
 * for other explicit IPs); explicit IPs are honoured when free; the rest come lowest-free from the
 * class pool. A Service with an invalid annotation keeps exactly what it has and gets nothing new.
 *
 * <p>Nodes, per class: (A) an IP stays on its node while that node is a candidate; (B) an IP
 * without a node goes to the candidate that holds no other IP of its Service, then the least loaded
 * in the class, ties broken by hash(node#ip); (C) where a Service has two IPs on one node while a
 * candidate holds none of its IPs, one moves there ("spread restore", the only move of an IP whose
 * node is still a candidate). No candidate: the IP stays allocated, unannounced.
 *
 * <p>Everything is processed in a fixed order (Services by namespace/name, IPs ascending, nodes by
 * name), so the same snapshot in any input order gives the same result.
 */
public final class PlacementEngine {
  private PlacementEngine() {}

  public static PlacementResult compute(Snapshot snapshot) {
    return new Run(snapshot, Set.of()).execute();
  }

  /**
   * The same result as {@code compute(next)}, computed faster when {@code next} differs from {@code
   * before} only in its nodes (a node failed, recovered, was relabelled): only the classes that
   * select a changed node are recomputed; the others keep their result.
   *
   * @param before a settled snapshot: its announcements are those of {@code previous}
   * @param previous {@code compute(before)}
   */
  public static PlacementResult update(Snapshot before, PlacementResult previous, Snapshot next) {
    boolean onlyNodesChanged =
        same(before.classes(), next.classes())
            && same(before.services(), next.services())
            && same(before.announcements(), next.announcements());
    if (!onlyNodesChanged) {
      return compute(next);
    }
    Map<String, NodeInfo> old = new HashMap<>();
    for (NodeInfo n : before.nodes()) {
      old.put(n.name(), n);
    }
    List<NodeInfo> changed = new ArrayList<>();
    for (NodeInfo n : next.nodes()) {
      NodeInfo was = old.remove(n.name());
      if (!n.equals(was)) {
        changed.add(n);
        if (was != null) changed.add(was);
      }
    }
    changed.addAll(old.values());
    Set<String> affected = new java.util.HashSet<>();
    for (ClassInfo c : next.classes()) {
      if (changed.stream().anyMatch(n -> c.selects(n.labels()))) {
        affected.add(c.name());
      }
    }
    if (affected.isEmpty()) {
      return previous;
    }

    // The recomputed classes start from their settled placements; IPs of other classes
    // matter to them only where pools overlap.
    List<AddressPool> affectedPools = new ArrayList<>();
    List<ServiceInfo> services = new ArrayList<>();
    List<AnnouncementInfo> announcements = new ArrayList<>();
    for (String name : affected) {
      affectedPools.add(previous.classes().get(name).check().pool());
      PlacementResult.Slice slice = previous.slice(name);
      services.addAll(slice.services());
      for (Placement p : slice.placements()) {
        announcements.add(
            new AnnouncementInfo(p.ip().toString(), p.nodeName(), p.service(), p.className()));
      }
    }
    Set<IpAddress> reserved = new java.util.HashSet<>();
    List<Placement> placements = new ArrayList<>(previous.placements().size());
    Map<String, PlacementResult.Slice> slices = new HashMap<>();
    for (Map.Entry<String, PlacementResult.Slice> e : previous.slices().entrySet()) {
      if (affected.contains(e.getKey())) {
        continue;
      }
      slices.put(e.getKey(), e.getValue());
      placements.addAll(e.getValue().placements());
      AddressPool pool = previous.classes().get(e.getKey()).check().pool();
      if (affectedPools.stream().anyMatch(p -> !p.overlapsWith(pool).isEmpty())) {
        e.getValue().placements().forEach(p -> reserved.add(p.ip()));
      }
    }
    PlacementResult part =
        new Run(new Snapshot(next.classes(), next.nodes(), services, announcements), reserved)
            .execute();

    placements.addAll(part.placements());
    slices.putAll(part.slices());
    Map<ServiceKey, ServiceOutcome> outcomes = new HashMap<>(previous.services());
    outcomes.putAll(part.services());
    Map<String, ClassOutcome> classOutcomes = new HashMap<>(previous.classes());
    for (String name : affected) {
      classOutcomes.put(name, part.classes().get(name));
    }
    // Complaints that every computation repeats (exhausted pool, bad annotation) stand for
    // unaffected classes too.
    List<Change> changes = new ArrayList<>(part.changes());
    for (Change c : previous.changes()) {
      ServiceOutcome o = previous.services().get(c.service());
      boolean standing = c.kind() == Kind.ALLOCATION_FAILED || c.kind() == Kind.INVALID_ANNOTATION;
      if (standing && o != null && !affected.contains(o.className())) {
        changes.add(c);
      }
    }
    return new PlacementResult(placements, outcomes, classOutcomes, changes, slices);
  }

  private static boolean same(List<?> a, List<?> b) {
    return a == b || a.equals(b);
  }

  /**
   * Services that share IPs (same namespace, class and shared-IP key) form one unit; most units
   * hold one Service.
   */
  private static final class Unit {
    final String className;
    final List<ServiceInfo> members = new ArrayList<>();
    final List<ServiceRequest> requests = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    /** IPs the unit held before, with their node (null = unannounced), ascending. */
    final TreeMap<IpAddress, String> current = new TreeMap<>();

    final TreeSet<IpAddress> ips = new TreeSet<>();

    /** After allocation: ips ascending, and the node index of each (-1 = none). */
    IpAddress[] ipOrder;

    int[] nodeOf;
    boolean frozen;
    int wanted;
    int[] candidates;

    Unit(String className) {
      this.className = className;
    }

    ServiceKey key() {
      return members.get(0).key();
    }

    void fixIps() {
      ipOrder = ips.toArray(new IpAddress[0]);
      nodeOf = new int[ipOrder.length];
      Arrays.fill(nodeOf, -1);
    }

    boolean holds(int node) {
      for (int n : nodeOf) {
        if (n == node) return true;
      }
      return false;
    }
  }

  private static final class ClassState {
    final ClassInfo info;
    final ClassCheck check;
    final int[] selected;
    final int[] candidates;
    final int[] load;
    Allocator allocator;

    ClassState(ClassInfo info, ClassCheck check, int[] selected, int[] candidates, int nodeCount) {
      this.info = info;
      this.check = check;
      this.selected = selected;
      this.candidates = candidates;
      this.load = new int[nodeCount];
    }
  }

  private static final class Run {
    private final Snapshot snapshot;
    private final List<NodeInfo> nodes;
    private final String[] nodeNames;
    private final long[] nodeSeeds;
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final Map<String, ClassState> classes = new TreeMap<>();
    private final String defaultClass;
    private final TreeSet<IpAddress> taken = new TreeSet<>();
    private final List<Unit> units = new ArrayList<>();
    private final Map<ServiceKey, List<Problem>> unbound = new TreeMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<ServiceKey, TreeMap<IpAddress, String>> holdings = new HashMap<>();
    private final Map<ServiceKey, String> heldClass = new HashMap<>();

    /**
     * @param reserved IPs held outside this snapshot (by classes an update does not recompute)
     */
    Run(Snapshot snapshot, Set<IpAddress> reserved) {
      this.snapshot = snapshot;
      this.taken.addAll(reserved);
      this.nodes = snapshot.nodes().stream().sorted(Comparator.comparing(NodeInfo::name)).toList();
      this.nodeNames = new String[nodes.size()];
      this.nodeSeeds = new long[nodes.size()];
      for (int i = 0; i < nodes.size(); i++) {
        nodeNames[i] = nodes.get(i).name();
        nodeSeeds[i] = fnv(FNV_OFFSET, nodeNames[i] + "#");
        nodeIndex.put(nodeNames[i], i);
      }
      Map<String, ClassCheck> checks = ClassValidator.checkAll(snapshot.classes(), nodes);
      String firstDefault = null;
      for (ClassInfo c :
          snapshot.classes().stream().sorted(Comparator.comparing(ClassInfo::name)).toList()) {
        List<Integer> selected = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          NodeInfo n = nodes.get(i);
          if (c.selects(n.labels())) {
            selected.add(i);
            if (n.healthy()) {
              candidates.add(i);
            }
          }
        }
        classes.put(
            c.name(),
            new ClassState(
                c, checks.get(c.name()), toArray(selected), toArray(candidates), nodes.size()));
        if (c.isDefault() && firstDefault == null) {
          firstDefault = c.name();
        }
      }
      this.defaultClass = firstDefault;
    }

    PlacementResult execute() {
      collectHoldings();
      buildUnits();
      keepIps();
      allocateRequestedIps();
      allocateFromPools();
      keepNodes();
      placeNodes();
      restoreSpread();
      return result();
    }

    /**
     * Current state from announcements, then status.loadBalancer.ingress for IPs no announcement
     * records. Duplicates (one IP of one Service on two nodes, a state only a crash can leave)
     * resolve to the smaller node name, so input order never matters.
     */
    private void collectHoldings() {
      for (AnnouncementInfo a : snapshot.announcements()) {
        Optional<IpAddress> ip = IpAddress.tryParse(a.ip());
        if (ip.isEmpty()) {
          continue;
        }
        String nodeName =
            a.nodeName() != null && nodeIndex.containsKey(a.nodeName()) ? a.nodeName() : null;
        holdings
            .computeIfAbsent(a.service(), k -> new TreeMap<>())
            .merge(
                ip.get(),
                nodeName == null ? NO_NODE : nodeName,
                (x, y) ->
                    x.equals(NO_NODE) ? y : y.equals(NO_NODE) ? x : x.compareTo(y) <= 0 ? x : y);
        if (a.className() != null) {
          heldClass.merge(a.service(), a.className(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
      }
      for (TreeMap<IpAddress, String> held : holdings.values()) {
        held.replaceAll((ip, n) -> n.equals(NO_NODE) ? null : n);
      }
      for (ServiceInfo s : snapshot.services()) {
        for (String text : s.ingressIps()) {
          IpAddress.tryParse(text)
              .ifPresent(
                  ip ->
                      holdings
                          .computeIfAbsent(s.key(), k -> new TreeMap<>())
                          .putIfAbsent(ip, null));
        }
      }
    }

    private List<ServiceInfo> sortedServices() {
      return snapshot.services().stream().sorted(Comparator.comparing(ServiceInfo::key)).toList();
    }

    private void buildUnits() {
      Map<String, Unit> shared = new HashMap<>();
      for (ServiceInfo s : sortedServices()) {
        List<Problem> problems = new ArrayList<>();
        String className = resolveClass(s, problems);
        if (className == null) {
          if (!problems.isEmpty()) {
            unbound.put(s.key(), problems);
          }
          continue;
        }
        ClassState cls = classes.get(className);
        ServiceRequest request =
            ServiceAnnotations.parse(s.annotations(), className, cls.check.pool());
        Unit unit;
        if (request.sharedKey() != null) {
          String groupKey =
              s.key().namespace() + "\u0000" + className + "\u0000" + request.sharedKey();
          unit = shared.get(groupKey);
          if (unit == null) {
            unit = new Unit(className);
            shared.put(groupKey, unit);
            units.add(unit);
          } else {
            reportPortClash(unit, s, request.sharedKey(), problems);
          }
        } else {
          unit = new Unit(className);
          units.add(unit);
        }
        unit.members.add(s);
        unit.requests.add(request);
        unit.problems.addAll(problems);
        unit.problems.addAll(request.problems());
      }
    }

    private void reportPortClash(Unit unit, ServiceInfo s, String key, List<Problem> problems) {
      for (ServiceInfo other : unit.members) {
        for (String port : s.ports()) {
          if (other.ports().contains(port)) {
            problems.add(
                Problem.warning(
                    Annotations.SHARED_IP_KEY,
                    "shares IPs (key \""
                        + key
                        + "\") with "
                        + other.key()
                        + " which also serves "
                        + port
                        + "; Services sharing IPs need different ports"));
          }
        }
      }
    }

    /**
     * spec.loadBalancerClass decides alone (a class that is not ours means not ours); then the
     * annotations; then the default class. An annotation naming a missing class is an invalid
     * annotation: the Service stays on the class it holds IPs from, if that exists.
     */
    private String resolveClass(ServiceInfo s, List<Problem> problems) {
      if (s.loadBalancerClass() != null && !s.loadBalancerClass().isEmpty()) {
        return classes.containsKey(s.loadBalancerClass()) ? s.loadBalancerClass() : null;
      }
      for (String annotation : List.of(Annotations.CLASS, Annotations.LEGACY_CLASS)) {
        String named = s.annotations().get(annotation);
        if (named == null || named.isBlank()) {
          continue;
        }
        named = named.trim();
        if (classes.containsKey(named)) {
          return classes.get(named).info.name();
        }
        problems.add(
            Problem.error(
                annotation,
                "names MetalLoadBalancerClass \""
                    + named
                    + "\", which does not exist; `kubectl get mlbc` lists the classes"));
        String held = heldClass.get(s.key());
        return held != null && classes.containsKey(held) ? classes.get(held).info.name() : null;
      }
      return defaultClass;
    }

    /**
     * Pass 1: what each unit keeps of what it holds; kept IPs are reserved before anything is
     * handed out.
     */
    private void keepIps() {
      for (Unit unit : units) {
        ClassState cls = classes.get(unit.className);
        AddressPool pool = cls.check.pool();
        for (ServiceInfo member : unit.members) {
          TreeMap<IpAddress, String> held = holdings.getOrDefault(member.key(), new TreeMap<>());
          for (Map.Entry<IpAddress, String> e : held.entrySet()) {
            if (pool.contains(e.getKey())) {
              unit.current.putIfAbsent(e.getKey(), e.getValue());
            }
          }
        }
        unit.frozen = false;
        for (Problem p : unit.problems) {
          unit.frozen |= p.isError();
        }
        Set<IpAddress> requested = new LinkedHashSet<>();
        int wanted = 0;
        for (ServiceRequest r : unit.requests) {
          if (r.valid()) {
            requested.addAll(r.requestedIps());
            wanted = Math.max(wanted, r.wantedCount());
          }
        }
        List<IpAddress> keep;
        if (unit.frozen) {
          keep = new ArrayList<>(unit.current.keySet());
          wanted = keep.size();
        } else if (!requested.isEmpty()) {
          keep = unit.current.keySet().stream().filter(requested::contains).toList();
          wanted = Math.max(wanted, requested.size());
        } else if (unit.current.size() <= wanted) {
          keep = new ArrayList<>(unit.current.keySet());
        } else {
          // Shrinking: give back unannounced IPs first, then the highest.
          keep =
              unit.current.entrySet().stream()
                  .sorted(
                      Comparator.<Map.Entry<IpAddress, String>, Boolean>comparing(
                              e -> e.getValue() == null)
                          .thenComparing(Map.Entry::getKey))
                  .limit(wanted)
                  .map(Map.Entry::getKey)
                  .toList();
        }
        unit.wanted = wanted;
        for (IpAddress ip : keep) {
          if (taken.add(ip)) {
            unit.ips.add(ip);
          }
        }
      }
    }

    /** Pass 2a: explicit IPs, before any pool allocation can hand them to someone else. */
    private void allocateRequestedIps() {
      for (Unit unit : units) {
        if (unit.frozen) {
          continue;
        }
        for (int i = 0; i < unit.requests.size(); i++) {
          for (IpAddress ip : unit.requests.get(i).requestedIps()) {
            if (unit.ips.contains(ip)) {
              continue;
            }
            if (taken.add(ip)) {
              unit.ips.add(ip);
            } else {
              changes.add(
                  new Change(
                      Kind.ALLOCATION_FAILED,
                      ip,
                      unit.members.get(i).key(),
                      null,
                      null,
                      ip + " is requested but already held by " + holderOf(ip)));
            }
          }
        }
      }
    }

    private String holderOf(IpAddress ip) {
      for (Unit other : units) {
        if (other.ips.contains(ip)) {
          return "Service " + other.key();
        }
      }
      return "another Service";
    }

    /** Pass 2b: lowest free addresses of the class pool. */
    private void allocateFromPools() {
      for (Unit unit : units) {
        boolean explicit =
            unit.requests.stream().anyMatch(r -> r.valid() && !r.requestedIps().isEmpty());
        if (unit.frozen || explicit) {
          continue;
        }
        ClassState cls = classes.get(unit.className);
        if (!cls.check.usable()) {
          continue;
        }
        if (cls.allocator == null) {
          cls.allocator = cls.check.pool().allocator(taken);
        }
        while (unit.ips.size() < unit.wanted) {
          Optional<IpAddress> ip = cls.allocator.next();
          if (ip.isEmpty()) {
            changes.add(
                new Change(
                    Kind.ALLOCATION_FAILED,
                    null,
                    unit.key(),
                    null,
                    null,
                    "pool of class "
                        + unit.className
                        + " is exhausted: "
                        + unit.ips.size()
                        + " of "
                        + unit.wanted
                        + " public IPs assigned"));
            break;
          }
          unit.ips.add(ip.get());
        }
      }
    }

    /**
     * Candidates for a unit: its class's candidates, narrowed to ready local endpoints for
     * externalTrafficPolicy Local.
     */
    private int[] candidatesOf(Unit unit) {
      if (unit.candidates != null) {
        return unit.candidates;
      }
      int[] all = classes.get(unit.className).candidates;
      List<ServiceInfo> local =
          unit.members.stream().filter(ServiceInfo::localTrafficPolicy).toList();
      if (local.isEmpty()) {
        unit.candidates = all;
      } else {
        unit.candidates =
            Arrays.stream(all)
                .filter(
                    n ->
                        local.stream().allMatch(s -> s.readyEndpointNodes().contains(nodeNames[n])))
                .toArray();
      }
      return unit.candidates;
    }

    private static boolean contains(int[] sorted, int value) {
      return Arrays.binarySearch(sorted, value) >= 0;
    }

    /** Phase A: stability. */
    private void keepNodes() {
      for (Unit unit : units) {
        unit.fixIps();
        int[] candidates = candidatesOf(unit);
        int[] load = classes.get(unit.className).load;
        for (int i = 0; i < unit.ipOrder.length; i++) {
          String was = unit.current.get(unit.ipOrder[i]);
          Integer n = was == null ? null : nodeIndex.get(was);
          if (n != null && contains(candidates, n)) {
            unit.nodeOf[i] = n;
            load[n]++;
          }
        }
      }
    }

    /** Phase B: every IP without a node gets the best candidate. */
    private void placeNodes() {
      for (Unit unit : units) {
        int[] candidates = candidatesOf(unit);
        int[] load = classes.get(unit.className).load;
        for (int i = 0; i < unit.ipOrder.length; i++) {
          if (unit.nodeOf[i] >= 0) {
            continue;
          }
          long ipHash = ipSeed(unit.ipOrder[i]);
          int best = -1;
          boolean bestHolds = false;
          for (int n : candidates) {
            boolean holds = unit.holds(n);
            if (best < 0
                || better(
                    holds, load[n], nodeSeeds[n], bestHolds, load[best], nodeSeeds[best], ipHash)) {
              best = n;
              bestHolds = holds;
            }
          }
          if (best >= 0) {
            unit.nodeOf[i] = best;
            load[best]++;
          }
        }
      }
    }

    /** Holds no other IP of the unit, then less loaded in the class, then lower hash(node#ip). */
    private static boolean better(
        boolean holds,
        int load,
        long seed,
        boolean bestHolds,
        int bestLoad,
        long bestSeed,
        long ipHash) {
      if (holds != bestHolds) {
        return !holds;
      }
      if (load != bestLoad) {
        return load < bestLoad;
      }
      return Long.compareUnsigned(mix(seed, ipHash), mix(bestSeed, ipHash)) < 0;
    }

    /**
     * Phase C: a Service with two IPs on one node moves one to a candidate holding none of its IPs.
     */
    private void restoreSpread() {
      for (Unit unit : units) {
        if (unit.ipOrder.length < 2) {
          continue;
        }
        int[] candidates = candidatesOf(unit);
        int[] load = classes.get(unit.className).load;
        while (true) {
          int target = -1;
          for (int n : candidates) {
            if (!unit.holds(n) && (target < 0 || load[n] < load[target])) {
              target = n;
            }
          }
          if (target < 0) {
            break;
          }
          int move = -1;
          long moveHash = 0;
          for (int i = 0; i < unit.ipOrder.length; i++) {
            if (unit.nodeOf[i] < 0 || !sharesNode(unit, i)) {
              continue;
            }
            long h = mix(nodeSeeds[target], ipSeed(unit.ipOrder[i]));
            if (move < 0 || Long.compareUnsigned(h, moveHash) < 0) {
              move = i;
              moveHash = h;
            }
          }
          if (move < 0) {
            break;
          }
          load[unit.nodeOf[move]]--;
          unit.nodeOf[move] = target;
          load[target]++;
        }
      }
    }

    /** Whether another IP of the unit sits on the same node as IP i. */
    private static boolean sharesNode(Unit unit, int i) {
      for (int j = 0; j < unit.nodeOf.length; j++) {
        if (j != i && unit.nodeOf[j] == unit.nodeOf[i]) return true;
      }
      return false;
    }

    private PlacementResult result() {
      List<Placement> placements = new ArrayList<>();
      Map<ServiceKey, ServiceOutcome> outcomes = new LinkedHashMap<>();
      Set<ServiceKey> handled = new java.util.HashSet<>();
      Map<String, Long> allocatedPerClass = new HashMap<>();
      Map<String, PlacementResult.Slice> slices = new HashMap<>();

      for (Unit unit : units) {
        ClassState cls = classes.get(unit.className);
        allocatedPerClass.merge(unit.className, (long) unit.ips.size(), Long::sum);
        PlacementResult.Slice slice =
            slices.computeIfAbsent(
                unit.className,
                k -> new PlacementResult.Slice(new ArrayList<>(), new ArrayList<>()));
        slice.services().addAll(unit.members);
        int unannounced = 0;
        for (int i = 0; i < unit.ipOrder.length; i++) {
          IpAddress ip = unit.ipOrder[i];
          String nodeName = unit.nodeOf[i] < 0 ? null : nodeNames[unit.nodeOf[i]];
          if (nodeName == null) {
            unannounced++;
          }
          for (ServiceInfo member : unit.members) {
            Placement p =
                new Placement(ip, nodeName, member.key(), unit.className, cls.info.interfaces());
            placements.add(p);
            slice.placements().add(p);
          }
          reportMove(unit, ip, nodeName);
        }
        for (int i = 0; i < unit.members.size(); i++) {
          ServiceInfo member = unit.members.get(i);
          handled.add(member.key());
          List<Problem> problems = new ArrayList<>(unit.problems);
          for (Problem p : unit.requests.get(i).problems()) {
            changes.add(
                new Change(Kind.INVALID_ANNOTATION, null, member.key(), null, null, p.toString()));
          }
          Set<IpAddress> held = holdings.getOrDefault(member.key(), new TreeMap<>()).keySet();
          for (IpAddress ip : unit.ips) {
            if (!held.contains(ip)) {
              changes.add(new Change(Kind.ALLOCATED, ip, member.key(), null, null, unit.className));
            }
          }
          for (IpAddress ip : held) {
            if (!unit.ips.contains(ip)) {
              changes.add(new Change(Kind.RELEASED, ip, member.key(), null, null, null));
            }
          }
          outcomes.put(
              member.key(),
              new ServiceOutcome(
                  member.key(),
                  unit.className,
                  unit.wanted,
                  new ArrayList<>(unit.ips),
                  problems,
                  serviceConditions(unit, problems, unannounced)));
        }
      }
      for (Map.Entry<ServiceKey, List<Problem>> e : unbound.entrySet()) {
        outcomes.put(
            e.getKey(),
            new ServiceOutcome(
                e.getKey(),
                null,
                0,
                List.of(),
                e.getValue(),
                List.of(
                    new ConditionState(
                        Conditions.SERVICE_CLASS,
                        false,
                        Reasons.CLASS_NOT_FOUND,
                        e.getValue().get(0).message()))));
        handled.add(e.getKey());
      }
      // Services that held IPs but are no longer ours (deleted, type changed, class gone) release
      // them.
      for (Map.Entry<ServiceKey, TreeMap<IpAddress, String>> e :
          new TreeMap<>(holdings).entrySet()) {
        if (!handled.contains(e.getKey())) {
          for (IpAddress ip : e.getValue().keySet()) {
            changes.add(
                new Change(Kind.RELEASED, ip, e.getKey(), e.getValue().get(ip), null, null));
          }
        }
      }
      Map<String, ClassOutcome> classOutcomes = new LinkedHashMap<>();
      for (ClassState cls : classes.values()) {
        classOutcomes.put(
            cls.info.name(),
            classOutcome(cls, allocatedPerClass.getOrDefault(cls.info.name(), 0L)));
      }
      return new PlacementResult(placements, outcomes, classOutcomes, changes, slices);
    }

    private void reportMove(Unit unit, IpAddress ip, String nodeName) {
      String was = unit.current.get(ip);
      if (java.util.Objects.equals(was, nodeName)) {
        return;
      }
      ServiceKey key = unit.key();
      if (nodeName == null) {
        changes.add(new Change(Kind.UNANNOUNCED, ip, key, was, null, null));
      } else if (was == null) {
        changes.add(new Change(Kind.ASSIGNED, ip, key, null, nodeName, null));
      } else if (contains(candidatesOf(unit), nodeIndex.get(was))) {
        changes.add(new Change(Kind.REBALANCED, ip, key, was, nodeName, null));
      } else {
        changes.add(
            new Change(Kind.FAILED_OVER, ip, key, was, nodeName, whyNotCandidate(unit, was)));
      }
    }

    private String whyNotCandidate(Unit unit, String nodeName) {
      NodeInfo n = nodes.get(nodeIndex.get(nodeName));
      String reason = n.unhealthyReason();
      if (reason != null) return reason;
      if (!classes.get(unit.className).info.selects(n.labels()))
        return "node no longer matches the class nodeSelector";
      return "no ready local endpoint of the Service";
    }

    private List<ConditionState> serviceConditions(
        Unit unit, List<Problem> problems, int unannounced) {
      List<ConditionState> conditions = new ArrayList<>();
      conditions.add(
          new ConditionState(
              Conditions.SERVICE_CLASS,
              true,
              Reasons.CLASS_BOUND,
              "bound to MetalLoadBalancerClass " + unit.className));
      int assigned = unit.ips.size();
      int wanted = unit.wanted;
      String message = assigned + " of " + wanted + " public IPs were assigned";
      List<Problem> errors = problems.stream().filter(Problem::isError).toList();
      String reason;
      boolean ok;
      if (!errors.isEmpty()) {
        ok = false;
        reason = Reasons.INVALID_ANNOTATION;
        message =
            assigned
                + " of "
                + (wanted == 0 ? assigned : wanted)
                + " public IPs were assigned; kept as they were because "
                + errors.get(0);
      } else if (assigned < wanted) {
        ok = false;
        reason = Reasons.POOL_EXHAUSTED;
        message += "; the pool of class " + unit.className + " has no free address";
      } else {
        ok = true;
        reason = Reasons.ALL_ASSIGNED;
      }
      if (unannounced > 0) {
        message +=
            "; "
                + unannounced
                + " of them "
                + (unannounced == 1 ? "has" : "have")
                + " no node to announce "
                + (unannounced == 1 ? "it" : "them");
      }
      conditions.add(new ConditionState(Conditions.ALL_PUBLIC_IPS_ASSIGNED, ok, reason, message));
      return conditions;
    }

    private ClassOutcome classOutcome(ClassState cls, long allocated) {
      BigInteger total = cls.check.pool().size();
      BigInteger freeExact = total.subtract(BigInteger.valueOf(allocated)).max(BigInteger.ZERO);
      long free = AddressPool.saturate(freeExact);
      List<ConditionState> conditions = new ArrayList<>();
      List<Problem> errors = cls.check.errors();
      conditions.add(
          errors.isEmpty()
              ? new ConditionState(Conditions.VALID, true, Reasons.VALID, "spec is valid")
              : new ConditionState(
                  Conditions.VALID,
                  false,
                  cls.check.validReason(),
                  errors.stream()
                      .map(Problem::toString)
                      .reduce((a, b) -> a + "; " + b)
                      .orElse("")));
      if (cls.selected.length == 0) {
        conditions.add(
            new ConditionState(
                Conditions.READY,
                false,
                Reasons.NO_NODES_SELECTED,
                "nodeSelector " + cls.info.nodeSelector() + " matches no node"));
      } else if (cls.candidates.length == 0) {
        conditions.add(
            new ConditionState(
                Conditions.READY,
                false,
                Reasons.NO_READY_NODES,
                "none of the "
                    + cls.selected.length
                    + " selected nodes can announce (Ready, speaker alive, network available, not excluded)"));
      } else {
        conditions.add(
            new ConditionState(
                Conditions.READY,
                true,
                Reasons.NODES_READY,
                cls.candidates.length
                    + " of "
                    + cls.selected.length
                    + " selected nodes can announce"));
      }
      return new ClassOutcome(
          cls.info.name(),
          cls.check,
          total,
          allocated,
          free,
          cls.selected.length,
          cls.candidates.length,
          conditions);
    }
  }

  /** Stands for "no node" inside merges (TreeMap values cannot be merged from null). */
  private static final String NO_NODE = "";

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static long fnv(long seed, String text) {
    long h = seed;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  private static long ipSeed(IpAddress ip) {
    return (ip.hashCode() & 0xffffffffL) * FNV_PRIME;
  }

  /**
   * hash(node#ip): the node name's FNV hash combined with the IP's value, then a finalizer so
   * nearby IPs spread.
   */
  static long mix(long nodeSeed, long ipSeed) {
    long h = nodeSeed ^ ipSeed * FNV_PRIME;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
