package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;

/**
 * What a computation changed compared with the snapshot's current state; the operator turns
 * these into Events, the CLI into simulation output.
 */
public record Change(Kind kind, IpAddress ip, ServiceKey service, String fromNode, String toNode, String message) {
  public enum Kind {
    /** A new IP for the Service. */
    ALLOCATED,
    /** The Service no longer holds the IP (count lowered, IPs changed, class gone, no longer ours). */
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
    INVALID_ANNOTATION
  }

  public boolean moved() {
    return kind == Kind.FAILED_OVER || kind == Kind.REBALANCED;
  }
}
