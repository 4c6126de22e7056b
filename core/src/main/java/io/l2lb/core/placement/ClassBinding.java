package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.validation.Problem;
import io.l2lb.core.validation.ServiceAnnotations;
import io.l2lb.core.validation.ServiceRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 1 of the pipeline, <b>bind</b>: which class each Service belongs to ({@link
 * ClassResolution}), what its annotations ask for, and which Services share IPs ({@link Unit}s).
 * Services whose class was deleted while they held IPs are set aside as orphans: they keep what
 * they hold, outside allocation and node choice.
 *
 * <p>Sharing: Services with the same {@code load-balancer-shared-ip-key} in the same namespace and
 * class form one unit. Two members serving the same port each get a warning naming the other.
 */
final class ClassBinding {
  private ClassBinding() {}

  /**
   * @param units in the order of their first member's namespace/name
   * @param requests each unit's members' parsed annotations, parallel to {@code units}
   * @param unbound Services that are ours but name a class that does not exist, with why
   * @param orphans Services that hold IPs of a deleted class and still ask for it, in
   *     namespace/name order
   * @param handled every Service the result reports on (bound, unbound, orphaned), in
   *     namespace/name order
   */
  record Bound(
      List<Unit> units,
      List<List<ServiceRequest>> requests,
      Map<ServiceKey, List<Problem>> unbound,
      List<Orphan> orphans,
      List<ServiceKey> handled) {}

  /** A Service whose class was deleted while it held IPs: it keeps them, untouched. */
  record Orphan(ServiceKey key, String className, List<Problem> problems) {}

  private static final class Draft {
    final String className;
    final String sharedKey;
    final List<ServiceInfo> members = new ArrayList<>(1);
    final List<ServiceRequest> requests = new ArrayList<>(1);
    final List<List<Problem>> problems = new ArrayList<>(1);

    Draft(String className, String sharedKey) {
      this.className = className;
      this.sharedKey = sharedKey;
    }
  }

  /** Namespace, then name: {@link ServiceKey}'s order, without its comparator chain. */
  private static final Comparator<ServiceInfo> BY_KEY =
      (a, b) -> {
        int c = a.key().namespace().compareTo(b.key().namespace());
        return c != 0 ? c : a.key().name().compareTo(b.key().name());
      };

  static Bound bind(List<ServiceInfo> services, ClassTable classes, Holdings holdings) {
    ServiceInfo[] sorted = services.toArray(new ServiceInfo[0]);
    java.util.Arrays.sort(sorted, BY_KEY);
    List<Draft> drafts = new ArrayList<>();
    Map<String, Draft> shared = new HashMap<>();
    Map<ServiceKey, List<Problem>> unbound = new TreeMap<>();
    List<Orphan> orphans = new ArrayList<>(0);
    List<ServiceKey> handled = new ArrayList<>(sorted.length);
    ServiceKey last = null;
    for (ServiceInfo s : sorted) {
      if (s.key().equals(last)) {
        continue; // the API server never gives two Services one name; the first wins
      }
      last = s.key();
      ClassResolution.Resolved resolved =
          ClassResolution.resolve(
              s, classes::contains, classes.defaultClass(), holdings.heldClass(s.key()));
      switch (resolved.binding()) {
        case NOT_OURS -> {
          continue;
        }
        case UNBOUND -> {
          unbound.put(s.key(), resolved.problems());
          handled.add(s.key());
          continue;
        }
        case ORPHANED -> {
          orphans.add(new Orphan(s.key(), resolved.className(), resolved.problems()));
          handled.add(s.key());
          continue;
        }
        case BOUND -> {}
      }
      String className = resolved.className();
      List<Problem> problems = new ArrayList<>(resolved.problems());
      handled.add(s.key());
      ServiceRequest request =
          ServiceAnnotations.parse(s.annotations(), className, classes.get(className).check.pool());
      problems.addAll(request.problems());
      Draft draft;
      if (request.sharedKey() == null) {
        draft = new Draft(className, null);
        drafts.add(draft);
      } else {
        String groupKey =
            s.key().namespace() + "\u0000" + className + "\u0000" + request.sharedKey();
        draft = shared.get(groupKey);
        if (draft == null) {
          draft = new Draft(className, request.sharedKey());
          shared.put(groupKey, draft);
          drafts.add(draft);
        } else {
          reportPortClashes(draft, s, problems);
        }
      }
      draft.members.add(s);
      draft.requests.add(request);
      draft.problems.add(problems);
    }

    List<Unit> units = new ArrayList<>(drafts.size());
    List<List<ServiceRequest>> requests = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      boolean frozen = false;
      List<List<Problem>> problems = new ArrayList<>(d.problems.size());
      for (List<Problem> own : d.problems) {
        for (Problem p : own) {
          frozen |= p.isError();
        }
        problems.add(own.isEmpty() ? List.of() : List.copyOf(own));
      }
      units.add(
          new Unit(
              d.className, d.sharedKey, List.copyOf(d.members), List.copyOf(problems), frozen));
      requests.add(d.requests);
    }
    return new Bound(units, requests, unbound, orphans, handled);
  }

  /** Both Services get a warning naming the other, for every port they both serve. */
  private static void reportPortClashes(Draft unit, ServiceInfo s, List<Problem> problems) {
    for (int m = 0; m < unit.members.size(); m++) {
      ServiceInfo other = unit.members.get(m);
      for (String port : s.ports()) {
        if (other.ports().contains(port)) {
          problems.add(portClash(unit.sharedKey, other.key(), port));
          unit.problems.get(m).add(portClash(unit.sharedKey, s.key(), port));
        }
      }
    }
  }

  private static Problem portClash(String key, ServiceKey other, String port) {
    return Problem.warning(
        Annotations.SHARED_IP_KEY,
        "shares IPs (key \""
            + key
            + "\") with "
            + other
            + " which also serves "
            + port
            + "; Services sharing IPs need different ports");
  }
}
