package io.l2lb.operator.plan;

import io.l2lb.core.model.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writes one pass needs, in the order they must land: announcement deletes (an IP must be gone
 * from its old holder before a new one claims it), announcement applies, then statuses, node labels
 * and Events. Within a group the order does not matter, so each group is written in parallel.
 * Bodies are plain maps, serialised by the writer.
 */
public final class Plan {

  /** Server-side apply of one L2Announcement (create or update); resourceVersion locks updates. */
  public record ApplyAnnouncement(
      String namespace, String name, String resourceVersion, Map<String, Object> body) {}

  public record DeleteAnnouncement(String namespace, String name, String resourceVersion) {}

  /** Server-side apply of a Service's status subresource (ingress and l2lb's conditions only). */
  public record ServiceStatus(ServiceKey service, Map<String, Object> body) {}

  /** JSON merge patch of a class's status subresource (the operator owns all of it). */
  public record ClassStatus(String name, Map<String, Object> body) {}

  /** JSON merge patch of a Node's member label (value null removes it). */
  public record NodeLabel(String node, String value) {}

  /** A core/v1 Event. */
  public record Event(
      String namespace,
      String involvedKind,
      String involvedApiVersion,
      String involvedName,
      String involvedUid,
      String type,
      String reason,
      String message) {}

  public final List<DeleteAnnouncement> deletes = new ArrayList<>();
  public final List<ApplyAnnouncement> applies = new ArrayList<>();
  public final List<ServiceStatus> serviceStatuses = new ArrayList<>();
  public final List<ClassStatus> classStatuses = new ArrayList<>();
  public final List<NodeLabel> nodeLabels = new ArrayList<>();
  public final List<Event> events = new ArrayList<>();

  /** IPs moved off a node that stopped being a candidate, in this pass. */
  public int failovers;

  /**
   * Announcements (namespace/name) in the first step of a move off a live node: released there,
   * waiting for its speaker to confirm (or the timeout) before they are placed on the new node.
   */
  public final java.util.Set<String> releasing = new java.util.TreeSet<>();

  /** Classes whose changed counts wait for {@code Timing.classCountsDue} (a later pass). */
  public final java.util.Set<String> classCountsLater = new java.util.TreeSet<>();

  /** Second steps written in this pass because the old node confirmed the release. */
  public int releasesConfirmed;

  /** Second steps written in this pass because the release timed out unconfirmed. */
  public int releasesTimedOut;

  public boolean isEmpty() {
    return deletes.isEmpty()
        && applies.isEmpty()
        && serviceStatuses.isEmpty()
        && classStatuses.isEmpty()
        && nodeLabels.isEmpty()
        && events.isEmpty();
  }

  public int size() {
    return deletes.size()
        + applies.size()
        + serviceStatuses.size()
        + classStatuses.size()
        + nodeLabels.size()
        + events.size();
  }

  @Override
  public String toString() {
    return "deletes="
        + deletes.size()
        + " applies="
        + applies.size()
        + " serviceStatuses="
        + serviceStatuses.size()
        + " classStatuses="
        + classStatuses.size()
        + " nodeLabels="
        + nodeLabels.size()
        + " events="
        + events.size()
        + " releasing="
        + releasing.size();
  }
}
