package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.Problem;
import java.util.List;

/**
 * What the engine allocates and places as one: a Service, or the Services of one namespace and
 * class that share their IPs under one {@code load-balancer-shared-ip-key}. Most units hold one
 * Service.
 *
 * <p>{@link ClassBinding} forms a unit; {@link IpAllocation} fills in its IPs once; from then on it
 * does not change, and results keep their units so that an update can place them again without
 * allocating.
 */
final class Unit {
  final String className;

  /** The shared-IP key, or null for a unit of one Service that names none. */
  final String sharedKey;

  /** Namespace/name order. */
  final List<ServiceInfo> members;

  /**
   * Each member's own problems (its class resolution, its annotations, its port clashes), in member
   * order: a member never carries another member's.
   */
  final List<List<Problem>> problems;

  /** Some member has an error: the unit keeps exactly the IPs it holds and gets nothing new. */
  final boolean frozen;

  /** Each member's first error, or null (what its condition quotes). */
  final Problem[] firstErrors;

  /** Some member has {@code externalTrafficPolicy: Local} (its endpoints narrow the candidates). */
  final boolean anyLocal;

  // ---- set once by IpAllocation ----

  /** How many IPs the unit should hold. */
  int wanted;

  /** The IPs, ascending. */
  IpAddress[] ips;

  /** {@link #ips} as the list every member's outcome shares. */
  List<IpAddress> ipList;

  /** {@link TieBreak#ipKey} of each IP. */
  long[] ipKeys;

  /**
   * What allocation reports for this unit, in order: ALLOCATION_FAILED, then per member
   * INVALID_ANNOTATION, ALLOCATED, RELEASED. Never modified once set.
   */
  List<Change> allocationChanges;

  Unit(
      String className,
      String sharedKey,
      List<ServiceInfo> members,
      List<List<Problem>> problems,
      boolean frozen) {
    this.className = className;
    this.sharedKey = sharedKey;
    this.members = members;
    this.problems = problems;
    this.frozen = frozen;
    boolean local = false;
    for (ServiceInfo s : members) {
      local |= s.localTrafficPolicy();
    }
    this.anyLocal = local;
    this.firstErrors = new Problem[problems.size()];
    for (int m = 0; m < firstErrors.length; m++) {
      for (Problem p : problems.get(m)) {
        if (p.isError()) {
          firstErrors[m] = p;
          break;
        }
      }
    }
  }

  /** The same allocation with other versions of the same members (endpoints changed). */
  Unit withMembers(List<ServiceInfo> newMembers) {
    Unit u = new Unit(className, sharedKey, newMembers, problems, frozen);
    u.wanted = wanted;
    u.ips = ips;
    u.ipList = ipList;
    u.ipKeys = ipKeys;
    u.allocationChanges = allocationChanges;
    return u;
  }

  /** Placements this unit contributes to its class's slice: each IP once per member. */
  int placementCount() {
    return ips.length * members.size();
  }

  /** Index of the first member with an error (the reason the unit is frozen), or -1. */
  int firstInvalidMember() {
    for (int m = 0; m < firstErrors.length; m++) {
      if (firstErrors[m] != null) {
        return m;
      }
    }
    return -1;
  }
}
