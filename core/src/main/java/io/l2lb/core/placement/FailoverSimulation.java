package io.l2lb.core.placement;

import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.pool.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "What if these nodes fail?": the placement engine run on the live snapshot, then again with the
 * nodes marked failed (not Ready, speaker dead). The same engine the operator runs, so the answer
 * is what the operator would do.
 */
public final class FailoverSimulation {
  private FailoverSimulation() {}

  /** One IP of one Service: where it is announced now and after the failure (null = nowhere). */
  public record Step(
      IpAddress ip, ServiceKey service, String className, String before, String after) {
    public boolean moved() {
      return !Objects.equals(before, after);
    }
  }

  public record Report(Set<String> failedNodes, List<Step> steps, List<Change> changes) {
    public Report {
      failedNodes = Set.copyOf(failedNodes);
      steps = List.copyOf(steps);
      changes = List.copyOf(changes);
    }

    public List<Step> moved() {
      return steps.stream().filter(Step::moved).toList();
    }

    /** IPs that no node could take over: traffic to them would stop. */
    public List<Step> lost() {
      return steps.stream().filter(s -> s.before() != null && s.after() == null).toList();
    }
  }

  /**
   * @throws IllegalArgumentException when a failed node is not in the snapshot
   */
  public static Report simulate(Snapshot snapshot, Set<String> failedNodes) {
    Set<String> known = snapshot.nodes().stream().map(NodeInfo::name).collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>(failedNodes);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "no such node: "
              + String.join(", ", unknown)
              + "; known nodes: "
              + String.join(", ", new TreeSet<>(known)));
    }
    PlacementResult before = PlacementEngine.compute(snapshot);
    Snapshot settled = snapshot.withAnnouncements(announcementsOf(before));
    PlacementResult after = PlacementEngine.compute(settled.withFailedNodes(failedNodes));

    Map<String, Placement> afterByKey =
        after.placements().stream()
            .collect(Collectors.toMap(FailoverSimulation::key, Function.identity()));
    List<Step> steps = new ArrayList<>();
    for (Placement p : before.placements()) {
      Placement then = afterByKey.get(key(p));
      steps.add(
          new Step(
              p.ip(),
              p.service(),
              p.className(),
              p.nodeName(),
              then == null ? null : then.nodeName()));
    }
    return new Report(failedNodes, steps, after.changes());
  }

  /**
   * The announcements the operator would write for a result: feeding them back in settles the
   * state.
   */
  public static List<AnnouncementInfo> announcementsOf(PlacementResult result) {
    return result.placements().stream()
        .map(
            p ->
                new AnnouncementInfo(
                    p.ip().toString(), p.nodeName(), p.service(), p.className(), p.interfaces()))
        .toList();
  }

  private static String key(Placement p) {
    return p.ip() + "|" + p.service();
  }
}
