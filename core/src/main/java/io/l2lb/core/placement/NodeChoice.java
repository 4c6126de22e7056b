package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.placement.ClassTable.ClassView;
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
    Loads loads = new Loads(nodes, cls.candidates());
    Choice[] choices = new Choice[units.size()];
    for (int u = 0; u < units.size(); u++) {
      Unit unit = units.get(u);
      choices[u] = keep(unit, was.get(u), candidatesOf(unit, cls, nodes), loads);
    }
    loads.bucket();
    for (int u = 0; u < units.size(); u++) {
      place(units.get(u), choices[u], loads);
    }
    for (int u = 0; u < units.size(); u++) {
      spread(units.get(u), choices[u], loads);
    }
    return choices;
  }

  /**
   * The placement rule's order of candidates for an IP (true: node {@code a} is the better home):
   *
   * <ol>
   *   <li>a node that holds no other IP of the unit, before one that does;
   *   <li>then the node with fewer IPs of its class;
   *   <li>then the lower {@link TieBreak#hash(long, long) hash(node, ip)}, unsigned;
   *   <li>then (the hashes being equal) the node whose name sorts first: the lower index.
   * </ol>
   */
  static boolean better(
      boolean aHolds, int aLoad, long aHash, int a, boolean bHolds, int bLoad, long bHash, int b) {
    if (aHolds != bHolds) {
      return !aHolds;
    }
    if (aLoad != bLoad) {
      return aLoad < bLoad;
    }
    int byHash = Long.compareUnsigned(aHash, bHash);
    return byHash != 0 ? byHash < 0 : a < b;
  }

  private static int[] candidatesOf(Unit unit, ClassView cls, NodeTable nodes) {
    int[] all = cls.candidates();
    if (!unit.anyLocal) {
      return all;
    }
    int[] narrowed = new int[all.length];
    int count = 0;
    for (int n : all) {
      boolean everyLocalHasOne = true;
      for (ServiceInfo s : unit.members) {
        if (s.localTrafficPolicy() && !s.readyEndpointNodes().contains(nodes.name(n))) {
          everyLocalHasOne = false;
          break;
        }
      }
      if (everyLocalHasOne) {
        narrowed[count++] = n;
      }
    }
    return Arrays.copyOf(narrowed, count);
  }

  private static Choice keep(Unit unit, int[] was, int[] candidates, Loads loads) {
    int[] chosen = new int[unit.ips.length];
    for (int i = 0; i < chosen.length; i++) {
      int n = was[i];
      if (n >= 0 && loads.isCandidate(candidates, n)) {
        chosen[i] = n;
        loads.load[n]++;
      } else {
        chosen[i] = -1;
      }
    }
    return new Choice(chosen, candidates);
  }

  private static void place(Unit unit, Choice choice, Loads loads) {
    int[] chosen = choice.nodes();
    int[] candidates = choice.candidates();
    if (candidates.length == 0) {
      return;
    }
    loads.mark(chosen, true);
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] < 0) {
        int best = loads.best(candidates, unit.ipKeys[i], chosen);
        chosen[i] = best;
        loads.increment(best);
        loads.holds[best] = true;
      }
    }
    loads.mark(chosen, false);
  }

  private static void spread(Unit unit, Choice choice, Loads loads) {
    int[] chosen = choice.nodes();
    if (chosen.length < 2) {
      return;
    }
    while (sharesANode(chosen)) {
      loads.mark(chosen, true);
      int target = loads.leastLoadedFree(choice.candidates());
      loads.mark(chosen, false);
      if (target < 0) {
        return;
      }
      int move = -1;
      long moveHash = 0;
      for (int i = 0; i < chosen.length; i++) {
        if (chosen[i] < 0 || !sharesNode(chosen, i)) {
          continue;
        }
        long h = TieBreak.hash(loads.nodes.key(target), unit.ipKeys[i]);
        if (move < 0 || Long.compareUnsigned(h, moveHash) < 0) {
          move = i;
          moveHash = h;
        }
      }
      loads.decrement(chosen[move]);
      chosen[move] = target;
      loads.increment(target);
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

  /**
   * IPs per node of one class, and which nodes hold an IP of the unit at hand. The class's
   * candidates are also kept in buckets by load: for a unit whose candidates are the class's, the
   * best node is among the least loaded nodes that hold none of its IPs, so only those are hashed.
   * Units narrowed by Local policy walk their own candidates.
   */
  private static final class Loads {
    final NodeTable nodes;
    final int[] load;
    final boolean[] holds;
    private final int[] classCandidates;
    private final boolean[] classCandidate;
    private final int[] position;
    private int[][] buckets = new int[4][];
    private int[] sizes = new int[4];
    private int levels;
    private int min;

    Loads(NodeTable nodes, int[] classCandidates) {
      this.nodes = nodes;
      this.load = new int[nodes.size()];
      this.holds = new boolean[nodes.size()];
      this.classCandidates = classCandidates;
      this.classCandidate = new boolean[nodes.size()];
      for (int n : classCandidates) {
        classCandidate[n] = true;
      }
      this.position = new int[nodes.size()];
    }

    boolean isCandidate(int[] candidates, int n) {
      return candidates == classCandidates
          ? classCandidate[n]
          : Arrays.binarySearch(candidates, n) >= 0;
    }

    /**
     * Puts the class's candidates into buckets by their load so far. Before this, loads are only
     * counted ({@code load[n]++}); after it, only {@link #increment} and {@link #decrement} change
     * them.
     */
    void bucket() {
      int top = 0;
      for (int n : classCandidates) {
        top = Math.max(top, load[n]);
      }
      buckets = new int[top + 2][];
      sizes = new int[top + 2];
      levels = top + 1;
      for (int level = 0; level < levels; level++) {
        buckets[level] = new int[4];
      }
      for (int n : classCandidates) {
        add(n, load[n]);
      }
      min = 0;
      while (min < levels - 1 && sizes[min] == 0) {
        min++;
      }
    }

    void mark(int[] chosen, boolean value) {
      for (int n : chosen) {
        if (n >= 0) {
          holds[n] = value;
        }
      }
    }

    /** Every node a unit chooses is a class candidate, so it is in a bucket. */
    void increment(int n) {
      remove(n, load[n]);
      add(n, ++load[n]);
      while (sizes[min] == 0 && min < levels - 1) {
        min++;
      }
    }

    void decrement(int n) {
      remove(n, load[n]);
      add(n, --load[n]);
      min = Math.min(min, load[n]);
    }

    /** The best of {@code candidates} for the IP by {@link #better}. */
    int best(int[] candidates, long ipKey, int[] chosen) {
      if (candidates == classCandidates) {
        int free = bestFree(ipKey);
        if (free >= 0) {
          return free;
        }
        // Every candidate holds an IP of the unit: the unit's own nodes are all there is.
        candidates = chosen;
      }
      int best = -1;
      long bestHash = 0;
      for (int n : candidates) {
        if (n < 0) {
          continue;
        }
        long h = TieBreak.hash(nodes.key(n), ipKey);
        if (best < 0 || better(holds[n], load[n], h, n, holds[best], load[best], bestHash, best)) {
          best = n;
          bestHash = h;
        }
      }
      return best;
    }

    /** Among the least loaded class candidates holding no IP of the unit, the lowest hash. */
    private int bestFree(long ipKey) {
      for (int level = min; level < levels; level++) {
        int best = -1;
        long bestHash = 0;
        int[] bucket = buckets[level];
        for (int j = 0; j < sizes[level]; j++) {
          int n = bucket[j];
          if (!holds[n]) {
            long h = TieBreak.hash(nodes.key(n), ipKey);
            if (best < 0 || better(false, 0, h, n, false, 0, bestHash, best)) {
              best = n;
              bestHash = h;
            }
          }
        }
        if (best >= 0) {
          return best;
        }
      }
      return -1;
    }

    /**
     * The least loaded of {@code candidates} holding no IP of the unit, the first by name; or -1.
     */
    int leastLoadedFree(int[] candidates) {
      if (candidates == classCandidates) {
        for (int level = min; level < levels; level++) {
          int best = -1;
          int[] bucket = buckets[level];
          for (int j = 0; j < sizes[level]; j++) {
            int n = bucket[j];
            if (!holds[n] && (best < 0 || n < best)) {
              best = n;
            }
          }
          if (best >= 0) {
            return best;
          }
        }
        return -1;
      }
      int target = -1;
      for (int n : candidates) {
        if (!holds[n] && (target < 0 || load[n] < load[target])) {
          target = n;
        }
      }
      return target;
    }

    private void add(int n, int level) {
      if (level == levels) {
        if (levels == buckets.length) {
          buckets = Arrays.copyOf(buckets, levels * 2);
          sizes = Arrays.copyOf(sizes, levels * 2);
        }
        buckets[levels++] = new int[4];
      }
      if (sizes[level] == buckets[level].length) {
        buckets[level] = Arrays.copyOf(buckets[level], sizes[level] * 2);
      }
      position[n] = sizes[level];
      buckets[level][sizes[level]++] = n;
    }

    private void remove(int n, int level) {
      int last = buckets[level][--sizes[level]];
      buckets[level][position[n]] = last;
      position[last] = position[n];
    }
  }
}
