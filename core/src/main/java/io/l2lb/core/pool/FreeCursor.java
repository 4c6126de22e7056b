package io.l2lb.core.pool;

import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;

/**
 * Walks the free addresses of sorted, disjoint spans upwards. The position only moves up, which is
 * valid while {@code taken} only grows: an address below the cursor was taken or handed out and
 * stays so.
 */
final class FreeCursor {
  private final List<Span> spans;
  private final NavigableSet<IpAddress> taken;
  private int span; // index into spans; spans.size() once exhausted
  private IpAddress at; // candidate address inside spans[span]

  FreeCursor(List<Span> spans, NavigableSet<IpAddress> taken) {
    this.spans = spans;
    this.taken = taken;
    this.at = spans.isEmpty() ? null : spans.get(0).first();
  }

  /**
   * Lowest free address at or above the cursor, or null when the pool is used up. Moves the cursor
   * there. Taken addresses are skipped by walking {@code taken}'s own ordered view (one O(log n)
   * lookup, then O(1) per consecutive taken address), never by probing each address of a range.
   */
  IpAddress peek() {
    while (span < spans.size()) {
      IpAddress last = spans.get(span).last();
      IpAddress c = at;
      if (!c.equals(taken.ceiling(c))) {
        return c; // the common case when handing out fresh addresses: no view, no iterator
      }
      boolean spanUsedUp = false;
      Iterator<IpAddress> run = taken.tailSet(c, true).iterator();
      while (run.hasNext() && run.next().equals(c)) {
        if (c.equals(last)) {
          spanUsedUp = true;
          break;
        }
        c = c.next();
      }
      if (!spanUsedUp) {
        at = c;
        return c;
      }
      moveToSpan(span + 1);
    }
    return null;
  }

  /** Steps past the address {@link #peek} returned (it is being handed out). */
  void advance() {
    if (at.equals(spans.get(span).last())) {
      moveToSpan(span + 1);
    } else {
      at = at.next();
    }
  }

  private void moveToSpan(int i) {
    span = i;
    at = i < spans.size() ? spans.get(i).first() : null;
  }
}
