package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desired state: every placement (sorted by IP, then Service), each handled Service's
 * outcome, each class's status, and what changed relative to the snapshot.
 */
public record PlacementResult(
    List<Placement> placements,
    Map<ServiceKey, ServiceOutcome> services,
    Map<String, ClassOutcome> classes,
    List<Change> changes) {

  public PlacementResult {
    placements = List.copyOf(placements);
    services = Map.copyOf(services);
    classes = Map.copyOf(classes);
    changes = List.copyOf(changes);
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
