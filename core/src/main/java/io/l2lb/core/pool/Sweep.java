package io.l2lb.core.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds overlapping entries by sorting on the first address and sweeping, so the cost is O(n log n
 * + pairs reported) instead of comparing all pairs of entries.
 */
final class Sweep {
  private Sweep() {}

  /** An entry with the group it belongs to (pool side or class) and its index there. */
  record Item(int group, int index, PoolEntry entry) {}

  /**
   * Calls {@code onPair} once for every pair of overlapping items; with {@code crossGroupOnly}
   * pairs from the same group are skipped. The pair is passed in sweep order, callers normalise it.
   */
  static void overlapping(List<Item> items, boolean crossGroupOnly, BiConsumer<Item, Item> onPair) {
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(
        Comparator.comparing((Item i) -> i.entry().first())
            .thenComparingInt(Item::group)
            .thenComparingInt(Item::index));
    // Items whose range may still reach later items. Every item still active when a new
    // one starts overlaps it, because it started no later and ends no earlier.
    List<Item> active = new ArrayList<>();
    for (Item cur : sorted) {
      IpAddress start = cur.entry().first();
      active.removeIf(a -> a.entry().last().compareTo(start) < 0);
      for (Item a : active) {
        if (!crossGroupOnly || a.group() != cur.group()) {
          onPair.accept(a, cur);
        }
      }
      active.add(cur);
    }
  }
}
