package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.ClassInfo;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current pool of every MetalLoadBalancerClass, by name: written by whoever watches the classes
 * (the informer's thread), read by every {@link PoolGuard} on every reply (the capture threads).
 * One concrete class on purpose: the warm-up and the running speaker go through exactly the same
 * code, so what the warm-up compiles is what answers.
 */
public final class PoolClasses {

  private final Map<String, PoolClass> byName = new ConcurrentHashMap<>();

  /** Parses the pool now (once per class change), not on the reply path. */
  public void put(ClassInfo info) {
    byName.put(info.name(), PoolClass.of(info));
  }

  public void remove(String name) {
    byName.remove(name);
  }

  /** The class, or null: the reply path asks without allocating an Optional. */
  public PoolClass get(String name) {
    return name == null ? null : byName.get(name);
  }

  public Optional<PoolClass> find(String name) {
    return Optional.ofNullable(get(name));
  }
}
