package io.l2lb.speaker.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.speaker.announce.OwnershipCheck;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split-brain fencing against the API server itself, never the informer cache: a node cut off from
 * the API still has a cache saying the IP is its own, and that is exactly the case to fence.
 * Confirmed only if a live list finds an L2Announcement for the IP whose spec.nodeName is this
 * node; an unreachable or slow API server means "not confirmed".
 */
public final class KubeOwnershipCheck implements OwnershipCheck {

  private static final Logger log = LoggerFactory.getLogger(KubeOwnershipCheck.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Duration timeout;
  private final Executor executor;

  /**
   * @param executor runs the blocking list call; the announcer's capture thread must not block
   */
  public KubeOwnershipCheck(
      KubernetesClient client, String nodeName, Duration timeout, Executor executor) {
    this.client = client;
    this.nodeName = nodeName;
    this.timeout = timeout;
    this.executor = executor;
  }

  @Override
  public CompletionStage<Boolean> confirm(InetAddress ip, MacAddress rivalMac) {
    return CompletableFuture.supplyAsync(() -> placedHere(ip), executor)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            ex -> {
              log.warn(
                  "cannot confirm {} with the API server ({}): not confirmed",
                  Ip.text(ip),
                  Errors.describe(ex));
              return false;
            })
        .thenApply(
            ok -> {
              log.info(
                  "ownership of {} (rival {}): {}",
                  Ip.text(ip),
                  rivalMac,
                  ok ? "confirmed" : "not confirmed");
              return ok;
            });
  }

  /** Blocking: one list call (quorum read), filtered by the node label like the informer. */
  public boolean placedHere(InetAddress ip) {
    return client
        .resources(L2Announcement.class)
        .inAnyNamespace()
        .withLabel(Names.Labels.ANNOUNCEMENT_NODE, nodeName)
        .list()
        .getItems()
        .stream()
        .map(AnnouncementObject::from)
        .anyMatch(a -> nodeName.equals(a.nodeName()) && sameIp(a.ip(), ip));
  }

  private static boolean sameIp(String literal, InetAddress ip) {
    try {
      return literal != null && Ip.parse(literal).equals(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
