package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.placement.Change.Kind;
import io.l2lb.core.placement.ClassTable.ClassView;
import io.l2lb.core.placement.NodeChoice.Choice;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.Problem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Step 4 of the pipeline, <b>report</b>: placements, changes, Service outcomes (with their
 * condition text) and class outcomes. Every member of a shared unit is reported on its own: its own
 * placements, its own changes (the operator turns each into an Event on the Service the change
 * names) and its own condition, which never quotes another member's error.
 */
final class Outcomes {
  private Outcomes() {}

  /**
   * One class's slice, its members' outcomes written into {@code outcomes}.
   *
   * @param was per unit, the node each IP of each member was on ({@code i * members + m}; -1: none)
   * @param previous the slice this one replaces (an update: same units, and {@code outcomes} holds
   *     their previous outcomes), to reuse what did not change; or null
   * @param standingOnly report only the standing part of the allocation changes (an update: the
   *     rest was reported when the allocation was made)
   */
  static ClassSlice slice(
      ClassView cls,
      NodeTable nodes,
      List<Unit> units,
      List<int[]> was,
      Choice[] choices,
      ServiceOutcomes outcomes,
      ClassSlice previous,
      boolean standingOnly) {
    List<Placement> placements = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    ConditionState bound =
        new ConditionState(
            Conditions.SERVICE_CLASS,
            true,
            Reasons.CLASS_BOUND,
            "bound to MetalLoadBalancerClass " + cls.name());
    Map<Integer, ConditionState> allAssigned = new HashMap<>();
    Map<ConditionState, List<ConditionState>> sharedConditions = new java.util.IdentityHashMap<>();
    int previousPosition = 0;
    for (int u = 0; u < units.size(); u++) {
      Unit unit = units.get(u);
      int[] from = was.get(u);
      int[] to = choices[u].nodes();
      for (Change c : unit.allocationChanges) {
        if (!standingOnly || c.standing()) {
          changes.add(c);
        }
      }
      int count = unit.placementCount();
      if (previous != null
          && nothingMoved(from, to, unit.members.size(), previous, previousPosition)) {
        // Same allocation, same nodes: the previous placements and outcomes (already in the
        // table) are this unit's, word for word.
        placements.addAll(
            previous.placements().subList(previousPosition, previousPosition + count));
        previousPosition += count;
        continue;
      }
      previousPosition += count;
      int unannounced = 0;
      int memberCount = unit.members.size();
      for (int i = 0; i < unit.ips.length; i++) {
        IpAddress ip = unit.ips[i];
        String toName = to[i] < 0 ? null : nodes.name(to[i]);
        if (toName == null) {
          unannounced++;
        }
        for (int m = 0; m < memberCount; m++) {
          ServiceInfo member = unit.members.get(m);
          placements.add(placement(previous, placements.size(), ip, toName, member, cls));
          int fromNode = from[i * memberCount + m];
          if (fromNode != to[i]) {
            changes.add(move(unit, member, ip, fromNode, to[i], choices[u], cls, nodes));
          }
        }
      }
      for (int m = 0; m < unit.members.size(); m++) {
        ServiceKey key = unit.members.get(m).key();
        List<Problem> problems = unit.problems.get(m);
        ConditionState assigned = assignedCondition(cls, unit, m, unannounced, allAssigned);
        // Most Services share their two conditions with others of the class: share the list.
        List<ConditionState> conditions =
            allAssigned.get(unit.ips.length) == assigned
                ? sharedConditions.computeIfAbsent(assigned, c -> List.of(bound, c))
                : List.of(bound, assigned);
        outcomes.set(
            new ServiceOutcome(
                key, unit.className, unit.wanted, unit.ipList, problems, conditions));
      }
    }
    List<int[]> chosen = new ArrayList<>(choices.length);
    for (NodeChoice.Choice c : choices) {
      chosen.add(c.nodes());
    }
    return new ClassSlice(units, chosen, nodes, placements, changes);
  }

  /**
   * Whether every member's IPs are where the previous placements put them (-1 in {@code from} is
   * also a node that no longer exists: then only a previous "no node" matches).
   */
  private static boolean nothingMoved(
      int[] from, int[] to, int members, ClassSlice previous, int position) {
    for (int k = 0; k < from.length; k++) {
      if (from[k] != to[k / members]
          || (from[k] < 0 && previous.placements().get(position + k).nodeName() != null)) {
        return false;
      }
    }
    return true;
  }

  private static Placement placement(
      ClassSlice previous,
      int position,
      IpAddress ip,
      String node,
      ServiceInfo member,
      ClassView cls) {
    if (previous != null && position < previous.placements().size()) {
      Placement p = previous.placements().get(position);
      if (p.ip() == ip && Objects.equals(p.nodeName(), node) && p.service().equals(member.key())) {
        return p;
      }
    }
    return new Placement(ip, node, member.key(), cls.name(), cls.info.interfaces());
  }

  private static Change move(
      Unit unit,
      ServiceInfo member,
      IpAddress ip,
      int from,
      int to,
      Choice choice,
      ClassView cls,
      NodeTable nodes) {
    String fromName = from < 0 ? null : nodes.name(from);
    if (to < 0) {
      return new Change(Kind.UNANNOUNCED, ip, member.key(), fromName, null, null);
    }
    String toName = nodes.name(to);
    if (from < 0) {
      return new Change(Kind.ASSIGNED, ip, member.key(), null, toName, null);
    }
    if (java.util.Arrays.binarySearch(choice.candidates(), from) >= 0) {
      return new Change(Kind.REBALANCED, ip, member.key(), fromName, toName, null);
    }
    return new Change(
        Kind.FAILED_OVER,
        ip,
        member.key(),
        fromName,
        toName,
        whyNotCandidate(unit, member, nodes.node(from), cls));
  }

  private static String whyNotCandidate(
      Unit unit, ServiceInfo member, NodeInfo node, ClassView cls) {
    String reason = node.unhealthyReason();
    if (reason != null) {
      return reason;
    }
    if (!cls.info.selects(node.labels())) {
      return "node no longer matches the class nodeSelector";
    }
    if (member.localTrafficPolicy() && !member.readyEndpointNodes().contains(node.name())) {
      return "no ready local endpoint of the Service";
    }
    for (ServiceInfo other : unit.members) {
      if (other.localTrafficPolicy() && !other.readyEndpointNodes().contains(node.name())) {
        return "no ready local endpoint of Service " + other.key() + ", which shares the IP";
      }
    }
    return "not a candidate";
  }

  /** AllPublicIPsAssigned of member m: counts, then why not all, then how many lack a node. */
  private static ConditionState assignedCondition(
      ClassView cls, Unit unit, int m, int unannounced, Map<Integer, ConditionState> allAssigned) {
    int assigned = unit.ips.length;
    int wanted = unit.wanted;
    Problem ownError = unit.firstErrors[m];
    String message;
    String reason;
    boolean ok = false;
    if (ownError != null) {
      reason = Reasons.INVALID_ANNOTATION;
      message = keptAsTheyWere(assigned, wanted) + ownError;
    } else if (unit.frozen) {
      reason = Reasons.SHARED_WITH_INVALID;
      message =
          keptAsTheyWere(assigned, wanted)
              + "Service "
              + unit.members.get(unit.firstInvalidMember()).key()
              + ", which shares them (key \""
              + unit.sharedKey
              + "\"), has an invalid annotation; its conditions say which";
    } else if (assigned < wanted) {
      reason = Reasons.POOL_EXHAUSTED;
      message =
          assigned
              + " of "
              + wanted
              + " public IPs were assigned; "
              + IpAllocation.poolShortage(wanted, cls)
              + "; lower "
              + Annotations.EXTERNAL_IPS_COUNT
              + " or add addresses to spec.addressPool of MetalLoadBalancerClass "
              + cls.name();
    } else {
      if (unannounced == 0 && assigned == wanted) {
        // The common case: one condition object per count, shared by the class's Services.
        return allAssigned.computeIfAbsent(
            assigned,
            n ->
                new ConditionState(
                    Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                    true,
                    Reasons.ALL_ASSIGNED,
                    n + " of " + n + " public IPs were assigned"));
      }
      ok = true;
      reason = Reasons.ALL_ASSIGNED;
      message = assigned + " of " + wanted + " public IPs were assigned";
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
    return new ConditionState(Conditions.ALL_PUBLIC_IPS_ASSIGNED, ok, reason, message);
  }

  private static String keptAsTheyWere(int assigned, int wanted) {
    return assigned
        + " of "
        + (wanted == 0 ? assigned : wanted)
        + " public IPs were assigned; kept as they were because ";
  }

  /** A Service that is ours but names a class that does not exist. */
  static ServiceOutcome unbound(ServiceKey key, List<Problem> problems) {
    return new ServiceOutcome(
        key,
        null,
        0,
        List.of(),
        problems,
        List.of(
            new ConditionState(
                Conditions.SERVICE_CLASS,
                false,
                Reasons.CLASS_NOT_FOUND,
                problems.get(0).message())));
  }

  /**
   * Services that hold IPs but are no longer ours (deleted, type changed, class gone) release them;
   * namespace/name order, then IPs ascending.
   */
  static List<Change> releasesOfOthers(Holdings holdings, Predicate<ServiceKey> handled) {
    List<ServiceKey> gone = new ArrayList<>();
    for (ServiceKey key : holdings.all().keySet()) {
      if (!handled.test(key)) {
        gone.add(key);
      }
    }
    gone.sort(null);
    List<Change> changes = new ArrayList<>();
    for (ServiceKey key : gone) {
      holdings
          .of(key)
          .forEach((ip, node) -> changes.add(new Change(Kind.RELEASED, ip, key, node, null, null)));
    }
    return changes;
  }

  /**
   * Valid and Ready of a class, with its address and node counts. The Valid message carries the
   * warnings too (several defaults, a selector that matches no node): {@code "spec is valid;
   * warning: spec.isDefault: ..."}.
   */
  static ClassOutcome classOutcome(ClassView cls, List<Unit> units) {
    long allocated = 0;
    for (Unit u : units) {
      allocated += u.ips.length;
    }
    BigInteger total = cls.check.pool().size();
    long free =
        AddressPool.saturate(
            cls.allocationPool.size().subtract(BigInteger.valueOf(allocated)).max(BigInteger.ZERO));
    List<ConditionState> conditions = new ArrayList<>();
    List<Problem> errors = cls.check.errors();
    List<Problem> warnings = cls.check.warnings();
    String message =
        errors.isEmpty()
            ? "spec is valid"
            : errors.stream().map(Problem::toString).reduce((a, b) -> a + "; " + b).orElse("");
    if (!warnings.isEmpty()) {
      message +=
          "; warning: "
              + warnings.stream().map(Problem::toString).reduce((a, b) -> a + "; " + b).orElse("");
    }
    conditions.add(
        errors.isEmpty()
            ? new ConditionState(Conditions.VALID, true, Reasons.VALID, message)
            : new ConditionState(Conditions.VALID, false, cls.check.validReason(), message));
    int selected = cls.selected().length;
    int ready = cls.candidates().length;
    if (selected == 0) {
      conditions.add(
          new ConditionState(
              Conditions.READY,
              false,
              Reasons.NO_NODES_SELECTED,
              "nodeSelector " + cls.info.nodeSelector() + " matches no node"));
    } else if (ready == 0) {
      conditions.add(
          new ConditionState(
              Conditions.READY,
              false,
              Reasons.NO_READY_NODES,
              "none of the "
                  + selected
                  + " selected nodes can announce (Ready, speaker alive, network available, not"
                  + " excluded)"));
    } else {
      conditions.add(
          new ConditionState(
              Conditions.READY,
              true,
              Reasons.NODES_READY,
              ready + " of " + selected + " selected nodes can announce"));
    }
    return new ClassOutcome(
        cls.name(), cls.check, total, allocated, free, selected, ready, conditions);
  }

  /**
   * Services whose class was deleted while they held IPs: each keeps its IPs, and its announcements
   * come back word for word (node, class, interfaces; no failover: there is no selector to choose
   * candidates by), with a standing CLASS_NOT_FOUND complaint. Namespace/name order, IPs ascending.
   *
   * @return the orphans' placements and changes, their outcomes written into {@code outcomes}
   */
  static ClassSlice orphans(
      List<ClassBinding.Orphan> orphans,
      Holdings holdings,
      List<AnnouncementInfo> announcements,
      ServiceOutcomes outcomes) {
    if (orphans.isEmpty()) {
      return ClassSlice.EMPTY;
    }
    Map<ServiceKey, TreeMap<IpAddress, AnnouncementInfo>> objects = new HashMap<>();
    for (ClassBinding.Orphan o : orphans) {
      objects.put(o.key(), new TreeMap<>());
    }
    for (AnnouncementInfo a : announcements) {
      TreeMap<IpAddress, AnnouncementInfo> own = objects.get(a.service());
      if (own == null) {
        continue;
      }
      IpAddress.tryParse(a.ip()).ifPresent(ip -> own.merge(ip, a, (x, y) -> preferredObject(x, y)));
    }
    List<Placement> placements = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (ClassBinding.Orphan o : orphans) {
      for (Map.Entry<IpAddress, AnnouncementInfo> e : objects.get(o.key()).entrySet()) {
        AnnouncementInfo a = e.getValue();
        placements.add(
            new Placement(
                e.getKey(),
                a.nodeName(),
                o.key(),
                a.className() == null ? o.className() : a.className(),
                a.interfaces()));
      }
      List<IpAddress> ips = List.copyOf(holdings.of(o.key()).keySet());
      int n = ips.size();
      String kept =
          "MetalLoadBalancerClass "
              + o.className()
              + " does not exist; the Service keeps its "
              + n
              + " public IP"
              + (n == 1 ? "" : "s")
              + " and their announcements (without failover) until a class named "
              + o.className()
              + " exists again or the Service names another class";
      for (Problem p : o.problems()) {
        kept += "; " + p;
      }
      changes.add(new Change(Kind.CLASS_NOT_FOUND, null, o.key(), null, null, kept));
      outcomes.set(
          new ServiceOutcome(
              o.key(),
              null,
              n,
              ips,
              o.problems(),
              List.of(
                  new ConditionState(
                      Conditions.SERVICE_CLASS, false, Reasons.CLASS_NOT_FOUND, kept),
                  new ConditionState(
                      Conditions.ALL_PUBLIC_IPS_ASSIGNED,
                      false,
                      Reasons.CLASS_NOT_FOUND,
                      n
                          + " of "
                          + n
                          + " public IPs were kept; their class "
                          + o.className()
                          + " does not exist"))));
    }
    return new ClassSlice(List.of(), List.of(), null, placements, changes);
  }

  /** Two objects of one IP of one Service (only a crash leaves that): the first node by name. */
  private static AnnouncementInfo preferredObject(AnnouncementInfo x, AnnouncementInfo y) {
    if (x.nodeName() == null) return y;
    if (y.nodeName() == null) return x;
    return x.nodeName().compareTo(y.nodeName()) <= 0 ? x : y;
  }
}
