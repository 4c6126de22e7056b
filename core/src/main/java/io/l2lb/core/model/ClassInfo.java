package io.l2lb.core.model;

import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import java.util.List;
import java.util.Map;

/** A MetalLoadBalancerClass as the engine sees it (converted once, at the edge). */
public record ClassInfo(
    String name,
    boolean isDefault,
    String type,
    List<String> addressPool,
    Map<String, String> nodeSelector,
    List<String> interfaces) {

  public ClassInfo {
    type = type == null ? "L2" : type;
    addressPool = List.copyOf(addressPool == null ? List.of() : addressPool);
    nodeSelector = Map.copyOf(nodeSelector == null ? Map.of() : nodeSelector);
    interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
  }

  /**
   * The one edge conversion from the custom resource (operator, CLI and speaker all read classes
   * through it); missing fields get the CRD defaults. The pool stays text here: the engine checks
   * and parses it ({@code ClassValidator}), the speaker parses it for its reply guard.
   */
  public static ClassInfo from(MetalLoadBalancerClass resource) {
    MetalLoadBalancerClassSpec spec =
        resource.getSpec() == null ? new MetalLoadBalancerClassSpec() : resource.getSpec();
    List<String> interfaces = spec.getL2() == null ? List.of() : spec.getL2().getInterfaces();
    return new ClassInfo(
        resource.getMetadata().getName(),
        Boolean.TRUE.equals(spec.getIsDefault()),
        spec.getType(),
        spec.getAddressPool(),
        spec.getNodeSelector(),
        interfaces);
  }

  public static ClassInfo of(String name, Map<String, String> nodeSelector, String... pool) {
    return new ClassInfo(name, false, "L2", List.of(pool), nodeSelector, List.of());
  }

  public ClassInfo asDefault() {
    return new ClassInfo(name, true, type, addressPool, nodeSelector, interfaces);
  }

  public ClassInfo withPool(List<String> pool) {
    return new ClassInfo(name, isDefault, type, pool, nodeSelector, interfaces);
  }

  /** Whether {@code labels} carry every label of the selector (an empty selector selects all). */
  public boolean selects(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
