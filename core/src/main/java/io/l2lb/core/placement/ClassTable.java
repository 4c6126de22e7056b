package io.l2lb.core.placement;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.validation.ClassCheck;
import io.l2lb.core.validation.ClassValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classes of one computation, by name, each with its validation result and the nodes it
 * selects. Which nodes a class selects is worked out on first use: an incremental update looks at
 * only the classes it recomputes.
 */
final class ClassTable {
  /** One class as a computation sees it. */
  static final class ClassView {
    final ClassInfo info;
    final ClassCheck check;

    /**
     * What this class hands out new addresses from: its pool without the addresses it shares with
     * older classes ({@link ClassCheck#yieldsTo}); usually the pool itself.
     */
    final AddressPool allocationPool;

    private final NodeTable nodes;
    private int[] selected;
    private int[] candidates;

    private ClassView(
        ClassInfo info, ClassCheck check, AddressPool allocationPool, NodeTable nodes) {
      this.info = info;
      this.check = check;
      this.allocationPool = allocationPool;
      this.nodes = nodes;
    }

    String name() {
      return info.name();
    }

    /** Nodes the nodeSelector matches, ascending. */
    int[] selected() {
      resolveNodes();
      return selected;
    }

    /** Selected nodes that can announce ({@link NodeInfo#healthy()}), ascending. */
    int[] candidates() {
      resolveNodes();
      return candidates;
    }

    private void resolveNodes() {
      if (selected != null) {
        return;
      }
      int[] sel = new int[nodes.size()];
      int[] cand = new int[nodes.size()];
      int s = 0;
      int c = 0;
      for (int i = 0; i < nodes.size(); i++) {
        NodeInfo n = nodes.node(i);
        if (info.selects(n.labels())) {
          sel[s++] = i;
          if (n.healthy()) {
            cand[c++] = i;
          }
        }
      }
      selected = java.util.Arrays.copyOf(sel, s);
      candidates = java.util.Arrays.copyOf(cand, c);
    }
  }

  private final Map<String, ClassView> byName = new TreeMap<>();
  private final Map<String, ClassView> lookup = new java.util.HashMap<>();
  private final String defaultClass;

  private ClassTable(List<ClassInfo> classes, NodeTable nodes) {
    Map<String, ClassCheck> checks = ClassValidator.checkAll(classes, nodes.list());
    List<ClassInfo> sorted = new ArrayList<>(classes);
    sorted.sort(java.util.Comparator.comparing(ClassInfo::name));
    for (ClassInfo c : sorted) {
      ClassCheck check = checks.get(c.name());
      AddressPool allocation = check.pool();
      if (!check.yieldsTo().isEmpty()) {
        List<AddressPool> older = new ArrayList<>();
        for (String name : check.yieldsTo()) {
          older.add(checks.get(name).pool());
        }
        allocation = allocation.minus(older);
      }
      byName.put(c.name(), new ClassView(c, check, allocation, nodes));
    }
    this.defaultClass = ClassResolution.defaultClass(classes);
    lookup.putAll(byName);
  }

  static ClassTable of(List<ClassInfo> classes, NodeTable nodes) {
    return new ClassTable(classes, nodes);
  }

  /** The class, or null when there is none of that name. */
  ClassView get(String name) {
    return lookup.get(name);
  }

  boolean contains(String name) {
    return lookup.containsKey(name);
  }

  /** The class for Services that name none: the oldest default class, or null. */
  String defaultClass() {
    return defaultClass;
  }

  /** Every class, in name order. */
  Collection<ClassView> all() {
    return byName.values();
  }
}
