package io.l2lb.core.validation;

import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.PoolOverlaps;
import io.l2lb.core.pool.PoolParseResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks MetalLoadBalancerClasses: the same rules as the CRD's CEL validation (for clusters whose
 * CRD lacks them, and for {@code kubectl l2lb validate} before applying), plus what only a view of
 * the whole cluster shows: overlaps between classes, several defaults, a nodeSelector that matches
 * no node.
 *
 * <p>Where two classes conflict, the older one ({@link ClassInfo#OLDEST_FIRST}) wins: of several
 * defaults, the oldest is the default (all are warned); of two overlapping pools, only the newer
 * class is flagged (an error: Valid=False, reason PoolOverlap) and the addresses they share stay
 * with the older one ({@link ClassCheck#yieldsTo}).
 */
public final class ClassValidator {
  private ClassValidator() {}

  /** Checks every class against the others and the nodes; result keyed and ordered by name. */
  public static Map<String, ClassCheck> checkAll(List<ClassInfo> classes, List<NodeInfo> nodes) {
    List<ClassInfo> sorted =
        classes.stream().sorted(Comparator.comparing(ClassInfo::name)).toList();
    Map<String, List<Problem>> problems = new LinkedHashMap<>();
    Map<String, String> reasons = new HashMap<>();
    Map<String, AddressPool> pools = new TreeMap<>();

    for (ClassInfo c : sorted) {
      List<Problem> own = new ArrayList<>();
      problems.put(c.name(), own);
      if (!"L2".equals(c.type())) {
        own.add(
            Problem.error("spec.type", "type \"" + c.type() + "\" is not supported; set it to L2"));
        reasons.putIfAbsent(c.name(), Reasons.UNSUPPORTED_TYPE);
      }
      PoolParseResult parsed = AddressPool.parseLenient(c.addressPool());
      for (String error : parsed.errors()) {
        own.add(Problem.error("spec.addressPool", error));
        reasons.putIfAbsent(c.name(), Reasons.INVALID_POOL);
      }
      if (c.addressPool().isEmpty()) {
        own.add(
            Problem.error(
                "spec.addressPool",
                "the pool is empty; list at least one CIDR (192.0.2.0/28)"
                    + " or range (192.0.2.10-192.0.2.20)"));
        reasons.putIfAbsent(c.name(), Reasons.EMPTY_POOL);
      }
      for (var overlap : parsed.pool().internalOverlaps()) {
        own.add(
            Problem.error(
                "spec.addressPool",
                "entries "
                    + overlap.a().text()
                    + " and "
                    + overlap.b().text()
                    + " overlap; remove one or make them disjoint"));
        reasons.putIfAbsent(c.name(), Reasons.POOL_OVERLAP);
      }
      pools.put(c.name(), parsed.pool());
      if (nodes.stream().noneMatch(n -> c.selects(n.labels()))) {
        own.add(
            Problem.warning(
                "spec.nodeSelector",
                "selector "
                    + c.nodeSelector()
                    + " matches no node;"
                    + " label the balancer nodes (kubectl label node NAME "
                    + firstLabel(c)
                    + ") or change the selector"));
      }
    }

    Map<String, ClassInfo> byName = new HashMap<>();
    for (ClassInfo c : sorted) {
      byName.put(c.name(), c);
    }
    Map<String, List<String>> yieldsTo = new HashMap<>();
    for (PoolOverlaps.ClassOverlap o : PoolOverlaps.between(pools)) {
      // The older class was there first: only the newer one is flagged, and the shared addresses
      // stay with the older one.
      boolean aOlder =
          ClassInfo.OLDEST_FIRST.compare(byName.get(o.classA()), byName.get(o.classB())) < 0;
      String newer = aOlder ? o.classB() : o.classA();
      String older = aOlder ? o.classA() : o.classB();
      String newerEntry = (aOlder ? o.b() : o.a()).text();
      String olderEntry = (aOlder ? o.a() : o.b()).text();
      problems
          .get(newer)
          .add(
              Problem.error(
                  "spec.addressPool",
                  "entry "
                      + newerEntry
                      + " overlaps entry "
                      + olderEntry
                      + " of class "
                      + older
                      + ", which is older and keeps the addresses they share; remove them from"
                      + " this pool: pools of different classes must not overlap"));
      reasons.putIfAbsent(newer, Reasons.POOL_OVERLAP);
      List<String> olderOnes = yieldsTo.computeIfAbsent(newer, k -> new ArrayList<>());
      if (!olderOnes.contains(older)) {
        olderOnes.add(older);
      }
    }

    List<ClassInfo> defaults =
        sorted.stream().filter(ClassInfo::isDefault).sorted(ClassInfo.OLDEST_FIRST).toList();
    if (defaults.size() > 1) {
      String winner = defaults.get(0).name();
      String all = String.join(", ", defaults.stream().map(ClassInfo::name).toList());
      for (ClassInfo d : defaults) {
        problems
            .get(d.name())
            .add(
                Problem.warning(
                    "spec.isDefault",
                    "classes "
                        + all
                        + " are all default; Services without a class use "
                        + winner
                        + " (the oldest). Set isDefault: false on all but one"));
      }
    }

    Map<String, ClassCheck> checks = new LinkedHashMap<>();
    for (ClassInfo c : sorted) {
      AddressPool pool = pools.get(c.name());
      boolean usable = "L2".equals(c.type()) && !pool.isEmpty();
      checks.put(
          c.name(),
          new ClassCheck(
              c.name(),
              pool,
              usable,
              problems.get(c.name()),
              reasons.getOrDefault(c.name(), Reasons.VALID),
              yieldsTo.getOrDefault(c.name(), List.of())));
    }
    return checks;
  }

  private static String firstLabel(ClassInfo c) {
    return c.nodeSelector().entrySet().stream()
        .findFirst()
        .map(e -> e.getKey() + "=" + e.getValue())
        .orElse("KEY=VALUE");
  }
}
