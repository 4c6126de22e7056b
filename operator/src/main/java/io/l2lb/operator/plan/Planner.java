package io.l2lb.operator.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.Names.Labels;
import io.l2lb.core.Names.Reasons;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassStatus;
import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.KubeObjects;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.Change;
import io.l2lb.core.placement.ClassOutcome;
import io.l2lb.core.placement.ConditionState;
import io.l2lb.core.placement.Placement;
import io.l2lb.core.placement.PlacementResult;
import io.l2lb.core.placement.ServiceOutcome;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.PoolOverlaps;
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
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The pure half of a pass: what the engine gets ({@link #input}), and what has to be written so the
 * cluster matches its result ({@link #plan}). Desired state is compared with the actual objects
 * field by field; nothing equal is written, so a pass over a settled cluster (a restart, a
 * hand-over, a Lease renewal) plans nothing.
 */
public final class Planner {
  private Planner() {}

  public static final String SERVICE_API_VERSION = "v1";
  static final String OVERLAP_SUFFIX = "pools of different classes must not overlap";
  static final int EVENT_MESSAGE_LIMIT = 1024;

  /**
   * A Service that holds IPs of a class that no longer exists and still asks for that class: it
   * keeps its IPs and announcements untouched, outside the engine, until the class returns or the
   * Service names another one.
   */
  public record Frozen(String className, List<L2Announcement> announcements) {}

  /** The engine's snapshot, and the Services kept out of it. */
  public record Input(Snapshot snapshot, Map<ServiceKey, Frozen> frozen, String defaultClass) {}

  // ---- engine input -------------------------------------------------------------------------

  public static Input input(ClusterState state) {
    Set<String> classNames = new HashSet<>();
    for (MetalLoadBalancerClass c : state.classes()) {
      classNames.add(c.getMetadata().getName());
    }
    String defaultClass = oldestDefault(state.classes());
    List<ClassInfo> classes = new ArrayList<>();
    for (MetalLoadBalancerClass c : state.classes()) {
      ClassInfo info = ClassInfo.from(c);
      if (info.isDefault() && !info.name().equals(defaultClass)) {
        // the engine takes the first default by name; the issue wants the oldest: only that one
        // is passed as default, the others are flagged in their status
        info =
            new ClassInfo(
                info.name(),
                false,
                info.type(),
                info.addressPool(),
                info.nodeSelector(),
                info.interfaces());
      }
      classes.add(info);
    }
    classes.sort(Comparator.comparing(ClassInfo::name));

    List<NodeInfo> nodes = new ArrayList<>();
    for (Node n : state.nodes()) {
      nodes.add(KubeObjects.node(n, state.speakerAlive().test(n.getMetadata().getName())));
    }
    nodes.sort(Comparator.comparing(NodeInfo::name));

    Map<ServiceKey, List<L2Announcement>> held = announcementsByService(state.announcements());
    Map<ServiceKey, Frozen> frozen = new TreeMap<>();
    List<ServiceInfo> services = new ArrayList<>();
    for (Service s : state.services()) {
      if (!KubeObjects.isLoadBalancer(s)) {
        continue;
      }
      ServiceKey key = key(s);
      List<L2Announcement> own = held.getOrDefault(key, List.of());
      String heldClass =
          own.stream()
              .map(a -> a.getSpec() == null ? null : a.getSpec().getClassName())
              .filter(Objects::nonNull)
              .sorted()
              .findFirst()
              .orElse(null);
      if (heldClass != null && !classNames.contains(heldClass) && asksFor(s, heldClass)) {
        frozen.put(key, new Frozen(heldClass, own));
        continue;
      }
      boolean local = "Local".equals(s.getSpec().getExternalTrafficPolicy());
      services.add(
          KubeObjects.service(
              s, local ? state.readyEndpointNodes().getOrDefault(key, Set.of()) : Set.of()));
    }
    services.sort(Comparator.comparing(ServiceInfo::key));

    List<AnnouncementInfo> announcements = new ArrayList<>();
    for (L2Announcement a : state.announcements()) {
      AnnouncementInfo info = AnnouncementInfo.from(a);
      if (info != null && !frozen.containsKey(info.service())) {
        announcements.add(info);
      }
    }
    announcements.sort(ANNOUNCEMENT_ORDER);
    return new Input(new Snapshot(classes, nodes, services, announcements), frozen, defaultClass);
  }

  public static final Comparator<AnnouncementInfo> ANNOUNCEMENT_ORDER =
      Comparator.comparing(AnnouncementInfo::service)
          .thenComparing(AnnouncementInfo::ip)
          .thenComparing(a -> a.nodeName() == null ? "" : a.nodeName());

  /**
   * The snapshot the cluster will be in once {@code result} is written: its announcements are the
   * placements and each handled Service's ingress its IPs. The next pass hands it to {@code
   * PlacementEngine.update} when only nodes changed since.
   */
  public static Snapshot settled(Snapshot snapshot, PlacementResult result) {
    List<AnnouncementInfo> announcements = new ArrayList<>();
    for (Placement p : result.placements()) {
      announcements.add(
          new AnnouncementInfo(p.ip().toString(), p.nodeName(), p.service(), p.className()));
    }
    announcements.sort(ANNOUNCEMENT_ORDER);
    List<ServiceInfo> services = new ArrayList<>();
    for (ServiceInfo s : snapshot.services()) {
      ServiceOutcome o = result.services().get(s.key());
      services.add(
          o == null ? s : s.withIngressIps(o.ips().stream().map(IpAddress::toString).toList()));
    }
    return new Snapshot(snapshot.classes(), snapshot.nodes(), services, announcements);
  }

  /** Whether the Service still asks for class {@code name} (explicitly, or as the default). */
  static boolean asksFor(Service s, String name) {
    String spec = s.getSpec().getLoadBalancerClass();
    if (spec != null && !spec.isEmpty()) {
      return spec.equals(name);
    }
    Map<String, String> annotations = annotations(s);
    for (String a : List.of(Annotations.CLASS, Annotations.LEGACY_CLASS)) {
      String v = annotations.get(a);
      if (v != null && !v.isBlank()) {
        return v.trim().equals(name);
      }
    }
    return true;
  }

  static String oldestDefault(List<MetalLoadBalancerClass> classes) {
    return classes.stream()
        .filter(c -> c.getSpec() != null && Boolean.TRUE.equals(c.getSpec().getIsDefault()))
        .min(CLASS_AGE)
        .map(c -> c.getMetadata().getName())
        .orElse(null);
  }

  /** Oldest first; name breaks ties (creation timestamps have whole seconds). */
  static final Comparator<MetalLoadBalancerClass> CLASS_AGE =
      Comparator.<MetalLoadBalancerClass, String>comparing(
              c ->
                  c.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : c.getMetadata().getCreationTimestamp())
          .thenComparing(c -> c.getMetadata().getName());

  // ---- what to write ------------------------------------------------------------------------

  /** Announcement as the operator wants it. */
  record DesiredAnnouncement(
      String namespace,
      String name,
      String ip,
      String node,
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
      Input input,
      PlacementResult result,
      boolean fresh,
      Instant now,
      String identity) {
    Plan plan = new Plan();
    Map<ServiceKey, Service> services = new HashMap<>();
    for (Service s : state.services()) {
      services.put(key(s), s);
    }
    Map<String, L2Announcement> actual = new HashMap<>();
    for (L2Announcement a : state.announcements()) {
      actual.put(a.getMetadata().getNamespace() + "/" + a.getMetadata().getName(), a);
    }

    // announcements
    Set<String> wanted = new HashSet<>();
    for (Placement p : result.placements()) {
      Service svc = services.get(p.service());
      if (svc == null) {
        continue;
      }
      DesiredAnnouncement d =
          new DesiredAnnouncement(
              p.service().namespace(),
              AnnouncementNames.of(p.service(), p.ip()),
              p.ip().toString(),
              p.nodeName(),
              p.service().name(),
              svc.getMetadata().getUid(),
              p.className(),
              p.interfaces());
      String k = d.namespace() + "/" + d.name();
      wanted.add(k);
      L2Announcement current = actual.get(k);
      if (current == null || !matches(current, d)) {
        plan.applies.add(
            new Plan.ApplyAnnouncement(
                d.namespace(),
                d.name(),
                current == null ? null : current.getMetadata().getResourceVersion(),
                announcementBody(d, current)));
      }
    }
    for (Frozen f : input.frozen().values()) {
      for (L2Announcement a : f.announcements()) {
        wanted.add(a.getMetadata().getNamespace() + "/" + a.getMetadata().getName());
      }
    }
    for (Map.Entry<String, L2Announcement> e : actual.entrySet()) {
      if (!wanted.contains(e.getKey())) {
        L2Announcement a = e.getValue();
        plan.deletes.add(
            new Plan.DeleteAnnouncement(
                a.getMetadata().getNamespace(),
                a.getMetadata().getName(),
                a.getMetadata().getResourceVersion()));
      }
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
      Frozen frozen = input.frozen().get(key);
      if (outcome != null) {
        ips = outcome.ips().stream().map(IpAddress::toString).toList();
        conditions = outcome.conditions();
      } else if (frozen != null) {
        ips = frozenIps(frozen);
        conditions = frozenConditions(frozen, ips.size());
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
      serviceEvents(
          plan,
          svc,
          changes.getOrDefault(key, List.of()),
          result,
          statusChanges,
          frozen,
          conditions);
    }
    for (Change c : fresh ? result.changes() : List.<Change>of()) {
      if (c.kind() == Change.Kind.FAILED_OVER) {
        plan.failovers++;
      }
    }

    // classes
    Map<String, MetalLoadBalancerClass> classes = new TreeMap<>();
    for (MetalLoadBalancerClass c : state.classes()) {
      classes.put(c.getMetadata().getName(), c);
    }
    Map<String, List<String>> extraWarnings =
        defaultWarnings(state.classes(), input.defaultClass());
    Map<String, List<Problem>> overlapErrors = overlapErrors(result, classes);
    for (MetalLoadBalancerClass c : classes.values()) {
      ClassOutcome o = result.classes().get(c.getMetadata().getName());
      if (o == null) {
        continue;
      }
      List<ConditionState> conditions =
          classConditions(
              o,
              overlapErrors.getOrDefault(o.name(), List.of()),
              extraWarnings.getOrDefault(o.name(), List.of()));
      if (!classStatusMatches(c, o, conditions)) {
        plan.classStatuses.add(
            new Plan.ClassStatus(o.name(), classStatusBody(c, o, conditions, now)));
        ConditionState valid =
            conditions.stream()
                .filter(x -> x.type().equals(Conditions.VALID))
                .findFirst()
                .orElse(null);
        ConditionState before = actualCondition(classConditionsOf(c), Conditions.VALID);
        boolean validChanged =
            valid != null
                && (before == null
                    || before.status() != valid.status()
                    || !Objects.equals(before.message(), valid.message()));
        if (validChanged && (!valid.status() || valid.message().contains("warning:"))) {
          plan.events.add(
              new Plan.Event(
                  "default",
                  "MetalLoadBalancerClass",
                  Names.API_GROUP + "/" + Names.API_VERSION,
                  o.name(),
                  c.getMetadata().getUid(),
                  "Warning",
                  valid.status() ? DEFAULT_CONFLICT : valid.reason(),
                  limit(valid.message())));
        }
      }
    }

    // node member labels
    List<ClassInfo> selectors = input.snapshot().classes();
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

  /** Reason of the Warning Event on each of several default classes. */
  public static final String DEFAULT_CONFLICT = "DefaultConflict";

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
    if (!Objects.equals(labels.get(Labels.ANNOUNCEMENT_NODE), d.node())
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
    if (d.node() != null) {
      labels.put(Labels.ANNOUNCEMENT_NODE, d.node());
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

  static Map<ServiceKey, List<L2Announcement>> announcementsByService(List<L2Announcement> all) {
    Map<ServiceKey, List<L2Announcement>> out = new HashMap<>();
    for (L2Announcement a : all) {
      if (a.getSpec() == null
          || a.getSpec().getServiceRef() == null
          || a.getSpec().getServiceRef().getName() == null) {
        continue;
      }
      out.computeIfAbsent(
              new ServiceKey(a.getMetadata().getNamespace(), a.getSpec().getServiceRef().getName()),
              k -> new ArrayList<>())
          .add(a);
    }
    return out;
  }

  // ---- Service status -----------------------------------------------------------------------

  static List<String> frozenIps(Frozen f) {
    TreeSet<IpAddress> ips = new TreeSet<>();
    for (L2Announcement a : f.announcements()) {
      IpAddress.tryParse(a.getSpec().getIp()).ifPresent(ips::add);
    }
    return ips.stream().map(IpAddress::toString).toList();
  }

  static List<ConditionState> frozenConditions(Frozen f, int count) {
    String kept =
        "MetalLoadBalancerClass "
            + f.className()
            + " does not exist; the Service keeps its "
            + count
            + " public IP"
            + (count == 1 ? "" : "s")
            + " and their announcements (without failover) until a class named "
            + f.className()
            + " exists again or the Service names another class";
    return List.of(
        new ConditionState(Conditions.SERVICE_CLASS, false, Reasons.CLASS_NOT_FOUND, kept),
        new ConditionState(
            Conditions.ALL_PUBLIC_IPS_ASSIGNED,
            false,
            Reasons.CLASS_NOT_FOUND,
            count
                + " of "
                + count
                + " public IPs were kept; their class "
                + f.className()
                + " does not exist"));
  }

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
   * (invalid annotation, exhausted pool) raise an Event only when they change the Service's
   * condition, so neither a later pass nor a restart repeats them.
   */
  static void serviceEvents(
      Plan plan,
      Service svc,
      List<Change> changes,
      PlacementResult result,
      boolean statusChanges,
      Frozen frozen,
      List<ConditionState> conditions) {
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
      if (frozen != null) {
        event(plan, svc, "Warning", Reasons.CLASS_NOT_FOUND, conditions.get(0).message());
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

  /**
   * The engine flags both classes of an overlap; the operator flags only the newer one (the older
   * class was there first and is not at fault). Addresses are handed out once either way.
   */
  static Map<String, List<Problem>> overlapErrors(
      PlacementResult result, Map<String, MetalLoadBalancerClass> classes) {
    Map<String, AddressPool> pools = new TreeMap<>();
    for (ClassOutcome o : result.classes().values()) {
      pools.put(o.name(), o.check().pool());
    }
    Map<String, List<Problem>> out = new HashMap<>();
    for (PoolOverlaps.ClassOverlap o : PoolOverlaps.between(pools)) {
      MetalLoadBalancerClass a = classes.get(o.classA());
      MetalLoadBalancerClass b = classes.get(o.classB());
      if (a == null || b == null) {
        continue;
      }
      boolean aNewer = CLASS_AGE.compare(a, b) > 0;
      String newer = aNewer ? o.classA() : o.classB();
      String older = aNewer ? o.classB() : o.classA();
      String newerEntry = aNewer ? o.a().text() : o.b().text();
      String olderEntry = aNewer ? o.b().text() : o.a().text();
      out.computeIfAbsent(newer, k -> new ArrayList<>())
          .add(
              Problem.error(
                  "spec.addressPool",
                  "entry "
                      + newerEntry
                      + " overlaps entry "
                      + olderEntry
                      + " of the older class "
                      + older
                      + "; remove the overlap from this class: "
                      + OVERLAP_SUFFIX
                      + " (no address is handed out twice meanwhile)"));
    }
    return out;
  }

  static Map<String, List<String>> defaultWarnings(
      List<MetalLoadBalancerClass> classes, String winner) {
    List<String> defaults =
        classes.stream()
            .filter(c -> c.getSpec() != null && Boolean.TRUE.equals(c.getSpec().getIsDefault()))
            .sorted(CLASS_AGE)
            .map(c -> c.getMetadata().getName())
            .toList();
    Map<String, List<String>> out = new HashMap<>();
    if (defaults.size() > 1) {
      String text =
          "spec.isDefault: classes "
              + String.join(", ", defaults)
              + " are all default; Services without a class use "
              + winner
              + " (the oldest). Set isDefault: false on all but one";
      for (String d : defaults) {
        out.put(d, List.of(text));
      }
    }
    return out;
  }

  static List<ConditionState> classConditions(
      ClassOutcome o, List<Problem> overlaps, List<String> warnings) {
    List<Problem> errors = new ArrayList<>();
    for (Problem p : o.check().errors()) {
      if (!p.message().endsWith(OVERLAP_SUFFIX)) {
        errors.add(p);
      }
    }
    errors.addAll(overlaps);
    boolean ownErrors = errors.size() > overlaps.size();
    // the engine's reason names the first problem it found; class overlaps come last there, so
    // it is right whenever another error is left; otherwise only (newer-class) overlaps are left
    String reason =
        errors.isEmpty()
            ? Reasons.VALID
            : ownErrors ? o.check().validReason() : Reasons.POOL_OVERLAP;
    String message =
        errors.isEmpty()
            ? "spec is valid"
            : errors.stream().map(Problem::toString).collect(Collectors.joining("; "));
    if (!warnings.isEmpty()) {
      message += "; warning: " + String.join("; ", warnings);
    }
    List<ConditionState> out = new ArrayList<>();
    out.add(new ConditionState(Conditions.VALID, errors.isEmpty(), reason, message));
    for (ConditionState c : o.conditions()) {
      if (!c.type().equals(Conditions.VALID)) {
        out.add(c);
      }
    }
    return out;
  }

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

  static boolean classStatusMatches(
      MetalLoadBalancerClass c, ClassOutcome o, List<ConditionState> conditions) {
    MetalLoadBalancerClassStatus s = c.getStatus();
    if (s == null || s.getAddresses() == null || s.getNodes() == null) {
      return false;
    }
    if (s.getAddresses().getTotal() != o.totalSaturated()
        || s.getAddresses().getAllocated() != o.allocated()
        || s.getAddresses().getFree() != o.free()
        || s.getNodes().getSelected() != o.selectedNodes()
        || s.getNodes().getReady() != o.readyNodes()
        || !Objects.equals(s.getObservedGeneration(), c.getMetadata().getGeneration())) {
      return false;
    }
    List<Condition> actual = classConditionsOf(c);
    if (actual.size() != conditions.size()) {
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
