package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired state: every placement, each handled Service's outcome, each class's status, and what
 * changed relative to the snapshot.
 *
 * <p><b>Order</b> (the same from {@link PlacementEngine#compute} and {@link
 * PlacementEngine#update}, and whatever the order of the snapshot's lists): {@link #placements()}
 * and {@link #changes()} are the concatenation of per-class parts in class-name order. Within a
 * class, units (a Service, or the Services sharing IPs under one key) come in namespace/name order
 * of their first member; a unit's placements are its IPs ascending, each once per member in
 * namespace/name order; a unit's changes are first what allocation reports (ALLOCATION_FAILED, then
 * per member INVALID_ANNOTATION, ALLOCATED, RELEASED), then node changes per IP ascending and
 * member. After the classes come the Services whose class was deleted while they held IPs
 * (namespace/name, IPs ascending: their announcements as they are, and each one's CLASS_NOT_FOUND
 * complaint), then the releases of Services that are no longer l2lb's (namespace/name, IPs
 * ascending). {@link #services()} iterates in namespace/name order, {@link #classes()} in name
 * order.
 *
 * <p><b>Equality</b> compares placements and changes as lists (in that order), services and classes
 * as maps: two results are equal exactly when they ask for the same thing in the same words, so
 * {@code update(...).equals(compute(next))} holds and is what the tests check.
 *
 * <p>Collections are unmodifiable views, never copies: results are built only by the engine, which
 * hands over its collections and never touches them again, and a result from {@code update} shares
 * what did not change with the result it came from.
 */
public final class PlacementResult {
  private final List<Placement> placements;
  private final ServiceOutcomes services;
  private final Map<String, ClassOutcome> classes;
  private final List<Change> changes;
  private final Map<String, ClassSlice> slices;
  private final ClassSlice orphans;

  /** The nodes the slices' node positions refer to. */
  private final NodeTable nodes;

  /**
   * @param slices every class's slice, in class-name order
   * @param classes every class's outcome, in class-name order
   * @param orphans the placements and complaints of Services whose class was deleted
   * @param others changes no class owns (releases of Services that are no longer ours)
   */
  PlacementResult(
      Map<String, ClassSlice> slices,
      Map<String, ClassOutcome> classes,
      ServiceOutcomes services,
      ClassSlice orphans,
      List<Change> others,
      NodeTable nodes) {
    List<List<Placement>> placementParts = new ArrayList<>(slices.size() + 1);
    List<List<Change>> changeParts = new ArrayList<>(slices.size() + 2);
    for (ClassSlice s : slices.values()) {
      placementParts.add(s.placements());
      changeParts.add(s.changes());
    }
    placementParts.add(orphans.placements());
    changeParts.add(orphans.changes());
    changeParts.add(others);
    this.orphans = orphans;
    this.placements = new Concatenation<>(placementParts);
    this.changes = new Concatenation<>(changeParts);
    this.services = services;
    this.classes = Collections.unmodifiableMap(classes);
    this.slices = slices;
    this.nodes = nodes;
  }

  public List<Placement> placements() {
    return placements;
  }

  public Map<ServiceKey, ServiceOutcome> services() {
    return services;
  }

  public Map<String, ClassOutcome> classes() {
    return classes;
  }

  public List<Change> changes() {
    return changes;
  }

  /** The class's slice (empty when the class has no Services). */
  ClassSlice slice(String className) {
    return slices.getOrDefault(className, ClassSlice.EMPTY);
  }

  Map<String, ClassSlice> slices() {
    return slices;
  }

  ClassSlice orphans() {
    return orphans;
  }

  ServiceOutcomes serviceTable() {
    return services;
  }

  NodeTable nodeTable() {
    return nodes;
  }

  public Optional<Placement> placementOf(IpAddress ip) {
    return placements.stream().filter(p -> p.ip().equals(ip)).findFirst();
  }

  public List<Placement> placementsOf(ServiceKey service) {
    return placements.stream().filter(p -> p.service().equals(service)).toList();
  }

  public List<Change> changesOf(Change.Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlacementResult r
        && placements.equals(r.placements)
        && services.equals(r.services)
        && classes.equals(r.classes)
        && changes.equals(r.changes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(placements, services, classes, changes);
  }

  @Override
  public String toString() {
    return "PlacementResult[placements="
        + placements.size()
        + ", services="
        + services.size()
        + ", classes="
        + classes.keySet()
        + ", changes="
        + changes.size()
        + "]";
  }
}
