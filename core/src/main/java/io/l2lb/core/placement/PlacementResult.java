package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desired state: every placement (by Service namespace/name, then IP), each handled Service's
 * outcome, each class's status, and what changed relative to the snapshot.
 */
public record PlacementResult(
    List<Placement> placements,
    Map<ServiceKey, ServiceOutcome> services,
    Map<String, ClassOutcome> classes,
    List<Change> changes) {

  /**
   * Wraps rather than copies: results are built only by the engine, which hands over its
   * collections and never touches them again, and copying 30,000 placements would cost a
   * node failover a good part of its time budget.
   */
  public PlacementResult {
    placements = Collections.unmodifiableList(placements);
    services = Collections.unmodifiableMap(services);
    classes = Collections.unmodifiableMap(classes);
    changes = Collections.unmodifiableList(changes);
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
}
