package io.l2lb.core.pool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The address pool of one MetalLoadBalancerClass: its entries in the order written, plus the same
 * addresses merged into sorted disjoint spans, which is what size, lookup and allocation work on
 * (so overlapping or duplicate entries never count an address twice). Immutable and thread-safe;
 * {@link #free} and {@link #allocator} return fresh cursors.
 */
public final class AddressPool {

  /** Two entries that share at least one address. */
  public record Overlap(PoolEntry a, PoolEntry b) {}

  private static final AddressPool EMPTY = new AddressPool(List.of());

  private final List<PoolEntry> entries;
  private final List<Span> spans;
  private final BigInteger size;

  private AddressPool(List<PoolEntry> entries) {
    this.entries = List.copyOf(entries);
    this.spans = merge(this.entries);
    BigInteger total = BigInteger.ZERO;
    for (Span s : spans) {
      total =
          total.add(s.last().toBigInteger().subtract(s.first().toBigInteger()).add(BigInteger.ONE));
    }
    this.size = total;
  }

  /**
   * Parses {@code spec.addressPool}; a null list is an empty pool.
   *
   * @throws PoolSyntaxException for the first bad entry, as {@code addressPool[2] '...': ...}
   */
  public static AddressPool parse(List<String> entries) {
    if (entries == null || entries.isEmpty()) {
      return EMPTY;
    }
    List<PoolEntry> parsed = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      try {
        parsed.add(PoolEntry.parse(entries.get(i)));
      } catch (PoolSyntaxException e) {
        throw e.atIndex(i);
      }
    }
    return new AddressPool(parsed);
  }

  /** Parses what it can: a bad entry becomes an error message instead of failing the whole pool. */
  public static PoolParseResult parseLenient(List<String> entries) {
    if (entries == null) {
      return new PoolParseResult(EMPTY, List.of());
    }
    List<PoolEntry> parsed = new ArrayList<>(entries.size());
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        parsed.add(PoolEntry.parse(entries.get(i)));
      } catch (PoolSyntaxException e) {
        errors.add(e.atIndex(i).getMessage());
      }
    }
    return new PoolParseResult(new AddressPool(parsed), errors);
  }

  private static List<Span> merge(List<PoolEntry> entries) {
    List<PoolEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(PoolEntry::first));
    List<Span> out = new ArrayList<>();
    IpAddress first = null;
    IpAddress last = null;
    for (PoolEntry e : sorted) {
      if (last != null && e.first().compareTo(last) <= 0) {
        if (e.last().compareTo(last) > 0) {
          last = e.last();
        }
        continue;
      }
      if (last != null) {
        out.add(new Span(first, last));
      }
      first = e.first();
      last = e.last();
    }
    if (last != null) {
      out.add(new Span(first, last));
    }
    return List.copyOf(out);
  }

  public List<PoolEntry> entries() {
    return entries;
  }

  /**
   * The addresses of this pool that none of {@code others} contains, as a pool of ranges (one per
   * remaining span, written {@code first-last}). Works on spans, never on single addresses, so
   * subtracting one huge IPv6 range from another costs as little as two small ones.
   */
  public AddressPool minus(Collection<AddressPool> others) {
    List<Span> cut = new ArrayList<>();
    for (AddressPool o : others) {
      cut.addAll(o.spans);
    }
    if (cut.isEmpty()) {
      return this;
    }
    cut.sort(Comparator.comparing(Span::first));
    List<PoolEntry> left = new ArrayList<>();
    for (Span s : spans) {
      IpAddress from = s.first();
      for (Span c : cut) {
        if (from == null || c.first().compareTo(s.last()) > 0) {
          break;
        }
        if (c.last().compareTo(from) < 0 || c.first().family() != from.family()) {
          continue;
        }
        if (c.first().compareTo(from) > 0) {
          left.add(range(from, c.first().plus(-1)));
        }
        from = c.last().compareTo(s.last()) >= 0 ? null : c.last().next();
      }
      if (from != null) {
        left.add(range(from, s.last()));
      }
    }
    return new AddressPool(left);
  }

  private static PoolEntry range(IpAddress first, IpAddress last) {
    return new PoolEntry(first + "-" + last, first, last, PoolEntry.Kind.RANGE);
  }

  /** Distinct usable addresses across all entries (an address in two entries counts once). */
  public BigInteger size() {
    return size;
  }

  /** {@link #size()} clamped to {@link Long#MAX_VALUE}, for status fields and metrics. */
  public long sizeSaturated() {
    return saturate(size);
  }

  /**
   * A non-negative count clamped to {@link Long#MAX_VALUE}: status fields are int64, IPv6 pools are
   * not.
   */
  public static long saturate(BigInteger count) {
    return count.bitLength() < 64 ? count.longValue() : Long.MAX_VALUE;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** O(log spans): binary search for the last span starting at or below {@code ip}. */
  public boolean contains(IpAddress ip) {
    int lo = 0;
    int hi = spans.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Span s = spans.get(mid);
      if (s.first().compareTo(ip) > 0) {
        hi = mid - 1;
      } else if (s.last().compareTo(ip) < 0) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Pairs of this pool's own entries that overlap, earlier-written entry first, in entry order. */
  public List<Overlap> internalOverlaps() {
    List<Sweep.Item> items = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      items.add(new Sweep.Item(0, i, entries.get(i)));
    }
    List<int[]> pairs = new ArrayList<>();
    Sweep.overlapping(
        items,
        false,
        (x, y) ->
            pairs.add(new int[] {Math.min(x.index(), y.index()), Math.max(x.index(), y.index())}));
    return toOverlaps(pairs, entries, entries);
  }

  /**
   * Pairs (entry of this pool, entry of {@code other}) that overlap, in this pool's entry order.
   */
  public List<Overlap> overlapsWith(AddressPool other) {
    List<Sweep.Item> items = new ArrayList<>(entries.size() + other.entries.size());
    for (int i = 0; i < entries.size(); i++) {
      items.add(new Sweep.Item(0, i, entries.get(i)));
    }
    for (int i = 0; i < other.entries.size(); i++) {
      items.add(new Sweep.Item(1, i, other.entries.get(i)));
    }
    List<int[]> pairs = new ArrayList<>();
    Sweep.overlapping(
        items,
        true,
        (x, y) -> {
          Sweep.Item mine = x.group() == 0 ? x : y;
          Sweep.Item theirs = x.group() == 0 ? y : x;
          pairs.add(new int[] {mine.index(), theirs.index()});
        });
    return toOverlaps(pairs, entries, other.entries);
  }

  private static List<Overlap> toOverlaps(
      List<int[]> pairs, List<PoolEntry> as, List<PoolEntry> bs) {
    pairs.sort(Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
    List<Overlap> out = new ArrayList<>(pairs.size());
    for (int[] p : pairs) {
      out.add(new Overlap(as.get(p[0]), bs.get(p[1])));
    }
    return List.copyOf(out);
  }

  /**
   * Lowest addresses not in {@code taken}, in address order across all entries (IPv4 before IPv6);
   * overlapping entries never yield an address twice. Lazy: reads {@code taken} as it goes and
   * never materialises a range. {@code taken} uses natural ordering.
   */
  public Iterator<IpAddress> free(NavigableSet<IpAddress> taken) {
    FreeCursor cursor = new FreeCursor(spans, Objects.requireNonNull(taken, "taken"));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return cursor.peek() != null;
      }

      @Override
      public IpAddress next() {
        IpAddress ip = cursor.peek();
        if (ip == null) {
          throw new NoSuchElementException("address pool used up");
        }
        cursor.advance();
        return ip;
      }
    };
  }

  /**
   * An allocator over this pool that hands out lowest free addresses and records them in {@code
   * taken}.
   */
  public Allocator allocator(NavigableSet<IpAddress> taken) {
    return new Allocator(spans, taken);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressPool p && p.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    List<String> texts = new ArrayList<>(entries.size());
    for (PoolEntry e : entries) {
      texts.add(e.text());
    }
    return "AddressPool" + texts;
  }
}
