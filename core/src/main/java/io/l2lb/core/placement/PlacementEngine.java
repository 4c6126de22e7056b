package io.l2lb.core.placement;

import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.ClassTable.ClassView;
import io.l2lb.core.placement.NodeChoice.Choice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The placement engine: a pure function from a {@link Snapshot} to a {@link PlacementResult}.
 *
 * <h2>The rule</h2>
 *
 * <b>IPs</b> ({@link IpAllocation}). A Service keeps the IPs it holds, unless they left its class
 * pool, it asks for fewer, or it asks for other explicit IPs; explicit IPs ({@code
 * load-balancer-ips}) are honoured when no one holds them; the rest come lowest-free from the class
 * pool. Not enough: the Service gets what exists and its condition says so. A Service with an
 * invalid annotation keeps exactly what it has and gets nothing new. Services sharing a {@code
 * load-balancer-shared-ip-key} (same namespace and class) hold the same IPs.
 *
 * <p><b>Nodes</b> ({@link NodeChoice}), per class. A node is a candidate for an IP when the class
 * selects it, it is Ready, its speaker is alive, it has no NetworkUnavailable and no exclusion
 * label, and (for {@code externalTrafficPolicy: Local}) it has a ready endpoint of the Service.
 *
 * <ol type="A">
 *   <li><b>Stability</b>: an IP stays on its node while that node is a candidate.
 *   <li><b>Choice</b>: an IP without a node goes to the candidate that holds no other IP of its
 *       Service, then the least loaded in the class, then the lowest {@link TieBreak hash(node,
 *       ip)}, then the first by name.
 *   <li><b>Spread restore</b>: where a Service has two IPs on one node while a candidate holds none
 *       of its IPs, one of them moves there: the only move of an IP whose node is still a
 *       candidate, so a recovered node gets IPs back only where that restores one IP per node.
 * </ol>
 *
 * No candidate: the IP stays allocated to the Service, unannounced, and its condition says so.
 * Nothing is ever lost.
 *
 * <p><b>Classes</b> ({@link ClassResolution}). Where classes conflict, the older one wins: the
 * oldest of several default classes is the default (all are warned in their Valid condition); of
 * two classes whose pools overlap only the newer is flagged (Valid=False, PoolOverlap), and the
 * addresses they share stay with the older one, so no address is handed out twice. A Service whose
 * class is deleted while it holds IPs keeps them and its announcements as they are (no failover),
 * flagged ClassNotFound, and nobody else gets them, until a class of that name exists again or the
 * Service names another class. A count larger than the pool gets what exists, and says so.
 *
 * <h2>The pipeline</h2>
 *
 * Four steps, each in its own class, in this order: <b>bind</b> ({@link ClassBinding}: class,
 * annotations, shared keys → units), <b>allocate</b> ({@link IpAllocation}: IPs per unit, over all
 * classes at once because pools may overlap), <b>choose nodes</b> ({@link NodeChoice}: per class)
 * and <b>report</b> ({@link Outcomes}: placements, changes, conditions, per class). Everything is
 * processed in a fixed order (Services by namespace/name, IPs ascending, nodes and classes by
 * name), so the same snapshot in any input order gives the same result, in the order {@link
 * PlacementResult} documents. {@link IncrementalUpdate} re-runs only the last two steps, and only
 * for the classes an event touches.
 */
public final class PlacementEngine {
  private PlacementEngine() {}

  public static PlacementResult compute(Snapshot snapshot) {
    NodeTable nodes = NodeTable.of(snapshot.nodes());
    ClassTable classes = ClassTable.of(snapshot.classes(), nodes);
    Holdings holdings = Holdings.read(snapshot, nodes);

    ClassBinding.Bound bound = ClassBinding.bind(snapshot.services(), classes, holdings);
    List<IpAllocation.Held> held = IpAllocation.allocate(bound, classes, holdings);

    ServiceOutcomes outcomes = ServiceOutcomes.forKeys(bound.handled());
    bound.unbound().forEach((key, problems) -> outcomes.set(Outcomes.unbound(key, problems)));
    Map<String, List<Unit>> units = new HashMap<>();
    Map<String, List<int[]>> was = new HashMap<>();
    Map<String, List<int[]>> memberWas = new HashMap<>();
    for (int u = 0; u < bound.units().size(); u++) {
      Unit unit = bound.units().get(u);
      units.computeIfAbsent(unit.className, k -> new ArrayList<>()).add(unit);
      was.computeIfAbsent(unit.className, k -> new ArrayList<>())
          .add(indices(held.get(u).unit(), unit.ips.length, nodes));
      memberWas
          .computeIfAbsent(unit.className, k -> new ArrayList<>())
          .add(indices(held.get(u).members(), unit.placementCount(), nodes));
    }
    Map<String, ClassSlice> slices = new LinkedHashMap<>();
    Map<String, ClassOutcome> classOutcomes = new LinkedHashMap<>();
    for (ClassView cls : classes.all()) {
      List<Unit> own = units.getOrDefault(cls.name(), List.of());
      slices.put(
          cls.name(),
          placeClass(
              cls,
              nodes,
              own,
              was.getOrDefault(cls.name(), List.of()),
              memberWas.getOrDefault(cls.name(), List.of()),
              outcomes,
              null,
              false));
      classOutcomes.put(cls.name(), Outcomes.classOutcome(cls, own));
    }
    ClassSlice orphans =
        Outcomes.orphans(bound.orphans(), holdings, snapshot.announcements(), outcomes);
    return new PlacementResult(
        slices,
        classOutcomes,
        outcomes,
        orphans,
        Outcomes.releasesOfOthers(holdings, outcomes::containsKey),
        nodes);
  }

  /**
   * The same result as {@code compute(next)} (equal, in the same order), computed faster when
   * {@code next} differs from {@code before} only in its nodes (failed, recovered, relabelled,
   * added, removed, speaker dead or alive, NetworkUnavailable, excluded) and in the ready endpoints
   * of Services: then only node choice runs again, and only for the classes that select a changed
   * node (before or after the change) or hold a changed {@code externalTrafficPolicy: Local}
   * Service. Any other difference takes the full path, {@code compute(next)}.
   *
   * <p>Cheap when the lists that did not change are the same objects as in {@code before} (or hold
   * the same objects), as an operator's cache gives them; equal but distinct elements are compared
   * one by one. When nothing it reads changed in a way that matters and {@code previous} holds no
   * change but standing complaints ({@link Change#standing}), it returns {@code previous} itself,
   * so a caller can tell "nothing new" by identity.
   *
   * @param before the snapshot {@code previous} was computed from, once {@code previous} is
   *     applied: its announcements are {@code previous}'s placements and each Service's ingress its
   *     IPs; its classes and Services are those {@code previous} was computed from
   * @param previous the result that was applied: {@code compute} or {@code update} of the state
   *     before
   */
  public static PlacementResult update(Snapshot before, PlacementResult previous, Snapshot next) {
    return IncrementalUpdate.update(before, previous, next);
  }

  /**
   * Steps 3 and 4 for one class: choose nodes, then report.
   *
   * @param was per unit, the node of each IP now, as node choice sees it (-1: none)
   * @param memberWas per unit, the node of each IP of each member now ({@code i * members + m})
   */
  static ClassSlice placeClass(
      ClassView cls,
      NodeTable nodes,
      List<Unit> units,
      List<int[]> was,
      List<int[]> memberWas,
      ServiceOutcomes outcomes,
      ClassSlice previous,
      boolean update) {
    Choice[] choices = NodeChoice.choose(cls, nodes, units, was);
    return Outcomes.slice(cls, nodes, units, memberWas, choices, outcomes, previous, update);
  }

  /** Shared arrays of -1 ("on no node") by length; only ever read. */
  private static final int[][] NOWHERE = new int[16][];

  static {
    for (int n = 0; n < NOWHERE.length; n++) {
      NOWHERE[n] = new int[n];
      Arrays.fill(NOWHERE[n], -1);
    }
  }

  /** Node indices of {@code names} (null: {@code length} times none). */
  private static int[] indices(String[] names, int length, NodeTable nodes) {
    if (names == null) {
      if (length < NOWHERE.length) {
        return NOWHERE[length];
      }
      int[] none = new int[length];
      Arrays.fill(none, -1);
      return none;
    }
    int[] at = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      at[i] = nodes.indexOf(names[i]);
    }
    return at;
  }
}
