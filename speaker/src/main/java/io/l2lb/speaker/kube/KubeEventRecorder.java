package io.l2lb.speaker.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.l2lb.core.Names;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.speaker.reconcile.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventSink} writing core/v1 Events (what {@code kubectl describe} and {@code kubectl get
 * events} show) from one background thread.
 *
 * <p>A failed write is retried with backoff for a few minutes: the most telling Event, "Fenced", is
 * raised exactly when the API server is unreachable, and would otherwise never be seen. At most
 * {@link #MAX_PENDING} Events wait; beyond that new ones are dropped.
 */
public final class KubeEventRecorder implements EventSink, AutoCloseable {

  public static final String COMPONENT = Names.Components.SPEAKER;
  static final int MAX_PENDING = 128;
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(KubeEventRecorder.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Clock clock;
  private final AtomicInteger pending = new AtomicInteger();
  private final ScheduledThreadPoolExecutor executor =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "event-recorder");
            t.setDaemon(true);
            return t;
          });

  public KubeEventRecorder(KubernetesClient client, String nodeName, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
  }

  @Override
  public void normal(AnnouncementObject about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  @Override
  public void warning(AnnouncementObject about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(AnnouncementObject about, String type, String reason, String message) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      log.debug(
          "Event {} {} for {} dropped: {} waiting already", type, reason, about.key(), MAX_PENDING);
      return;
    }
    String now =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    // the name kubectl and client-go use: <object>.<unique suffix>
    String name =
        about.name() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(about.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(Names.INTERNAL_API_GROUP + "/" + Names.API_VERSION)
            .withKind("L2Announcement")
            .withNamespace(about.namespace())
            .withName(about.name())
            .withUid(about.uid())
            .withResourceVersion(about.resourceVersion())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .withHost(nodeName)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(nodeName)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    executor.execute(() -> attempt(event, Duration.ofSeconds(1), System.nanoTime()));
  }

  private void attempt(Event event, Duration backoff, long firstTry) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
      pending.decrementAndGet();
    } catch (KubernetesClientException e) {
      boolean permanent = e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429;
      if (permanent
          || Duration.ofNanos(System.nanoTime() - firstTry).compareTo(GIVE_UP_AFTER) > 0) {
        pending.decrementAndGet();
        log.warn(
            "Event {} {} for {} not recorded: {}",
            event.getType(),
            event.getReason(),
            event.getInvolvedObject().getName(),
            Errors.describe(e));
        return;
      }
      Duration next =
          backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
              ? Duration.ofSeconds(30)
              : backoff.multipliedBy(2);
      executor.schedule(
          () -> attempt(event, next, firstTry), backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
