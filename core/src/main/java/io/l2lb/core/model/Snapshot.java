package io.l2lb.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Everything the placement engine reads, immutable. Order of the lists does not matter. */
public record Snapshot(
    List<ClassInfo> classes,
    List<NodeInfo> nodes,
    List<ServiceInfo> services,
    List<AnnouncementInfo> announcements) {

  public Snapshot {
    classes = List.copyOf(classes);
    nodes = List.copyOf(nodes);
    services = List.copyOf(services);
    announcements = List.copyOf(announcements);
  }

  public Snapshot withAnnouncements(List<AnnouncementInfo> value) {
    return new Snapshot(classes, nodes, services, value);
  }

  public Snapshot withNodes(List<NodeInfo> value) {
    return new Snapshot(classes, value, services, announcements);
  }

  public Snapshot withServices(List<ServiceInfo> value) {
    return new Snapshot(classes, nodes, value, announcements);
  }

  public Snapshot withClasses(List<ClassInfo> value) {
    return new Snapshot(value, nodes, services, announcements);
  }

  /** The same snapshot with the named nodes turned into failed ones (not Ready, speaker dead). */
  public Snapshot withFailedNodes(Set<String> failed) {
    return mapNodes(
        n -> failed.contains(n.name()) ? n.withReady(false).withSpeakerAlive(false) : n);
  }

  public Snapshot mapNodes(UnaryOperator<NodeInfo> change) {
    List<NodeInfo> changed = new ArrayList<>(nodes.size());
    for (NodeInfo node : nodes) {
      changed.add(change.apply(node));
    }
    return new Snapshot(classes, changed, services, announcements);
  }
}
