package io.l2lb.core.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Overlaps between the pools of different classes: two classes must never hand out the same
 * address.
 */
public final class PoolOverlaps {
  private PoolOverlaps() {}

  /**
   * Entry {@code a} of class {@code classA} overlaps entry {@code b} of class {@code classB};
   * {@code classA < classB}.
   */
  public record ClassOverlap(String classA, PoolEntry a, String classB, PoolEntry b) {}

  /**
   * Every overlapping pair of entries from two different classes (overlaps inside one class are
   * {@link AddressPool#internalOverlaps}). Ordered by class names, then by each entry's position in
   * its pool, so repeated reconciles report the same list. One sort and sweep over all entries
   * rather than comparing every pair of classes.
   */
  public static List<ClassOverlap> between(Map<String, AddressPool> poolsByClassName) {
    List<String> names = new ArrayList<>(poolsByClassName.keySet());
    names.sort(Comparator.naturalOrder());
    List<Sweep.Item> items = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) {
      List<PoolEntry> entries = poolsByClassName.get(names.get(c)).entries();
      for (int i = 0; i < entries.size(); i++) {
        items.add(new Sweep.Item(c, i, entries.get(i)));
      }
    }
    // Group numbers follow sorted names, so ordering items by group orders by class name.
    List<Sweep.Item[]> pairs = new ArrayList<>();
    Sweep.overlapping(
        items,
        true,
        (x, y) ->
            pairs.add(x.group() < y.group() ? new Sweep.Item[] {x, y} : new Sweep.Item[] {y, x}));
    pairs.sort(
        Comparator.<Sweep.Item[]>comparingInt(p -> p[0].group())
            .thenComparingInt(p -> p[1].group())
            .thenComparingInt(p -> p[0].index())
            .thenComparingInt(p -> p[1].index()));
    List<ClassOverlap> out = new ArrayList<>(pairs.size());
    for (Sweep.Item[] p : pairs) {
      out.add(
          new ClassOverlap(
              names.get(p[0].group()), p[0].entry(), names.get(p[1].group()), p[1].entry()));
    }
    return List.copyOf(out);
  }
}
