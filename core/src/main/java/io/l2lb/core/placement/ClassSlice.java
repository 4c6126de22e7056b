package io.l2lb.core.placement;

import java.util.List;

/**
 * One class's share of a result: its units (with their allocation), its placements and its changes,
 * each in the result's order. A result is the concatenation of its slices in class-name order, so
 * an update can replace some slices and keep the others as they are.
 */
record ClassSlice(List<Unit> units, List<Placement> placements, List<Change> changes) {
  static final ClassSlice EMPTY = new ClassSlice(List.of(), List.of(), List.of());

  /** This slice with only the changes that every computation repeats ({@link Change#standing}). */
  ClassSlice standingOnly() {
    if (changes.stream().allMatch(Change::standing)) {
      return this;
    }
    return new ClassSlice(units, placements, changes.stream().filter(Change::standing).toList());
  }
}
