package io.l2lb.core.placement;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.validation.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which MetalLoadBalancerClass a LoadBalancer Service belongs to: the rule the engine binds by, and
 * the one {@code kubectl l2lb validate} uses to count a class's demand, so the two never disagree.
 *
 * <ol>
 *   <li>{@code spec.loadBalancerClass}, when set, decides alone: a class of ours binds; a name we
 *       have no class for makes the Service someone else's, unless the Service holds IPs of a class
 *       of exactly that name that was deleted ({@link Binding#ORPHANED}).
 *   <li>Else the annotation {@code network.deckhouse.io/metal-load-balancer-class}, else its legacy
 *       alias. Naming a missing class is an error on the Service; it stays on the class it holds
 *       IPs from if that still exists, keeps its IPs untouched if that class was deleted, and is
 *       bound to nothing if it holds nothing.
 *   <li>Else the default class: the <b>oldest</b> class with {@code isDefault: true} ({@link
 *       #defaultClass}). A Service that names no class and holds IPs of a deleted class was bound
 *       to it as the default: it keeps them, whatever is default now.
 * </ol>
 *
 * An orphaned Service (its class was deleted while it held IPs) keeps its IPs and announcements as
 * they are, and they stay taken, until a class of that name exists again or the Service names
 * another class.
 */
public final class ClassResolution {
  private ClassResolution() {}

  public enum Binding {
    /** Bound to {@link Resolved#className}, which exists. */
    BOUND,
    /**
     * Holds IPs of {@link Resolved#className}, which was deleted, and still asks for it: keeps them
     * as they are.
     */
    ORPHANED,
    /** Ours (an annotation names a class), but that class does not exist and it holds nothing. */
    UNBOUND,
    /** Not l2lb's: another controller's class, or no class named and no default. */
    NOT_OURS
  }

  /**
   * @param className the bound class (BOUND), the deleted class it holds IPs of (ORPHANED), else
   *     null
   * @param problems what is wrong with the Service's class request (an annotation naming a missing
   *     class), empty when nothing is
   */
  public record Resolved(Binding binding, String className, List<Problem> problems) {
    public Resolved {
      problems = List.copyOf(problems);
    }

    public boolean ours() {
      return binding != Binding.NOT_OURS;
    }
  }

  private static final Resolved NOT_OURS = new Resolved(Binding.NOT_OURS, null, List.of());

  private static final List<String> CLASS_ANNOTATIONS =
      List.of(Annotations.CLASS, Annotations.LEGACY_CLASS);

  /** The class for Services that name none: the oldest default ({@link ClassInfo#OLDEST_FIRST}). */
  public static String defaultClass(Collection<ClassInfo> classes) {
    ClassInfo oldest = null;
    for (ClassInfo c : classes) {
      if (c.isDefault() && (oldest == null || ClassInfo.OLDEST_FIRST.compare(c, oldest) < 0)) {
        oldest = c;
      }
    }
    return oldest == null ? null : oldest.name();
  }

  /**
   * @param exists whether a class of that name exists
   * @param defaultClass {@link #defaultClass} of the existing classes, or null
   * @param heldClass the class the Service's L2Announcements name, or null when it has none
   */
  public static Resolved resolve(
      ServiceInfo service, Predicate<String> exists, String defaultClass, String heldClass) {
    boolean heldGone = heldClass != null && !exists.test(heldClass);
    String spec = service.loadBalancerClass();
    if (spec != null && !spec.isEmpty()) {
      if (exists.test(spec)) {
        return bound(spec, List.of());
      }
      return heldGone && spec.equals(heldClass) ? orphaned(heldClass, List.of()) : NOT_OURS;
    }
    for (String annotation : CLASS_ANNOTATIONS) {
      String named = service.annotations().get(annotation);
      if (named == null || named.isBlank()) {
        continue;
      }
      named = named.trim();
      if (exists.test(named)) {
        return bound(named, List.of());
      }
      if (heldGone && named.equals(heldClass)) {
        return orphaned(heldClass, List.of());
      }
      List<Problem> problems = new ArrayList<>(1);
      problems.add(
          Problem.error(
              annotation,
              "names MetalLoadBalancerClass \""
                  + named
                  + "\", which does not exist; `kubectl get mlbc` lists the classes"));
      if (heldClass == null) {
        return new Resolved(Binding.UNBOUND, null, problems);
      }
      return heldGone ? orphaned(heldClass, problems) : bound(heldClass, problems);
    }
    if (heldGone) {
      return orphaned(heldClass, List.of());
    }
    return defaultClass == null ? NOT_OURS : bound(defaultClass, List.of());
  }

  private static Resolved bound(String name, List<Problem> problems) {
    return new Resolved(Binding.BOUND, name, problems);
  }

  private static Resolved orphaned(String name, List<Problem> problems) {
    return new Resolved(Binding.ORPHANED, name, problems);
  }
}
