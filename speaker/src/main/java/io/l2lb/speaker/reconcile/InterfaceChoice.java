package io.l2lb.speaker.reconcile;

import io.l2lb.speaker.wire.InterfaceLocator;
import java.util.List;
import java.util.Optional;

/**
 * Where to announce an IP, in this order:
 *
 * <ol>
 *   <li>the object's {@code spec.interfaces} (the operator copies the class's list there);
 *   <li>the class's {@code l2.interfaces};
 *   <li>the speaker's configured default interface ({@code --interface});
 *   <li>the interface holding the node's InternalIP.
 * </ol>
 *
 * From a list the first interface that exists on this node wins (nodes may name their uplinks
 * differently). A non-empty list with no existing interface is an error, not a reason to fall
 * through: the class said where, and announcing elsewhere would answer on a segment the IP does not
 * belong to.
 */
public final class InterfaceChoice {

  /** Either an interface name or the reason there is none. */
  public record Result(String name, String error) {
    static Result of(String name) {
      return new Result(name, null);
    }

    static Result error(String error) {
      return new Result(null, error);
    }

    public boolean ok() {
      return name != null;
    }
  }

  private InterfaceChoice() {}

  public static Result choose(
      List<String> specInterfaces,
      List<String> classInterfaces,
      Optional<String> configuredDefault,
      List<String> nodeInternalIps,
      InterfaceLocator locator) {
    if (!specInterfaces.isEmpty()) {
      return firstExisting(specInterfaces, "spec.interfaces", locator);
    }
    if (!classInterfaces.isEmpty()) {
      return firstExisting(classInterfaces, "the class's l2.interfaces", locator);
    }
    if (configuredDefault.isPresent()) {
      String name = configuredDefault.get();
      return locator.exists(name)
          ? Result.of(name)
          : Result.error(
              "the configured interface "
                  + name
                  + " does not exist; interfaces here: "
                  + String.join(", ", locator.names()));
    }
    if (nodeInternalIps.isEmpty()) {
      return Result.error("no interface configured and the Node's InternalIP is not known (yet)");
    }
    for (String ip : nodeInternalIps) {
      Optional<String> holder = locator.holding(ip);
      if (holder.isPresent()) {
        return Result.of(holder.get());
      }
    }
    return Result.error(
        "no local interface holds the node's InternalIP "
            + String.join(", ", nodeInternalIps)
            + " (is the speaker in the host network namespace?); interfaces here: "
            + String.join(", ", locator.names()));
  }

  private static Result firstExisting(List<String> names, String source, InterfaceLocator locator) {
    for (String n : names) {
      if (locator.exists(n)) {
        return Result.of(n);
      }
    }
    return Result.error(
        "none of the interfaces in "
            + source
            + " "
            + names
            + " exists on this node; interfaces here: "
            + String.join(", ", locator.names()));
  }
}
