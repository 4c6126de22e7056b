package io.l2lb.core.placement;

import java.util.List;

/**
 * One class's share of a result: its units (with their allocation), where their IPs went, its
 * placements and its changes, each in the result's order. A result is the concatenation of its
 * slices in class-name order, so an update can replace some slices and keep the others as they are.
 *
 * @param chosen per unit, the node of each IP (position in {@code nodes}; -1: none)
 * @param nodes the table the positions in {@code chosen} refer to (a kept slice may be older than
 *     the result's table)
 */
record ClassSlice(
    List<Unit> units,
    List<int[]> chosen,
    NodeTable nodes,
    List<Placement> placements,
    List<Change> changes) {
  static final ClassSlice EMPTY = new ClassSlice(List.of(), List.of(), null, List.of(), List.of());

  /** This slice with only the changes that every computation repeats ({@link Change#standing}). */
  ClassSlice standingOnly() {
    for (Change c : changes) {
      if (!c.standing()) {
        return new ClassSlice(
            units, chosen, nodes, placements, changes.stream().filter(Change::standing).toList());
      }
    }
    return this;
  }
}
