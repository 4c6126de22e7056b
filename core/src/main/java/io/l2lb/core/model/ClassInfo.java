package io.l2lb.core.model;

import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A MetalLoadBalancerClass as the engine sees it (converted once, at the edge).
 *
 * @param created {@code metadata.creationTimestamp}, or null for a class that does not exist in a
 *     cluster yet (a file {@code kubectl l2lb validate} reads): it counts as newer than every class
 *     that has one. Where two classes conflict (several defaults, overlapping pools) the older one
 *     wins ({@link #OLDEST_FIRST}).
 */
public record ClassInfo(
    String name,
    boolean isDefault,
    String type,
    List<String> addressPool,
    Map<String, String> nodeSelector,
    List<String> interfaces,
    Instant created) {

  /**
   * Oldest first: creation time (a class without one last), then name, because creation timestamps
   * have whole seconds and two classes created in the same second must still be told apart.
   */
  public static final Comparator<ClassInfo> OLDEST_FIRST =
      Comparator.comparing(
              ClassInfo::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(ClassInfo::name);

  public ClassInfo {
    type = type == null ? "L2" : type;
    addressPool = List.copyOf(addressPool == null ? List.of() : addressPool);
    nodeSelector = Map.copyOf(nodeSelector == null ? Map.of() : nodeSelector);
    interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
  }

  /** A class without a creation time (not created yet, or a test's). */
  public ClassInfo(
      String name,
      boolean isDefault,
      String type,
      List<String> addressPool,
      Map<String, String> nodeSelector,
      List<String> interfaces) {
    this(name, isDefault, type, addressPool, nodeSelector, interfaces, null);
  }

  /**
   * The one edge conversion from the custom resource (operator, CLI and speaker all read classes
   * through it); missing fields get the CRD defaults. The pool stays text here: the engine checks
   * and parses it ({@code ClassValidator}), the speaker parses it for its reply guard. The creation
   * timestamp is parsed here, once; one that does not parse counts as missing.
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
        interfaces,
        parseTime(resource.getMetadata().getCreationTimestamp()));
  }

  private static Instant parseTime(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static ClassInfo of(String name, Map<String, String> nodeSelector, String... pool) {
    return new ClassInfo(name, false, "L2", List.of(pool), nodeSelector, List.of(), null);
  }

  public ClassInfo asDefault() {
    return new ClassInfo(name, true, type, addressPool, nodeSelector, interfaces, created);
  }

  public ClassInfo withPool(List<String> pool) {
    return new ClassInfo(name, isDefault, type, pool, nodeSelector, interfaces, created);
  }

  public ClassInfo createdAt(Instant value) {
    return new ClassInfo(name, isDefault, type, addressPool, nodeSelector, interfaces, value);
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
