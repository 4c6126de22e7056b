package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.PoolParseResult;
import java.net.InetAddress;
import java.util.List;

/**
 * A MetalLoadBalancerClass as the speaker uses it: core's {@link ClassInfo} (the one conversion of
 * the resource) plus its pool parsed once, for the guard that asks on every reply. Entries that do
 * not parse are left out of the pool, which can only make the guard stricter; their messages are
 * kept for the status of an IP the guard refuses.
 */
public record PoolClass(ClassInfo info, AddressPool pool, List<String> poolErrors) {

  public PoolClass {
    poolErrors = List.copyOf(poolErrors);
  }

  public static PoolClass of(ClassInfo info) {
    PoolParseResult parsed = AddressPool.parseLenient(info.addressPool());
    return new PoolClass(info, parsed.pool(), parsed.errors());
  }

  public String name() {
    return info.name();
  }

  /** The class's {@code l2.interfaces}. */
  public List<String> interfaces() {
    return info.interfaces();
  }

  /** On the reply path: bytes to a core address, no text on the way (no formatting, no parse). */
  public boolean contains(InetAddress ip) {
    return pool.contains(IpAddress.fromBytes(ip.getAddress()));
  }
}
