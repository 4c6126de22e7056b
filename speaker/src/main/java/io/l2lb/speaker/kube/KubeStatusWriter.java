package io.l2lb.speaker.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.AnnouncementObject.Status;
import io.l2lb.speaker.reconcile.StatusSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StatusSink} that merge-patches the status subresource from one background thread. Patches
 * for the same object coalesce (only the newest verdict is sent), and a verdict already sent is not
 * sent again until the object changes or the send failed: the informer cache lags behind our own
 * writes, and re-sending on every pass would loop.
 */
public final class KubeStatusWriter implements StatusSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubeStatusWriter.class);

  private record Sent(Status fields, String basedOn) {}

  private record Job(AnnouncementObject target, Status fields) {}

  private final KubernetesClient client;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "status-writer");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final Map<String, Job> pending = new ConcurrentHashMap<>();
  private volatile String lastError;

  public KubeStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void publish(AnnouncementObject current, Status desired) {
    String key = current.key();
    if (desired.equals(current.status())) {
      sent.remove(key);
      return;
    }
    Sent s = sent.get(key);
    if (s != null
        && s.fields().equals(desired)
        && Objects.equals(s.basedOn(), current.resourceVersion())) {
      return; // in flight, or written and the cache has not caught up yet
    }
    sent.put(key, new Sent(desired, current.resourceVersion()));
    if (pending.put(key, new Job(current, desired)) == null) {
      executor.execute(() -> send(key));
    }
  }

  private void send(String key) {
    Job job = pending.remove(key);
    if (job == null) {
      return;
    }
    AnnouncementObject a = job.target();
    try {
      // through an item, not withName(): fabric8 GETs a named resource before patching it
      L2Announcement ref = new L2Announcement();
      ref.getMetadata().setNamespace(a.namespace());
      ref.getMetadata().setName(a.name());
      client
          .resources(L2Announcement.class)
          .inNamespace(a.namespace())
          .resource(ref)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(mergePatch(job.fields())));
      lastError = null;
    } catch (KubernetesClientException e) {
      sent.remove(key, new Sent(job.fields(), a.resourceVersion())); // let the next pass retry
      if (e.getCode() == 404) {
        return; // deleted meanwhile
      }
      String msg = Errors.describe(e);
      if (!msg.equals(lastError)) {
        log.warn("writing status of {} failed: {}", key, msg);
        lastError = msg;
      }
    }
  }

  /**
   * The body of a JSON merge patch on the status subresource: every field the speaker owns is
   * present, null ones as JSON null, so a field we no longer set (e.g. an old message) is removed.
   */
  static Map<String, Object> mergePatch(Status fields) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("mac", fields.mac());
    status.put("interface", fields.interfaceName());
    status.put("since", fields.since());
    status.put("announcing", fields.announcing());
    status.put("message", fields.message());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    return body;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
