package io.l2lb.core.placement;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * An unmodifiable list that reads through to its parts, one after the other: a result's placements
 * are its classes' placements, and an update that keeps most classes should not copy hundreds of
 * thousands of references to say so. The parts must not change afterwards.
 */
final class Concatenation<T> extends AbstractList<T> implements RandomAccess {
  private final List<List<T>> parts;
  private final int[] starts;
  private final int size;

  Concatenation(List<List<T>> parts) {
    this.parts = List.copyOf(parts);
    this.starts = new int[this.parts.size()];
    int at = 0;
    for (int i = 0; i < starts.length; i++) {
      starts[i] = at;
      at += this.parts.get(i).size();
    }
    this.size = at;
  }

  @Override
  public T get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    // Empty parts share their start with the next part: walk past them.
    while (index - starts[lo] >= parts.get(lo).size()) {
      lo++;
    }
    return parts.get(lo).get(index - starts[lo]);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private int part;
      private int next;

      @Override
      public boolean hasNext() {
        while (part < parts.size() && next >= parts.get(part).size()) {
          part++;
          next = 0;
        }
        return part < parts.size();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return parts.get(part).get(next++);
      }
    };
  }
}
