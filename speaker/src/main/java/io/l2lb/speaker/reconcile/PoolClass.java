package io.l2lb.speaker.kube;

import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.PoolParseResult;
import java.net.InetAddress;
import java.util.List;

/**
 * What the speaker needs of a MetalLoadBalancerClass: its pool (the guard: never answer outside it)
 * and its {@code l2.interfaces}. Entries that do not parse are left out of the pool, which can only
 * make the guard stricter.
 */
public record PoolClass(
    String name, AddressPool pool, List<String> poolErrors, List<String> interfaces) {

  public PoolClass {
    poolErrors = List.copyOf(poolErrors);
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
  }

  public static PoolClass of(String name, List<String> addressPool, List<String> interfaces) {
    PoolParseResult parsed = AddressPool.parseLenient(addressPool);
    return new PoolClass(name, parsed.pool(), parsed.errors(), interfaces);
  }

  public static PoolClass of(MetalLoadBalancerClass c) {
    MetalLoadBalancerClassSpec spec =
        c.getSpec() != null ? c.getSpec() : new MetalLoadBalancerClassSpec();
    List<String> ifaces = spec.getL2() != null ? spec.getL2().getInterfaces() : List.of();
    return of(c.getMetadata().getName(), spec.getAddressPool(), ifaces);
  }

  public boolean contains(InetAddress ip) {
    // getHostAddress() is a literal (never a name), so this parse cannot resolve anything
    return IpAddress.tryParse(ip.getHostAddress()).map(pool::contains).orElse(false);
  }
}
