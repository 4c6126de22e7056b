package io.l2lb.operator.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Labels;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassStatus;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change;
import io.l2lb.core.placement.ClassOutcome;
import io.l2lb.core.placement.ConditionState;
import io.l2lb.core.placement.Placement;
import io.l2lb.core.placement.PlacementResult;
import io.l2lb.core.placement.ServiceOutcome;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.Problem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pure half of a pass: what has to be written so the cluster matches the engine's result
 * ({@link #plan}), and the state the cluster is in once it is ({@link #settled}). Desired state is
 * compared with the actual objects field by field; nothing equal is written, so a pass over a
 * settled cluster (a restart, a hand-over, a Lease renewal) plans nothing. The engine's snapshot
 * comes from {@link SnapshotBuilder}; every decision (classes, IPs, nodes, conditions) is the
 * engine's, this class only turns it into objects, and moves off a live node into two steps.
 *
 * <h2>Moves: break before make</h2>
 *
 * An L2Announcement is in one of three states, read from its node label (which speaker watches it)
 * and {@code spec.nodeName} (which node answers for it):
 *
 * <ul>
 *   <li><b>placed</b> on N: label N, spec N. N's speaker answers.
 *   <li><b>releasing</b> from N to M: label N, spec M. N's speaker still sees the object, stops
 *       answering (the spec decides) and reports {@code status.announcing: false}; M's speaker does
 *       not see it yet.
 *   <li><b>unannounced</b>: no label, no spec.nodeName (no candidate node).
 * </ul>
 *
 * A move from N to M while N's speaker is alive (its Lease fresh) goes placed(N) → releasing(N→M) →
 * placed(M): the second write waits until the object's status says {@code announcing: false}, N's
 * speaker dies, or the release timeout runs out ({@link Releases}). So the old node has let go
 * before the new one starts, instead of both acting on one write, each in its own time. A move off
 * a dead node (Lease expired or deleted), to no node, or with two steps switched off, is one write.
 * The engine reads {@code spec.nodeName}, so it sees a releasing IP where it is going, and a
 * restarted operator continues a move from the objects alone.
 */
public final class Planner {
  private Planner() {}

  public static final String SERVICE_API_VERSION = "v1";
  static final int EVENT_MESSAGE_LIMIT = 1024;

  /** What the planner needs to know about time (the controller keeps the clocks). */
  public interface Timing {
    /** Moves never wait for a release, class counts are written at once. */
    Timing IMMEDIATE =
        new Timing() {
          @Override
          public boolean twoStep() {
            return false;
          }

          @Override
          public boolean releaseTimedOut(String key) {
            return true;
          }
        };

    /** Whether a move off a node whose speaker lives comes in two steps. */
    boolean twoStep();

    /**
     * Whether the release of announcement {@code namespace/name} has waited as long as it may (its
     * old node's speaker is alive but has not reported the release).
     */
    boolean releaseTimedOut(String key);

    /**
     * Whether a class status whose conditions stand and whose counts (addresses, nodes) changed may
     * be written now. While Services are being created by the hundred, every pass changes the
     * allocated count; writing it at most once a second keeps that from costing a write per pass.
     */
    default boolean classCountsDue(String className) {
      return true;
    }
  }

  public static final Comparator<AnnouncementInfo> ANNOUNCEMENT_ORDER =
      SnapshotBuilder.ANNOUNCEMENT_ORDER;

  /**
   * The snapshot the cluster will be in once {@code result} is written: its announcements are the
   * placements and each handled Service's ingress its IPs. The next pass hands it to {@code
   * PlacementEngine.update} when only nodes changed since. (A releasing announcement names its
   * target in spec.nodeName, which is what the engine reads: it is part of this state too.)
   */
  public static Snapshot settled(Snapshot snapshot, PlacementResult result) {
    List<AnnouncementInfo> announcements = new ArrayList<>(result.placements().size());
    for (Placement p : result.placements()) {
      announcements.add(
          new AnnouncementInfo(
              p.ip().toString(), p.nodeName(), p.service(), p.className(), p.interfaces()));
    }
    announcements.sort(ANNOUNCEMENT_ORDER);
    List<ServiceInfo> services = new ArrayList<>(snapshot.services().size());
    for (ServiceInfo s : snapshot.services()) {
      ServiceOutcome o = result.services().get(s.key());
      services.add(
          o == null || sameIps(s.ingressIps(), o.ips())
              ? s
              : s.withIngressIps(o.ips().stream().map(IpAddress::toString).toList()));
    }
    return new Snapshot(snapshot.classes(), snapshot.nodes(), services, announcements);
  }

  private static boolean sameIps(List<String> text, List<IpAddress> ips) {
    if (text.size() != ips.size()) {
      return false;
    }
    for (int i = 0; i < ips.size(); i++) {
      if (!ips.get(i).toString().equals(text.get(i))) {
        return false;
      }
    }
    return true;
  }

  // ---- what to write ------------------------------------------------------------------------

  /**
   * Announcement as the operator wants it.
   *
   * @param node spec.nodeName: the node that is to answer (null: none)
   * @param labelNode the node label: the node whose speaker is to see the object; differs from
   *     {@code node} only while the object is releasing from that node
   */
  record DesiredAnnouncement(
      String namespace,
      String name,
      String ip,
      String node,
      String labelNode,
      String serviceName,
      String serviceUid,
      String className,
      List<String> interfaces) {}

  /**
   * @param fresh whether {@code result}'s changes are new: {@code PlacementEngine.update} hands
   *     back the previous result itself when nothing it looks at changed, and its changes were
   *     reported by the pass that computed them
   */
  public static Plan plan(
      ClusterState state,
      Snapshot snapshot,
      PlacementResult result,
      boolean fresh,
      Instant now,
      Timing timing) {
    Plan plan = new Plan();
    Map<ServiceKey, Service> services = new HashMap<>(state.services().size() * 4 / 3 + 1);
    for (Service s : state.services()) {
      services.put(key(s), s);
    }
    Map<String, L2Announcement> actual = new HashMap<>(state.announcements().size() * 4 / 3 + 1);
    for (L2Announcement a : state.announcements()) {
      actual.put(a.getMetadata().getNamespace() + "/" + a.getMetadata().getName(), a);
    }

    // announcements
    for (Placement p : result.placements()) {
      Service svc = services.get(p.service());
      if (svc == null) {
        continue;
      }
      String name = AnnouncementNames.of(p.service(), p.ip());
      String k = p.service().namespace() + "/" + name;
      L2Announcement current = actual.remove(k);
      String labelNode = p.nodeName();
      String holder = current == null ? null : labels(current).get(Labels.ANNOUNCEMENT_NODE);
      if (holder != null
          && p.nodeName() != null
          && !holder.equals(p.nodeName())
          && timing.twoStep()
          && state.speakerAlive().test(holder)) {
        // off a node whose speaker lives: release there first (label stays, spec moves on)
        boolean releasing = !holder.equals(specNode(current));
        if (releasing && released(current)) {
          plan.releasesConfirmed++;
        } else if (releasing && timing.releaseTimedOut(k)) {
          plan.releasesTimedOut++;
        } else {
          labelNode = holder;
          plan.releasing.add(k);
        }
      }
      DesiredAnnouncement d =
          new DesiredAnnouncement(
              p.service().namespace(),
              name,
              p.ip().toString(),
              p.nodeName(),
              labelNode,
              p.service().name(),
              svc.getMetadata().getUid(),
              p.className(),
              p.interfaces());
      if (current == null || !matches(current, d)) {
        plan.applies.add(
            new Plan.ApplyAnnouncement(
                d.namespace(),
                d.name(),
                current == null ? null : current.getMetadata().getResourceVersion(),
                announcementBody(d, current)));
      }
    }
    for (L2Announcement a : actual.values()) {
      plan.deletes.add(
          new Plan.DeleteAnnouncement(
              a.getMetadata().getNamespace(),
              a.getMetadata().getName(),
              a.getMetadata().getResourceVersion()));
    }
    plan.deletes.sort(Comparator.comparing(Plan.DeleteAnnouncement::name));
    plan.applies.sort(Comparator.comparing(Plan.ApplyAnnouncement::name));

    // Service statuses, and the events that go with them
    Map<ServiceKey, List<Change>> changes = new TreeMap<>();
    for (Change c : fresh ? result.changes() : List.<Change>of()) {
      changes.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(c);
    }
    List<Service> sorted = new ArrayList<>(state.services());
    sorted.sort(Comparator.comparing(Planner::key));
    for (Service svc : sorted) {
      ServiceKey key = key(svc);
      ServiceOutcome outcome = result.services().get(key);
      List<String> ips;
      List<ConditionState> conditions;
      if (outcome != null) {
        ips = outcome.ips().stream().map(IpAddress::toString).toList();
        conditions = outcome.conditions();
      } else if (hasOurConditions(svc)) {
        ips = List.of();
        conditions = List.of();
      } else {
        continue;
      }
      boolean statusChanges = !statusMatches(svc, ips, conditions);
      if (statusChanges) {
        plan.serviceStatuses.add(
            new Plan.ServiceStatus(key, serviceStatusBody(svc, ips, conditions, now)));
      }
      serviceEvents(plan, svc, changes.getOrDefault(key, List.of()), result, statusChanges);
    }
    for (Change c : fresh ? result.changes() : List.<Change>of()) {
      if (c.kind() == Change.Kind.FAILED_OVER) {
        plan.failovers++;
      }
    }

    // classes: conditions, counts and warnings are the engine's
    Map<String, MetalLoadBalancerClass> classes = new TreeMap<>();
    for (MetalLoadBalancerClass c : state.classes()) {
      classes.put(c.getMetadata().getName(), c);
    }
    for (MetalLoadBalancerClass c : classes.values()) {
      ClassOutcome o = result.classes().get(c.getMetadata().getName());
      if (o == null) {
        continue;
      }
      List<ConditionState> conditions = o.conditions();
      if (classStatusMatches(c, o, conditions)) {
        continue;
      }
      if (classConditionsMatch(c, conditions) && !timing.classCountsDue(o.name())) {
        plan.classCountsLater.add(o.name()); // only counts changed, and they were just written
        continue;
      }
      plan.classStatuses.add(
          new Plan.ClassStatus(o.name(), classStatusBody(c, o, conditions, now)));
      ConditionState valid = o.condition(Conditions.VALID);
      ConditionState before = actualCondition(classConditionsOf(c), Conditions.VALID);
      boolean validChanged =
          valid != null
              && (before == null
                  || before.status() != valid.status()
                  || !Objects.equals(before.message(), valid.message()));
      if (validChanged && (!valid.status() || !o.check().warnings().isEmpty())) {
        plan.events.add(
            new Plan.Event(
                "default",
                "MetalLoadBalancerClass",
                Names.API_GROUP + "/" + Names.API_VERSION,
                o.name(),
                c.getMetadata().getUid(),
                "Warning",
                valid.status() ? warningReason(o.check().warnings().get(0)) : valid.reason(),
                limit(valid.message())));
      }
    }

    // node member labels
    List<ClassInfo> selectors = snapshot.classes();
    List<Node> nodes = new ArrayList<>(state.nodes());
    nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    for (Node n : nodes) {
      Map<String, String> labels =
          n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      boolean selected = selectors.stream().anyMatch(c -> c.selects(labels));
      String has = labels.get(Labels.MEMBER);
      if (selected && !"true".equals(has)) {
        plan.nodeLabels.add(new Plan.NodeLabel(n.getMetadata().getName(), "true"));
      } else if (!selected && has != null) {
        plan.nodeLabels.add(new Plan.NodeLabel(n.getMetadata().getName(), null));
      }
    }
    return plan;
  }

  /** Reason of the Warning Event for a class warning (the Valid condition stays True). */
  static String warningReason(Problem warning) {
    return switch (warning.field()) {
      case "spec.isDefault" -> Names.Events.DEFAULT_CONFLICT;
      case "spec.nodeSelector" -> Reasons.NO_NODES_SELECTED;
      default -> Reasons.VALID;
    };
  }

  static Map<String, String> labels(L2Announcement a) {
    return a.getMetadata().getLabels() == null ? Map.of() : a.getMetadata().getLabels();
  }

  static String specNode(L2Announcement a) {
    return a.getSpec() == null ? null : emptyToNull(a.getSpec().getNodeName());
  }

  /** The speaker of the label's node has reported that it does not answer for the IP. */
  public static boolean released(L2Announcement a) {
    return a.getStatus() != null && Boolean.FALSE.equals(a.getStatus().getAnnouncing());
  }

  // ---- announcements ------------------------------------------------------------------------

  static boolean matches(L2Announcement a, DesiredAnnouncement d) {
    L2AnnouncementSpec spec = a.getSpec();
    if (spec == null) {
      return false;
    }
    boolean specSame =
        Objects.equals(spec.getIp(), d.ip())
            && Objects.equals(emptyToNull(spec.getNodeName()), d.node())
            && spec.getServiceRef() != null
            && Objects.equals(spec.getServiceRef().getName(), d.serviceName())
            && Objects.equals(spec.getServiceRef().getUid(), d.serviceUid())
            && Objects.equals(spec.getClassName(), d.className())
            && Objects.equals(
                spec.getInterfaces() == null ? List.of() : spec.getInterfaces(), d.interfaces());
    if (!specSame) {
      return false;
    }
    Map<String, String> labels =
        a.getMetadata().getLabels() == null ? Map.of() : a.getMetadata().getLabels();
    if (!Objects.equals(labels.get(Labels.ANNOUNCEMENT_NODE), d.labelNode())
        || !d.serviceName().equals(labels.get(Labels.ANNOUNCEMENT_SERVICE))
        || !d.className().equals(labels.get(Labels.ANNOUNCEMENT_CLASS))
        || !Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))) {
      return false;
    }
    List<OwnerReference> refs = a.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    "Service".equals(r.getKind())
                        && Objects.equals(r.getUid(), d.serviceUid())
                        && Boolean.TRUE.equals(r.getController())
                        && !Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
  }

  static Map<String, Object> announcementBody(DesiredAnnouncement d, L2Announcement current) {
    Map<String, Object> labels = new LinkedHashMap<>();
    if (d.labelNode() != null) {
      labels.put(Labels.ANNOUNCEMENT_NODE, d.labelNode());
    }
    labels.put(Labels.ANNOUNCEMENT_SERVICE, d.serviceName());
    labels.put(Labels.ANNOUNCEMENT_CLASS, d.className());
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    Map<String, Object> owner = new LinkedHashMap<>();
    owner.put("apiVersion", SERVICE_API_VERSION);
    owner.put("kind", "Service");
    owner.put("name", d.serviceName());
    owner.put("uid", d.serviceUid());
    owner.put("controller", true);
    owner.put("blockOwnerDeletion", false);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", d.name());
    metadata.put("namespace", d.namespace());
    if (current != null) {
      metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
    }
    metadata.put("labels", labels);
    metadata.put("ownerReferences", List.of(owner));
    Map<String, Object> serviceRef = new LinkedHashMap<>();
    serviceRef.put("name", d.serviceName());
    serviceRef.put("uid", d.serviceUid());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ip", d.ip());
    if (d.node() != null) {
      spec.put("nodeName", d.node());
    }
    spec.put("serviceRef", serviceRef);
    spec.put("className", d.className());
    spec.put("interfaces", d.interfaces());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", Names.INTERNAL_API_GROUP + "/" + Names.API_VERSION);
    body.put("kind", "L2Announcement");
    body.put("metadata", metadata);
    body.put("spec", spec);
    return body;
  }

  // ---- Service status -----------------------------------------------------------------------

  static boolean hasOurConditions(Service s) {
    return s.getStatus() != null
        && s.getStatus().getConditions() != null
        && s.getStatus().getConditions().stream().anyMatch(c -> OUR_TYPES.contains(c.getType()));
  }

  static final Set<String> OUR_TYPES =
      Set.of(Conditions.SERVICE_CLASS, Conditions.ALL_PUBLIC_IPS_ASSIGNED);

  static boolean statusMatches(Service s, List<String> ips, List<ConditionState> conditions) {
    List<LoadBalancerIngress> ingress =
        s.getStatus() == null
                || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
            ? List.of()
            : s.getStatus().getLoadBalancer().getIngress();
    if (ingress.size() != ips.size()) {
      return false;
    }
    for (int i = 0; i < ips.size(); i++) {
      LoadBalancerIngress in = ingress.get(i);
      if (!ips.get(i).equals(in.getIp()) || !"VIP".equals(in.getIpMode())) {
        return false;
      }
    }
    List<Condition> actual =
        s.getStatus() == null || s.getStatus().getConditions() == null
            ? List.of()
            : s.getStatus().getConditions().stream()
                .filter(c -> OUR_TYPES.contains(c.getType()))
                .toList();
    if (actual.size() != conditions.size()) {
      return false;
    }
    for (ConditionState want : conditions) {
      Condition have =
          actual.stream().filter(c -> want.type().equals(c.getType())).findFirst().orElse(null);
      if (have == null || !conditionEquals(have, want)) {
        return false;
      }
    }
    return true;
  }

  static boolean conditionEquals(Condition have, ConditionState want) {
    return (want.status() ? "True" : "False").equals(have.getStatus())
        && Objects.equals(want.reason(), have.getReason())
        && Objects.equals(want.message(), have.getMessage());
  }

  static Map<String, Object> serviceStatusBody(
      Service s, List<String> ips, List<ConditionState> conditions, Instant now) {
    List<Map<String, Object>> ingress = new ArrayList<>();
    for (String ip : ips) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("ip", ip);
      i.put("ipMode", "VIP");
      ingress.add(i);
    }
    List<Condition> existing =
        s.getStatus() == null || s.getStatus().getConditions() == null
            ? List.of()
            : s.getStatus().getConditions();
    List<Map<String, Object>> conds = new ArrayList<>();
    for (ConditionState c : conditions) {
      conds.add(conditionMap(c, existing, null, now));
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("loadBalancer", Map.of("ingress", ingress));
    status.put("conditions", conds);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", s.getMetadata().getName());
    metadata.put("namespace", s.getMetadata().getNamespace());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", SERVICE_API_VERSION);
    body.put("kind", "Service");
    body.put("metadata", metadata);
    body.put("status", status);
    return body;
  }

  /** A condition as written; lastTransitionTime moves only when the status flips. */
  static Map<String, Object> conditionMap(
      ConditionState c, List<Condition> existing, Long observedGeneration, Instant now) {
    String status = c.status() ? "True" : "False";
    Condition before =
        existing.stream().filter(e -> c.type().equals(e.getType())).findFirst().orElse(null);
    String transition =
        before != null
                && status.equals(before.getStatus())
                && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", c.type());
    m.put("status", status);
    if (observedGeneration != null) {
      m.put("observedGeneration", observedGeneration);
    }
    m.put("lastTransitionTime", transition);
    m.put("reason", c.reason());
    m.put("message", c.message());
    return m;
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * One Event per Service and kind of change, not one per IP: a new Service with three IPs gets one
   * IPAllocated Event naming the IPs and their nodes. Complaints the engine repeats on every pass
   * (invalid annotation, exhausted pool, class gone) raise an Event only when they change the
   * Service's condition, so neither a later pass nor a restart repeats them.
   */
  static void serviceEvents(
      Plan plan, Service svc, List<Change> changes, PlacementResult result, boolean statusChanges) {
    ServiceKey key = key(svc);
    Map<Change.Kind, List<Change>> byKind = new TreeMap<>();
    for (Change c : changes) {
      byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
    }
    List<Change> allocated = byKind.getOrDefault(Change.Kind.ALLOCATED, List.of());
    Set<IpAddress> fresh = new HashSet<>();
    if (!allocated.isEmpty()) {
      Map<IpAddress, String> nodes = new HashMap<>();
      for (Placement p : result.placementsOf(key)) {
        nodes.put(p.ip(), p.nodeName());
      }
      String list =
          allocated.stream()
              .map(
                  c -> {
                    fresh.add(c.ip());
                    String n = nodes.get(c.ip());
                    return c.ip() + (n == null ? " (no node can announce it yet)" : " on " + n);
                  })
              .collect(Collectors.joining(", "));
      event(
          plan,
          svc,
          "Normal",
          Names.Events.IP_ALLOCATED,
          allocated.size()
              + " public IP"
              + (allocated.size() == 1 ? "" : "s")
              + " allocated from class "
              + allocated.get(0).detail()
              + ": "
              + list);
    }
    List<Change> assigned =
        byKind.getOrDefault(Change.Kind.ASSIGNED, List.of()).stream()
            .filter(c -> !fresh.contains(c.ip()))
            .toList();
    List<Change> rebalanced = byKind.getOrDefault(Change.Kind.REBALANCED, List.of());
    if (!assigned.isEmpty() || !rebalanced.isEmpty()) {
      List<Change> all = new ArrayList<>(assigned);
      all.addAll(rebalanced);
      event(plan, svc, "Normal", Names.Events.NODE_ASSIGNED, join(all));
    }
    List<Change> failed = byKind.getOrDefault(Change.Kind.FAILED_OVER, List.of());
    if (!failed.isEmpty()) {
      event(plan, svc, "Normal", Names.Events.FAILED_OVER, join(failed));
    }
    List<Change> unannounced = byKind.getOrDefault(Change.Kind.UNANNOUNCED, List.of());
    if (!unannounced.isEmpty()) {
      event(plan, svc, "Warning", Names.Events.NO_CANDIDATE_NODE, join(unannounced));
    }
    List<Change> released = byKind.getOrDefault(Change.Kind.RELEASED, List.of());
    if (!released.isEmpty()) {
      event(
          plan,
          svc,
          "Normal",
          Names.Events.IP_RELEASED,
          "released "
              + released.stream().map(c -> c.ip().toString()).collect(Collectors.joining(", ")));
    }
    if (statusChanges) {
      List<Change> failedAlloc = byKind.getOrDefault(Change.Kind.ALLOCATION_FAILED, List.of());
      if (!failedAlloc.isEmpty()) {
        event(plan, svc, "Warning", Names.Events.ALLOCATION_FAILED, join(failedAlloc));
      }
      List<Change> invalid = byKind.getOrDefault(Change.Kind.INVALID_ANNOTATION, List.of());
      if (!invalid.isEmpty()) {
        event(plan, svc, "Warning", Names.Events.INVALID_ANNOTATION, join(invalid));
      }
      ServiceOutcome o = result.services().get(key);
      if (o != null && o.className() == null && invalid.isEmpty()) {
        // an annotation naming a missing class, for a Service that holds nothing
        ConditionState c = o.condition(Conditions.SERVICE_CLASS);
        if (c != null && !c.status()) {
          event(plan, svc, "Warning", Names.Events.INVALID_ANNOTATION, c.message());
        }
      }
      List<Change> orphaned = byKind.getOrDefault(Change.Kind.CLASS_NOT_FOUND, List.of());
      if (!orphaned.isEmpty()) {
        event(plan, svc, "Warning", Names.Events.CLASS_NOT_FOUND, join(orphaned));
      }
    }
  }

  private static String join(List<Change> changes) {
    return changes.stream().map(Change::message).distinct().collect(Collectors.joining("; "));
  }

  private static void event(Plan plan, Service svc, String type, String reason, String message) {
    plan.events.add(
        new Plan.Event(
            svc.getMetadata().getNamespace(),
            "Service",
            SERVICE_API_VERSION,
            svc.getMetadata().getName(),
            svc.getMetadata().getUid(),
            type,
            reason,
            limit(message)));
  }

  static String limit(String message) {
    return message.length() <= EVENT_MESSAGE_LIMIT
        ? message
        : message.substring(0, EVENT_MESSAGE_LIMIT - 3) + "...";
  }

  // ---- class status -------------------------------------------------------------------------

  static List<Condition> classConditionsOf(MetalLoadBalancerClass c) {
    return c.getStatus() == null || c.getStatus().getConditions() == null
        ? List.of()
        : c.getStatus().getConditions();
  }

  static ConditionState actualCondition(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .map(
            c ->
                new ConditionState(
                    c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()))
        .orElse(null);
  }

  /** The class's conditions (and the generation they speak of) are as wanted; counts aside. */
  static boolean classConditionsMatch(MetalLoadBalancerClass c, List<ConditionState> conditions) {
    List<Condition> actual = classConditionsOf(c);
    if (actual.size() != conditions.size()
        || c.getStatus() == null
        || !Objects.equals(
            c.getStatus().getObservedGeneration(), c.getMetadata().getGeneration())) {
      return false;
    }
    for (ConditionState want : conditions) {
      Condition have =
          actual.stream().filter(x -> want.type().equals(x.getType())).findFirst().orElse(null);
      if (have == null
          || !conditionEquals(have, want)
          || !Objects.equals(have.getObservedGeneration(), c.getMetadata().getGeneration())) {
        return false;
      }
    }
    return true;
  }

  /** The class's status is as wanted: counts and conditions. */
  static boolean classStatusMatches(
      MetalLoadBalancerClass c, ClassOutcome o, List<ConditionState> conditions) {
    MetalLoadBalancerClassStatus s = c.getStatus();
    if (s == null || s.getAddresses() == null || s.getNodes() == null) {
      return false;
    }
    return s.getAddresses().getTotal() == o.totalSaturated()
        && s.getAddresses().getAllocated() == o.allocated()
        && s.getAddresses().getFree() == o.free()
        && s.getNodes().getSelected() == o.selectedNodes()
        && s.getNodes().getReady() == o.readyNodes()
        && classConditionsMatch(c, conditions);
  }

  static Map<String, Object> classStatusBody(
      MetalLoadBalancerClass c, ClassOutcome o, List<ConditionState> conditions, Instant now) {
    List<Map<String, Object>> conds = new ArrayList<>();
    for (ConditionState cs : conditions) {
      conds.add(conditionMap(cs, classConditionsOf(c), c.getMetadata().getGeneration(), now));
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", conds);
    status.put(
        "addresses",
        Map.of("total", o.totalSaturated(), "allocated", o.allocated(), "free", o.free()));
    status.put("nodes", Map.of("selected", o.selectedNodes(), "ready", o.readyNodes()));
    status.put("observedGeneration", c.getMetadata().getGeneration());
    return Map.of("status", status);
  }

  // ---- helpers ------------------------------------------------------------------------------

  public static ServiceKey key(Service s) {
    return new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
  }

  static Map<String, String> annotations(Service s) {
    return s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
