package io.l2lb.core.pool;

import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out the lowest free addresses of a pool one by one and adds each to the caller's {@code
 * taken} set. {@code taken} may grow between calls (other services allocate in the same pass); it
 * must not shrink: an address released below the cursor is not seen again, so create a new
 * allocator after releasing addresses. Not thread-safe.
 *
 * <p>Cost: amortised O(log n) per call, because the cursor only moves up and each taken address is
 * stepped over at most once.
 */
public final class Allocator {
  private final FreeCursor cursor;
  private final NavigableSet<IpAddress> taken;

  Allocator(List<Span> spans, NavigableSet<IpAddress> taken) {
    this.taken = Objects.requireNonNull(taken, "taken");
    this.cursor = new FreeCursor(spans, taken);
  }

  /** The lowest free address, now added to {@code taken}; empty when the pool is used up. */
  public Optional<IpAddress> next() {
    IpAddress ip = cursor.peek();
    if (ip == null) {
      return Optional.empty();
    }
    taken.add(ip);
    cursor.advance();
    return Optional.of(ip);
  }
}
