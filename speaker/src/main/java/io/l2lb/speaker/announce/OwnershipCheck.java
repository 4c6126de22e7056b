package io.l2lb.speaker.announce;

import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asked when another MAC claims an IP we announce (split-brain fencing). The Kubernetes adapter
 * answers from the API server: is the IP's announcement still placed on this node?
 *
 * <p>Called outside the announcer's lock, possibly on a capture thread: must not block. Completing
 * with {@code false}, exceptionally, or not before {@link AnnouncerConfig#ownershipCheckTimeout()}
 * all mean "not confirmed", and the announcer stops answering for the IP.
 */
@FunctionalInterface
public interface OwnershipCheck {

  CompletionStage<Boolean> confirm(InetAddress ip, MacAddress rivalMac);

  static OwnershipCheck alwaysConfirmed() {
    return (ip, mac) -> CompletableFuture.completedFuture(true);
  }

  /** Without a control plane nothing can be confirmed: any rival wins. */
  static OwnershipCheck neverConfirmed() {
    return (ip, mac) -> CompletableFuture.completedFuture(false);
  }
}
