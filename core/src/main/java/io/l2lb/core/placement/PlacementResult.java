package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired state: every placement (grouped by Service), each handled Service's outcome, each
 * class's status, and what changed relative to the snapshot.
 *
 * <p>Collections are wrapped rather than copied: results are built only by the engine, which hands
 * over its collections and never touches them again; copying 30,000 placements would cost a node
 * failover a good part of its time budget.
 */
public final class PlacementResult {
  /** One class's share of the result, so an update can reuse it without scanning everything. */
  record Slice(List<Placement> placements, List<ServiceInfo> services) {}

  private final List<Placement> placements;
  private final Map<ServiceKey, ServiceOutcome> services;
  private final Map<String, ClassOutcome> classes;
  private final List<Change> changes;
  private final Map<String, Slice> slices;

  PlacementResult(
      List<Placement> placements,
      Map<ServiceKey, ServiceOutcome> services,
      Map<String, ClassOutcome> classes,
      List<Change> changes,
      Map<String, Slice> slices) {
    this.placements = Collections.unmodifiableList(placements);
    this.services = Collections.unmodifiableMap(services);
    this.classes = Collections.unmodifiableMap(classes);
    this.changes = Collections.unmodifiableList(changes);
    this.slices = slices;
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

  Slice slice(String className) {
    return slices.getOrDefault(className, new Slice(List.of(), List.of()));
  }

  Map<String, Slice> slices() {
    return slices;
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
