package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.placement.ClassTable.ClassView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 3 of the pipeline, <b>choose nodes</b>, for the units of one class. Classes never interact
 * here (load is counted per class), which is what lets an update choose again for one class only.
 *
 * <p>A unit's candidates are its class's candidates (selected by the nodeSelector, Ready, speaker
 * alive, no NetworkUnavailable, not excluded), narrowed for {@code externalTrafficPolicy: Local} to
 * the nodes where every Local member has a ready endpoint. Three passes, each over all units of the
 * class in order:
 *
 * <ol>
 *   <li><b>keep</b>: an IP stays on its node while that node is a candidate of the unit.
 *   <li><b>place</b>: each IP without a node, ascending, goes to the best candidate by {@link
 *       #better the rule's order}.
 *   <li><b>spread</b>: while the unit has two IPs on one node and some candidate holds none of its
 *       IPs, one of those IPs moves to the least loaded such candidate (the first by name on equal
 *       load): of the IPs that share a node, the one with the lowest {@link TieBreak hash} with the
 *       target. This is the only move of an IP whose node is still a candidate.
 * </ol>
 *
 * No candidate: the IP keeps no node (it stays allocated, unannounced).
 */
final class NodeChoice {
  private NodeChoice() {}

  /** Where one unit's IPs go. */
  record Choice(int[] nodes, int[] candidates) {}

  /**
   * @param was per unit, the node each IP is on now (index in {@code nodes}, -1: none)
   * @return per unit (parallel to {@code units}), the node of each IP (-1: none) and the unit's
   *     candidates
   */
  static Choice[] choose(ClassView cls, NodeTable nodes, List<Unit> units, List<int[]> was) {
    int[] load = new int[nodes.size()];
    boolean[] holds = new boolean[nodes.size()];
    Choice[] choices = new Choice[units.size()];
    for (int u = 0; u < units.size(); u++) {
      choices[u] = keep(units.get(u), was.get(u), candidatesOf(units.get(u), cls, nodes), load);
    }
    for (int u = 0; u < units.size(); u++) {
      place(units.get(u), choices[u], nodes, load, holds);
    }
    for (int u = 0; u < units.size(); u++) {
      spread(units.get(u), choices[u], nodes, load, holds);
    }
    return choices;
  }

  /**
   * The placement rule's order of candidates for an IP (true: {@code a} is the better home):
   *
   * <ol>
   *   <li>a node that holds no other IP of the unit, before one that does;
   *   <li>then the node with fewer IPs of its class;
   *   <li>then the lower {@link TieBreak#hash(long, long) hash(node, ip)};
   *   <li>then (the hashes being equal) the node whose name sorts first: the caller walks
   *       candidates in name order and keeps the first of equals.
   * </ol>
   */
  static boolean better(
      boolean aHolds, int aLoad, long aHash, boolean bHolds, int bLoad, long bHash) {
    if (aHolds != bHolds) {
      return !aHolds;
    }
    if (aLoad != bLoad) {
      return aLoad < bLoad;
    }
    return Long.compareUnsigned(aHash, bHash) < 0;
  }

  private static int[] candidatesOf(Unit unit, ClassView cls, NodeTable nodes) {
    int[] all = cls.candidates();
    List<ServiceInfo> local = new ArrayList<>(0);
    for (ServiceInfo s : unit.members) {
      if (s.localTrafficPolicy()) {
        local.add(s);
      }
    }
    if (local.isEmpty()) {
      return all;
    }
    return Arrays.stream(all)
        .filter(n -> local.stream().allMatch(s -> s.readyEndpointNodes().contains(nodes.name(n))))
        .toArray();
  }

  private static Choice keep(Unit unit, int[] was, int[] candidates, int[] load) {
    int[] chosen = new int[unit.ips.length];
    Arrays.fill(chosen, -1);
    for (int i = 0; i < chosen.length; i++) {
      int n = was[i];
      if (n >= 0 && Arrays.binarySearch(candidates, n) >= 0) {
        chosen[i] = n;
        load[n]++;
      }
    }
    return new Choice(chosen, candidates);
  }

  private static void place(
      Unit unit, Choice choice, NodeTable nodes, int[] load, boolean[] holds) {
    int[] chosen = choice.nodes();
    int[] candidates = choice.candidates();
    if (candidates.length == 0) {
      return;
    }
    mark(chosen, holds, true);
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] >= 0) {
        continue;
      }
      long ipKey = unit.ipKeys[i];
      int best = candidates[0];
      long bestHash = TieBreak.hash(nodes.key(best), ipKey);
      for (int c = 1; c < candidates.length; c++) {
        int n = candidates[c];
        // Hash only where holding and load tie: the common case on a balanced class is a tie.
        if (holds[n] == holds[best] && load[n] == load[best]) {
          long h = TieBreak.hash(nodes.key(n), ipKey);
          if (Long.compareUnsigned(h, bestHash) < 0) {
            best = n;
            bestHash = h;
          }
        } else if (better(holds[n], load[n], 0, holds[best], load[best], 0)) {
          best = n;
          bestHash = TieBreak.hash(nodes.key(n), ipKey);
        }
      }
      chosen[i] = best;
      load[best]++;
      holds[best] = true;
    }
    mark(chosen, holds, false);
  }

  private static void spread(
      Unit unit, Choice choice, NodeTable nodes, int[] load, boolean[] holds) {
    int[] chosen = choice.nodes();
    if (chosen.length < 2) {
      return;
    }
    while (sharesANode(chosen)) {
      mark(chosen, holds, true);
      int target = -1;
      for (int n : choice.candidates()) {
        if (!holds[n] && (target < 0 || load[n] < load[target])) {
          target = n;
        }
      }
      mark(chosen, holds, false);
      if (target < 0) {
        return;
      }
      int move = -1;
      long moveHash = 0;
      for (int i = 0; i < chosen.length; i++) {
        if (chosen[i] < 0 || !sharesNode(chosen, i)) {
          continue;
        }
        long h = TieBreak.hash(nodes.key(target), unit.ipKeys[i]);
        if (move < 0 || Long.compareUnsigned(h, moveHash) < 0) {
          move = i;
          moveHash = h;
        }
      }
      load[chosen[move]]--;
      chosen[move] = target;
      load[target]++;
    }
  }

  private static void mark(int[] chosen, boolean[] holds, boolean value) {
    for (int n : chosen) {
      if (n >= 0) {
        holds[n] = value;
      }
    }
  }

  private static boolean sharesANode(int[] chosen) {
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] >= 0 && sharesNode(chosen, i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether another IP of the unit sits on the same node as IP i. */
  private static boolean sharesNode(int[] chosen, int i) {
    for (int j = 0; j < chosen.length; j++) {
      if (j != i && chosen[j] == chosen[i]) {
        return true;
      }
    }
    return false;
  }
}
