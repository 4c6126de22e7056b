package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;

/**
 * What a computation changed compared with the snapshot's current state; the operator turns these
 * into Events, the CLI into simulation output. The text is built only when asked for: a first
 * placement of a big cluster makes hundreds of thousands of these.
 *
 * @param detail the class for ALLOCATED, why the old node is out for FAILED_OVER, the whole text
 *     for ALLOCATION_FAILED, INVALID_ANNOTATION and CLASS_NOT_FOUND; else null
 */
public record Change(
    Kind kind, IpAddress ip, ServiceKey service, String fromNode, String toNode, String detail) {
  public enum Kind {
    /** A new IP for the Service. */
    ALLOCATED,
    /**
     * The Service no longer holds the IP (count lowered, IPs changed, class gone, no longer ours).
     */
    RELEASED,
    /** An unannounced IP got a node. */
    ASSIGNED,
    /** The IP moved because its node stopped being a candidate. */
    FAILED_OVER,
    /** The IP moved to a recovered node to restore one IP per node for its Service. */
    REBALANCED,
    /** The IP lost its node and no candidate can take it; it stays allocated. */
    UNANNOUNCED,
    /** The Service wanted an IP and could not get it. */
    ALLOCATION_FAILED,
    /** An annotation is invalid; the Service keeps what it has. */
    INVALID_ANNOTATION,
    /**
     * The class the Service holds IPs of was deleted; it keeps them and their announcements as they
     * are until a class of that name exists again or the Service names another class.
     */
    CLASS_NOT_FOUND
  }

  public String message() {
    return switch (kind) {
      case ALLOCATED -> ip + " allocated from class " + detail;
      case RELEASED -> ip + " released";
      case ASSIGNED -> ip + " announced by " + toNode;
      case FAILED_OVER -> ip + " failed over from " + fromNode + " (" + detail + ") to " + toNode;
      case REBALANCED ->
          ip
              + " moved from "
              + fromNode
              + " to "
              + toNode
              + " to spread the Service's IPs over its nodes";
      case UNANNOUNCED ->
          ip + " has no candidate node (was on " + fromNode + "); it stays allocated";
      case ALLOCATION_FAILED, INVALID_ANNOTATION, CLASS_NOT_FOUND -> detail;
    };
  }

  public boolean moved() {
    return kind == Kind.FAILED_OVER || kind == Kind.REBALANCED;
  }

  /**
   * A complaint that every computation repeats while its cause stands (ALLOCATION_FAILED,
   * INVALID_ANNOTATION, CLASS_NOT_FOUND), as opposed to a change of state, which a computation on
   * the settled result does not repeat. An operator that turns changes into Events should not
   * repeat these on every reconcile.
   */
  public boolean standing() {
    return kind == Kind.ALLOCATION_FAILED
        || kind == Kind.INVALID_ANNOTATION
        || kind == Kind.CLASS_NOT_FOUND;
  }
}
