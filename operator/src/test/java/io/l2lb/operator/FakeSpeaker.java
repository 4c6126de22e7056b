package io.l2lb.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays one node's speaker on the API server, as far as the operator can see it: it watches the
 * L2Announcements labelled for its node (as the real speaker does), reports {@code announcing:
 * true} for those whose spec names its node and {@code announcing: false} for those whose spec
 * names another node (the first step of a move) after {@link #releaseDelay}, or never while that is
 * null (a live speaker that does not answer, or an older one that does not report releases).
 */
final class FakeSpeaker implements AutoCloseable {

  private final KubernetesClient client;
  private final String node;
  private final SharedIndexInformer<L2Announcement> informer;
  private final ScheduledExecutorService executor;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  /** When this speaker wrote announcing=false, by object name (System.nanoTime()). */
  final Map<String, Long> releasedAt = new ConcurrentHashMap<>();

  volatile Duration releaseDelay;

  FakeSpeaker(KubernetesClient client, String namespace, String node, Duration releaseDelay) {
    this.client = client;
    this.node = node;
    this.releaseDelay = releaseDelay;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fake-speaker-" + node);
              t.setDaemon(true);
              return t;
            });
    this.informer =
        client
            .resources(L2Announcement.class)
            .inNamespace(namespace)
            .withLabel(Names.Labels.ANNOUNCEMENT_NODE, node)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(L2Announcement a) {
                    react(a);
                  }

                  @Override
                  public void onUpdate(L2Announcement old, L2Announcement a) {
                    react(a);
                  }

                  @Override
                  public void onDelete(L2Announcement a, boolean unknown) {}
                });
  }

  /** Report the releases that are waiting now (and every later one) after {@code delay}. */
  void answerReleases(Duration delay) {
    releaseDelay = delay;
    informer.getStore().list().forEach(this::react);
  }

  private void react(L2Announcement a) {
    String name = a.getMetadata().getName();
    boolean here = node.equals(a.getSpec().getNodeName());
    Boolean announcing = a.getStatus() == null ? null : a.getStatus().getAnnouncing();
    if (here && !Boolean.TRUE.equals(announcing)) {
      reported.remove(name);
      executor.execute(() -> status(a, true, null));
    } else if (!here && !Boolean.FALSE.equals(announcing)) {
      Duration delay = releaseDelay;
      if (delay != null && reported.add(name)) {
        executor.schedule(
            () -> {
              status(a, false, "released by " + node + "; moving to " + a.getSpec().getNodeName());
              releasedAt.put(name, System.nanoTime());
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  private void status(L2Announcement a, boolean announcing, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("mac", announcing ? "02:00:00:00:00:0" + (Math.abs(node.hashCode()) % 10) : null);
    status.put("interface", announcing ? "eth0" : null);
    status.put("announcing", announcing);
    status.put("message", message);
    try {
      client
          .resources(L2Announcement.class)
          .inNamespace(a.getMetadata().getNamespace())
          .withName(a.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(Map.of("status", status)));
    } catch (RuntimeException e) {
      // deleted meanwhile, or the test is over
    }
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdownNow();
  }
}
