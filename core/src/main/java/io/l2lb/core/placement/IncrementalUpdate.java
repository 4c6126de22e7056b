package io.l2lb.core.placement;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.ClassTable.ClassView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link PlacementEngine#update}: the failover fast path.
 *
 * <p>Why it may skip steps: allocation ({@link IpAllocation}) reads classes, Services and what they
 * hold, never nodes; a ready-endpoint change only narrows the candidates of a Local Service. So
 * after such events, on a settled state, allocation would come out as it did, and {@code update}
 * reuses the previous result's units with their IPs (its standing complaints included) and runs
 * node choice and reporting again for the classes the event touches. Node choice is per class
 * ({@link NodeChoice}), so the other classes' slices stay as they are, minus the changes that were
 * reported when they were made: {@code compute(next)} on the settled state would not repeat those
 * either.
 *
 * <p>An endpoint change is a Service change. Only one that differs in nothing but {@code
 * readyEndpointNodes} takes this path; it touches the Service's class if the Service is Local, and
 * nothing otherwise (a Cluster Service never reads its endpoints). Any other Service change, and
 * any change of classes or announcements, takes the full path.
 */
final class IncrementalUpdate {
  private IncrementalUpdate() {}

  static PlacementResult update(Snapshot before, PlacementResult previous, Snapshot next) {
    Map<ServiceKey, ServiceInfo> endpointChanges = fastPathChanges(before, next);
    if (endpointChanges == null) {
      return PlacementEngine.compute(next);
    }
    Set<String> affected = affectedClasses(before, next, previous, endpointChanges);
    if (affected.isEmpty() && previous.changes().stream().allMatch(Change::standing)) {
      return previous; // already what compute(next) gives: callers may test for identity
    }

    NodeTable nodes = affected.isEmpty() ? null : NodeTable.of(next.nodes(), previous.nodeTable());
    ClassTable classes = affected.isEmpty() ? null : ClassTable.of(next.classes(), nodes);
    ServiceOutcomes outcomes =
        affected.isEmpty() ? previous.serviceTable() : previous.serviceTable().copy();
    Map<String, ClassSlice> slices = new LinkedHashMap<>();
    Map<String, ClassOutcome> classOutcomes = new LinkedHashMap<>();
    for (Map.Entry<String, ClassOutcome> e : previous.classes().entrySet()) {
      String name = e.getKey();
      ClassSlice old = previous.slice(name);
      if (!affected.contains(name)) {
        slices.put(name, old.standingOnly());
        classOutcomes.put(name, e.getValue());
        continue;
      }
      ClassView cls = classes.get(name);
      List<Unit> units = refreshed(old.units(), endpointChanges);
      List<int[]> was;
      List<int[]> memberWas;
      if (nodes.samePositionsAs(old.nodes())) {
        // The same node names: where each IP went last time is already in node positions.
        was = old.chosen();
        memberWas = perMember(units, was);
      } else {
        memberWas = nodesOf(old, nodes);
        was = firstMembers(units, memberWas);
      }
      slices.put(
          name, PlacementEngine.placeClass(cls, nodes, units, was, memberWas, outcomes, old, true));
      classOutcomes.put(name, Outcomes.classOutcome(cls, units));
    }
    // A settled state has no Service that is not ours holding IPs: nothing else to release.
    // Orphans read Services, classes and announcements only, none of which changed.
    return new PlacementResult(
        slices,
        classOutcomes,
        outcomes,
        previous.orphans().standingOnly(),
        List.of(),
        nodes == null ? previous.nodeTable() : nodes);
  }

  /** Whether {@code update(before, ..., next)} takes the fast path (tests check it does). */
  static boolean takesFastPath(Snapshot before, Snapshot next) {
    return fastPathChanges(before, next) != null;
  }

  /**
   * The Services whose ready endpoints changed, by key, when only nodes and endpoints differ; null
   * when the full path is needed.
   */
  private static Map<ServiceKey, ServiceInfo> fastPathChanges(Snapshot before, Snapshot next) {
    if (!sameElements(before.classes(), next.classes())
        || !sameElements(before.announcements(), next.announcements())) {
      return null;
    }
    return endpointChanges(before.services(), next.services());
  }

  /** Classes that select a changed node (as it was or as it is) or hold a changed Local Service. */
  private static Set<String> affectedClasses(
      Snapshot before,
      Snapshot next,
      PlacementResult previous,
      Map<ServiceKey, ServiceInfo> endpointChanges) {
    Set<String> affected = new HashSet<>();
    if (before.nodes() != next.nodes()) {
      List<NodeInfo> changed = alignedChanges(before.nodes(), next.nodes());
      if (changed == null) {
        Map<String, NodeInfo> old = new HashMap<>();
        for (NodeInfo n : before.nodes()) {
          old.put(n.name(), n);
        }
        changed = new ArrayList<>();
        for (NodeInfo n : next.nodes()) {
          NodeInfo was = old.remove(n.name());
          if (n != was && !n.equals(was)) {
            changed.add(n);
            if (was != null) changed.add(was);
          }
        }
        changed.addAll(old.values());
      }
      for (ClassInfo c : next.classes()) {
        for (NodeInfo n : changed) {
          if (c.selects(n.labels())) {
            affected.add(c.name());
            break;
          }
        }
      }
    }
    for (ServiceInfo s : endpointChanges.values()) {
      ServiceOutcome o = previous.services().get(s.key());
      if (s.localTrafficPolicy() && o != null && o.className() != null) {
        affected.add(o.className());
      }
    }
    return affected;
  }

  /**
   * Both versions of every node that differs, when both lists name the same nodes in the same order
   * (as an operator's cache gives them); null when they do not line up.
   */
  private static List<NodeInfo> alignedChanges(List<NodeInfo> before, List<NodeInfo> next) {
    if (before.size() != next.size()) {
      return null;
    }
    List<NodeInfo> changed = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      NodeInfo a = before.get(i);
      NodeInfo b = next.get(i);
      if (a == b) {
        continue;
      }
      if (!a.name().equals(b.name())) {
        return null;
      }
      if (!a.equals(b)) {
        changed.add(b);
        changed.add(a);
      }
    }
    return changed;
  }

  /**
   * The Services of {@code next} that differ from {@code before} only in their ready endpoints, by
   * key; null when any Service differs in anything else, or the lists differ in length or order.
   */
  private static Map<ServiceKey, ServiceInfo> endpointChanges(
      List<ServiceInfo> before, List<ServiceInfo> next) {
    if (before == next) {
      return Map.of();
    }
    if (before.size() != next.size()) {
      return null;
    }
    Map<ServiceKey, ServiceInfo> changed = new HashMap<>();
    for (int i = 0; i < before.size(); i++) {
      ServiceInfo a = before.get(i);
      ServiceInfo b = next.get(i);
      if (a == b || a.equals(b)) {
        continue;
      }
      if (!onlyEndpointsDiffer(a, b)) {
        return null;
      }
      changed.put(b.key(), b);
    }
    return changed;
  }

  private static boolean onlyEndpointsDiffer(ServiceInfo a, ServiceInfo b) {
    return a.key().equals(b.key())
        && Objects.equals(a.uid(), b.uid())
        && Objects.equals(a.loadBalancerClass(), b.loadBalancerClass())
        && a.annotations().equals(b.annotations())
        && a.localTrafficPolicy() == b.localTrafficPolicy()
        && a.ports().equals(b.ports())
        && a.ingressIps().equals(b.ingressIps());
  }

  private static <T> boolean sameElements(List<T> a, List<T> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      T x = a.get(i);
      T y = b.get(i);
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** The units with the members whose endpoints changed replaced by their new version. */
  private static List<Unit> refreshed(List<Unit> units, Map<ServiceKey, ServiceInfo> changes) {
    if (changes.isEmpty()) {
      return units;
    }
    List<Unit> out = new ArrayList<>(units.size());
    for (Unit u : units) {
      List<ServiceInfo> members = null;
      for (int m = 0; m < u.members.size(); m++) {
        ServiceInfo now = changes.get(u.members.get(m).key());
        if (now != null) {
          if (members == null) {
            members = new ArrayList<>(u.members);
          }
          members.set(m, now);
        }
      }
      out.add(members == null ? u : u.withMembers(List.copyOf(members)));
    }
    return out;
  }

  /**
   * Per unit of the slice, the node of each of its placements ({@code i * members + m}; -1: none,
   * or no longer a node).
   */
  private static List<int[]> nodesOf(ClassSlice slice, NodeTable nodes) {
    List<int[]> was = new ArrayList<>(slice.units().size());
    int position = 0;
    for (Unit u : slice.units()) {
      int[] at = new int[u.placementCount()];
      for (int k = 0; k < at.length; k++) {
        at[k] = nodes.indexOf(slice.placements().get(position + k).nodeName());
      }
      was.add(at);
      position += at.length;
    }
    return was;
  }

  /** Each IP's node repeated for every member ({@code i * members + m}). */
  private static List<int[]> perMember(List<Unit> units, List<int[]> was) {
    List<int[]> out = new ArrayList<>(units.size());
    for (int u = 0; u < units.size(); u++) {
      int members = units.get(u).members.size();
      int[] at = was.get(u);
      if (members == 1) {
        out.add(at);
        continue;
      }
      int[] all = new int[at.length * members];
      for (int k = 0; k < all.length; k++) {
        all[k] = at[k / members];
      }
      out.add(all);
    }
    return out;
  }

  /**
   * The unit's view for node choice: its first member's. Members of a unit are placed together, so
   * once a result is applied they all agree.
   */
  private static List<int[]> firstMembers(List<Unit> units, List<int[]> memberWas) {
    List<int[]> was = new ArrayList<>(units.size());
    for (int u = 0; u < units.size(); u++) {
      int members = units.get(u).members.size();
      int[] all = memberWas.get(u);
      if (members == 1) {
        was.add(all);
        continue;
      }
      int[] first = new int[all.length / members];
      for (int i = 0; i < first.length; i++) {
        first[i] = all[i * members];
      }
      was.add(first);
    }
    return was;
  }
}
