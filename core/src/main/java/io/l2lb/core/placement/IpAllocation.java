package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.placement.ClassTable.ClassView;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.Allocator;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.PoolOverlaps;
import io.l2lb.core.validation.Problem;
import io.l2lb.core.validation.ServiceRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Step 2 of the pipeline, <b>allocate</b>: which IPs each unit holds. Three passes over all units
 * (in order), so that nothing handed out in one pass can take what an earlier pass reserved:
 *
 * <ol>
 *   <li><b>keep</b>: a unit keeps the IPs its members hold inside its class pool; a frozen unit
 *       (some member has an invalid annotation) keeps exactly those; a unit that asks for explicit
 *       IPs keeps the held ones it asks for; a unit that asks for fewer gives back unannounced IPs
 *       first, then the highest.
 *   <li><b>requested</b>: explicit IPs ({@code load-balancer-ips}) that no one holds.
 *   <li><b>pool</b>: the rest, lowest free address of the class pool first. Not enough: the unit
 *       gets what exists and is told so (also when it asks for more than the whole pool).
 * </ol>
 *
 * A class whose pool overlaps an older class's hands out none of the addresses they share, neither
 * from the pool nor on request ({@code ClassView.allocationPool}); what its Services hold there,
 * they keep. What orphans hold (Services of a deleted class) is taken before anything else, so no
 * class hands it out.
 *
 * <p>Nodes play no part here: allocation is a function of the classes, the Services and what they
 * hold. That is why an update after a node event can reuse it.
 */
final class IpAllocation {
  private IpAllocation() {}

  /**
   * Where a unit's IPs are announced now (null: nowhere).
   *
   * @param unit per IP: the unit's view, which node choice keeps (the first member holding the IP
   *     decides)
   * @param members per IP and member ({@code i * members + m}): each member's own announcement,
   *     which the report compares with
   */
  record Held(String[] unit, String[] members) {
    /** Nothing held by any member (a new Service): null arrays, read as "nowhere" throughout. */
    static final Held NOWHERE = new Held(null, null);
  }

  /**
   * Fills in every unit's IPs and allocation changes.
   *
   * @return per unit (parallel to {@code bound.units()}), where its IPs are now
   */
  static List<Held> allocate(ClassBinding.Bound bound, ClassTable classes, Holdings holdings) {
    List<Unit> units = bound.units();
    List<Work> work = new ArrayList<>(units.size());
    Map<String, TreeSet<IpAddress>> taken = takenSets(classes);
    if (!bound.orphans().isEmpty()) {
      // what orphans hold stays theirs: no class hands it out, whichever pools contain it
      Set<TreeSet<IpAddress>> sets =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      sets.addAll(taken.values());
      for (ClassBinding.Orphan o : bound.orphans()) {
        for (TreeSet<IpAddress> set : sets) {
          set.addAll(holdings.of(o.key()).keySet());
        }
      }
    }
    for (int u = 0; u < units.size(); u++) {
      Unit unit = units.get(u);
      work.add(keep(unit, bound.requests().get(u), classes, holdings, taken.get(unit.className)));
    }
    for (Work w : work) {
      takeRequested(w, work, classes.get(w.unit.className), taken.get(w.unit.className));
    }
    Map<String, Supplier<IpAddress>> sources = new HashMap<>();
    for (Work w : work) {
      takeFromPool(w, classes.get(w.unit.className), sources, taken);
    }
    List<Held> nodes = new ArrayList<>(units.size());
    for (Work w : work) {
      nodes.add(finish(w, holdings));
    }
    return nodes;
  }

  /**
   * The set of taken addresses each class allocates against. Every address a unit takes lies in its
   * class's pool (kept ones are filtered by it, requested ones outside it are an error), so two
   * units can only contend for an address when their pools overlap: classes whose pools overlap,
   * directly or through others, share one set; every other class has its own, which keeps the sets
   * small.
   */
  private static Map<String, TreeSet<IpAddress>> takenSets(ClassTable classes) {
    Map<String, AddressPool> pools = new HashMap<>();
    Map<String, String> parent = new HashMap<>();
    for (ClassView c : classes.all()) {
      pools.put(c.name(), c.check.pool());
      parent.put(c.name(), c.name());
    }
    for (PoolOverlaps.ClassOverlap o : PoolOverlaps.between(pools)) {
      parent.put(root(parent, o.classA()), root(parent, o.classB()));
    }
    Map<String, TreeSet<IpAddress>> byRoot = new HashMap<>();
    Map<String, TreeSet<IpAddress>> byClass = new HashMap<>();
    for (String name : parent.keySet()) {
      byClass.put(name, byRoot.computeIfAbsent(root(parent, name), k -> new TreeSet<>()));
    }
    return byClass;
  }

  private static String root(Map<String, String> parent, String name) {
    String r = name;
    while (!parent.get(r).equals(r)) {
      r = parent.get(r);
    }
    return r;
  }

  /** One unit while it is being allocated. */
  private static final class Work {
    final Unit unit;
    final List<ServiceRequest> requests;

    /** IPs the members hold inside the class pool, ascending, with their node (null: none). */
    Map<IpAddress, String> current = Map.of();

    /** The unit's IPs so far, ascending (a handful, so a sorted list). */
    final List<IpAddress> ips = new ArrayList<>(4);

    List<Change> failures = List.of();
    int wanted;

    Work(Unit unit, List<ServiceRequest> requests) {
      this.unit = unit;
      this.requests = requests;
    }

    boolean asksForExplicitIps() {
      for (ServiceRequest r : requests) {
        if (r.valid() && !r.requestedIps().isEmpty()) {
          return true;
        }
      }
      return false;
    }

    boolean holds(IpAddress ip) {
      return java.util.Collections.binarySearch(ips, ip) >= 0;
    }

    void add(IpAddress ip) {
      int at = java.util.Collections.binarySearch(ips, ip);
      if (at < 0) {
        ips.add(-at - 1, ip);
      }
    }

    void fail(Change change) {
      if (failures.isEmpty()) {
        failures = new ArrayList<>(1);
      }
      failures.add(change);
    }
  }

  /** What the members hold inside the pool: the one member's own map when nothing is outside. */
  private static Map<IpAddress, String> held(Unit unit, AddressPool pool, Holdings holdings) {
    if (unit.members.size() == 1) {
      Map<IpAddress, String> own = holdings.of(unit.members.get(0).key());
      boolean allInPool = true;
      for (IpAddress ip : own.keySet()) {
        allInPool &= pool.contains(ip);
      }
      if (allInPool) {
        return own;
      }
    }
    TreeMap<IpAddress, String> current = new TreeMap<>();
    for (ServiceInfo member : unit.members) {
      for (Map.Entry<IpAddress, String> e : holdings.of(member.key()).entrySet()) {
        if (pool.contains(e.getKey())) {
          current.putIfAbsent(e.getKey(), e.getValue());
        }
      }
    }
    return current;
  }

  private static Work keep(
      Unit unit,
      List<ServiceRequest> requests,
      ClassTable classes,
      Holdings holdings,
      TreeSet<IpAddress> taken) {
    Work w = new Work(unit, requests);
    w.current = held(unit, classes.get(unit.className).check.pool(), holdings);
    Set<IpAddress> requested = Set.of();
    int wanted = 0;
    for (ServiceRequest r : requests) {
      if (r.valid()) {
        if (!r.requestedIps().isEmpty()) {
          if (requested.isEmpty()) {
            requested = new LinkedHashSet<>();
          }
          requested.addAll(r.requestedIps());
        }
        wanted = Math.max(wanted, r.wantedCount());
      }
    }
    Iterable<IpAddress> keep;
    if (unit.frozen) {
      keep = w.current.keySet();
      wanted = w.current.size();
    } else if (!requested.isEmpty()) {
      keep = w.current.keySet().stream().filter(requested::contains).toList();
      wanted = Math.max(wanted, requested.size());
    } else if (w.current.size() <= wanted) {
      keep = w.current.keySet();
    } else {
      // Asks for fewer: give back unannounced IPs first, then the highest.
      keep =
          w.current.entrySet().stream()
              .sorted(
                  Comparator.<Map.Entry<IpAddress, String>, Boolean>comparing(
                          e -> e.getValue() == null)
                      .thenComparing(Map.Entry::getKey))
              .limit(wanted)
              .map(Map.Entry::getKey)
              .toList();
    }
    w.wanted = wanted;
    for (IpAddress ip : keep) {
      if (taken.add(ip)) {
        w.add(ip);
      }
    }
    return w;
  }

  private static void takeRequested(
      Work w, List<Work> all, ClassView cls, TreeSet<IpAddress> taken) {
    if (w.unit.frozen) {
      return;
    }
    for (int m = 0; m < w.requests.size(); m++) {
      for (IpAddress ip : w.requests.get(m).requestedIps()) {
        if (w.holds(ip)) {
          continue;
        }
        if (cls.allocationPool != cls.check.pool() && !cls.allocationPool.contains(ip)) {
          w.fail(
              new Change(
                  Kind.ALLOCATION_FAILED,
                  ip,
                  w.unit.members.get(m).key(),
                  null,
                  null,
                  Annotations.LOAD_BALANCER_IPS
                      + ": "
                      + ip
                      + " is also in the pool of the older class "
                      + String.join(" or ", cls.check.yieldsTo())
                      + ", which keeps the addresses the two pools share; pick an address only"
                      + " class "
                      + cls.name()
                      + " has"));
        } else if (taken.add(ip)) {
          w.add(ip);
        } else {
          w.fail(
              new Change(
                  Kind.ALLOCATION_FAILED,
                  ip,
                  w.unit.members.get(m).key(),
                  null,
                  null,
                  ip + " is requested but already held by " + holderOf(ip, all)));
        }
      }
    }
  }

  private static String holderOf(IpAddress ip, List<Work> all) {
    for (Work other : all) {
      if (other.holds(ip)) {
        return "Service " + other.unit.members.get(0).key();
      }
    }
    return "another Service";
  }

  private static void takeFromPool(
      Work w,
      ClassView cls,
      Map<String, Supplier<IpAddress>> sources,
      Map<String, TreeSet<IpAddress>> taken) {
    if (w.unit.frozen || w.asksForExplicitIps() || !cls.check.usable()) {
      return;
    }
    while (w.ips.size() < w.wanted) {
      Supplier<IpAddress> source = sources.computeIfAbsent(cls.name(), k -> sourceOf(cls, taken));
      IpAddress ip = source.get();
      if (ip == null) {
        String text = exhausted(w.ips.size(), w.wanted, cls);
        for (ServiceInfo member : w.unit.members) {
          w.fail(new Change(Kind.ALLOCATION_FAILED, null, member.key(), null, null, text));
        }
        return;
      }
      w.add(ip);
    }
  }

  /**
   * What ALLOCATION_FAILED says when the pool runs out: the count, why, and the fix, naming the
   * field. Asking for more than the whole pool is not an error: the Service gets what exists.
   */
  static String exhausted(int assigned, int wanted, ClassView cls) {
    return Annotations.EXTERNAL_IPS_COUNT
        + ": "
        + assigned
        + " of "
        + wanted
        + " public IPs assigned: "
        + poolShortage(wanted, cls)
        + "; lower the count, or add addresses to spec.addressPool of MetalLoadBalancerClass "
        + cls.name();
  }

  /** Why a class cannot give {@code wanted} addresses: too small, or no free address left. */
  static String poolShortage(int wanted, ClassView cls) {
    java.math.BigInteger size = cls.allocationPool.size();
    if (size.compareTo(java.math.BigInteger.valueOf(wanted)) < 0) {
      return "the pool of class "
          + cls.name()
          + " has only "
          + size
          + " address"
          + (size.equals(java.math.BigInteger.ONE) ? "" : "es")
          + (cls.allocationPool != cls.check.pool() ? " that no older class shares" : "");
    }
    return "the pool of class " + cls.name() + " has no free address";
  }

  /**
   * Lowest free addresses of the class pool, one per call (null: used up). Its cursor only moves
   * up, so addresses it hands out need not be recorded, unless another class allocates from the
   * same taken set (overlapping pools): then they go into that set, so that class skips them.
   */
  private static Supplier<IpAddress> sourceOf(
      ClassView cls, Map<String, TreeSet<IpAddress>> taken) {
    TreeSet<IpAddress> set = taken.get(cls.name());
    boolean shared = false;
    for (Map.Entry<String, TreeSet<IpAddress>> e : taken.entrySet()) {
      shared |= e.getValue() == set && !e.getKey().equals(cls.name());
    }
    if (shared) {
      Allocator allocator = cls.allocationPool.allocator(set);
      return () -> allocator.next().orElse(null);
    }
    java.util.Iterator<IpAddress> free = cls.allocationPool.free(set);
    return () -> free.hasNext() ? free.next() : null;
  }

  private static Held finish(Work w, Holdings holdings) {
    Unit unit = w.unit;
    unit.wanted = w.wanted;
    unit.ips = w.ips.toArray(new IpAddress[0]);
    unit.ipList = List.of(unit.ips);
    unit.ipKeys = new long[unit.ips.length];
    for (int i = 0; i < unit.ips.length; i++) {
      unit.ipKeys[i] = TieBreak.ipKey(unit.ips[i]);
    }
    int memberCount = unit.members.size();
    int changeCount = w.failures.size();
    boolean anyHeld = false;
    for (int m = 0; m < memberCount; m++) {
      Map<IpAddress, String> held = holdings.of(unit.members.get(m).key());
      anyHeld |= !held.isEmpty();
      changeCount += w.requests.get(m).problems().size() + unit.ips.length + held.size();
    }
    List<Change> changes = new ArrayList<>(changeCount);
    changes.addAll(w.failures);
    for (int m = 0; m < memberCount; m++) {
      ServiceInfo member = unit.members.get(m);
      for (Problem p : w.requests.get(m).problems()) {
        changes.add(
            new Change(Kind.INVALID_ANNOTATION, null, member.key(), null, null, p.toString()));
      }
      Map<IpAddress, String> held = holdings.of(member.key());
      for (IpAddress ip : unit.ips) {
        if (!held.containsKey(ip)) {
          changes.add(new Change(Kind.ALLOCATED, ip, member.key(), null, null, unit.className));
        }
      }
      for (IpAddress ip : held.keySet()) {
        if (!w.holds(ip)) {
          changes.add(new Change(Kind.RELEASED, ip, member.key(), null, null, null));
        }
      }
    }
    unit.allocationChanges = changes.isEmpty() ? List.of() : changes;
    if (!anyHeld) {
      return Held.NOWHERE;
    }
    String[] nodes = new String[unit.ips.length];
    String[] memberNodes = new String[unit.ips.length * memberCount];
    for (int i = 0; i < unit.ips.length; i++) {
      nodes[i] = w.current.get(unit.ips[i]);
      for (int m = 0; m < memberCount; m++) {
        memberNodes[i * memberCount + m] =
            memberCount == 1 ? nodes[i] : holdings.of(unit.members.get(m).key()).get(unit.ips[i]);
      }
    }
    return new Held(nodes, memberNodes);
  }
}
