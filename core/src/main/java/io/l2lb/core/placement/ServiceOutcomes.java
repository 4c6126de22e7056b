package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * {@link PlacementResult#services()}: an unmodifiable map whose keys iterate in namespace/name
 * order. The keys and their positions are shared by every result updated from the same computation
 * (an update never adds or removes a Service), so an update copies one array of outcomes instead of
 * rebuilding a map of every Service.
 */
final class ServiceOutcomes extends AbstractMap<ServiceKey, ServiceOutcome> {
  private final ServiceKey[] keys;
  private final Map<ServiceKey, Integer> slots;
  private final ServiceOutcome[] values;

  private ServiceOutcomes(
      ServiceKey[] keys, Map<ServiceKey, Integer> slots, ServiceOutcome[] values) {
    this.keys = keys;
    this.slots = slots;
    this.values = values;
  }

  /**
   * An empty table for these keys (namespace/name order, no duplicates), filled in by {@link #set}.
   */
  static ServiceOutcomes forKeys(List<ServiceKey> sortedKeys) {
    ServiceKey[] keys = sortedKeys.toArray(new ServiceKey[0]);
    Map<ServiceKey, Integer> slots = new HashMap<>(keys.length * 4 / 3 + 1);
    for (int i = 0; i < keys.length; i++) {
      slots.put(keys[i], i);
    }
    return new ServiceOutcomes(keys, slots, new ServiceOutcome[keys.length]);
  }

  /** A copy whose values {@link #set} may change without touching this one. */
  ServiceOutcomes copy() {
    return new ServiceOutcomes(keys, slots, values.clone());
  }

  /** Only while the result is being built. */
  void set(ServiceOutcome outcome) {
    values[slots.get(outcome.key())] = outcome;
  }

  @Override
  public ServiceOutcome get(Object key) {
    Integer slot = slots.get(key);
    return slot == null ? null : values[slot];
  }

  @Override
  public boolean containsKey(Object key) {
    return slots.containsKey(key);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public Set<Entry<ServiceKey, ServiceOutcome>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Entry<ServiceKey, ServiceOutcome>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<ServiceKey, ServiceOutcome> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
