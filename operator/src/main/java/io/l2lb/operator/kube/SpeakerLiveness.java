package io.l2lb.operator.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-node liveness from the speakers' Leases {@code l2lb-speaker-<node>}, judged on this process's
 * own monotonic clock, as client-go's leader election does: a node is alive until {@code (when we
 * saw renewTime or holderIdentity change) + leaseDurationSeconds}. The speakers' clocks are never
 * compared with ours, so skew cannot fail a node over. A Lease seen for the first time counts as
 * renewed at that moment (a restarted operator fails nobody over); a deleted Lease means dead now
 * (the speaker deletes it on SIGTERM).
 *
 * <p>{@link #observe} and {@link #deleted} return true only when a node flips between alive and
 * dead: a renewal of a live node costs a map update and nothing else, whatever the number of
 * Services. A timer fires at each expiry instant and calls {@code onFlip}.
 */
public final class SpeakerLiveness implements AutoCloseable {

  public static final String PREFIX = "l2lb-speaker-";

  private static final Logger log = LoggerFactory.getLogger(SpeakerLiveness.class);

  private static final class State {
    String renewTime;
    String holder;
    volatile long deadline;
    volatile boolean alive;
    boolean timerArmed;
  }

  private final Map<String, State> nodes = new ConcurrentHashMap<>();
  private final Duration defaultDuration;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private volatile Runnable onFlip = () -> {};

  public SpeakerLiveness(Duration defaultDuration) {
    this(defaultDuration, System::nanoTime);
  }

  SpeakerLiveness(Duration defaultDuration, LongSupplier nanoTime) {
    this.defaultDuration = defaultDuration;
    this.nanoTime = nanoTime;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "speaker-lease-expiry");
              t.setDaemon(true);
              return t;
            });
  }

  /** Called (from the timer thread) when a node's Lease expires. */
  public void onFlip(Runnable callback) {
    this.onFlip = callback;
  }

  /** The node a speaker Lease belongs to, or null for other Leases. */
  public static String nodeOf(Lease lease) {
    String name = lease.getMetadata().getName();
    return name != null && name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : null;
  }

  public boolean alive(String node) {
    State s = nodes.get(node);
    return s != null && nanoTime.getAsLong() - s.deadline < 0;
  }

  /**
   * An added or updated Lease. Returns whether the node came alive (a renewal of a live node, or a
   * change of anything but renewTime/holderIdentity, returns false).
   */
  public boolean observe(Lease lease) {
    String node = nodeOf(lease);
    if (node == null) {
      return false;
    }
    LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
    String renew = spec.getRenewTime() == null ? null : spec.getRenewTime().toString();
    String holder = spec.getHolderIdentity();
    long durationNanos =
        spec.getLeaseDurationSeconds() == null
            ? defaultDuration.toNanos()
            : TimeUnit.SECONDS.toNanos(spec.getLeaseDurationSeconds());
    State s = nodes.computeIfAbsent(node, n -> new State());
    boolean flipped;
    synchronized (s) {
      boolean fresh = s.renewTime == null && s.holder == null && !s.alive;
      boolean changed =
          fresh || !Objects.equals(s.renewTime, renew) || !Objects.equals(s.holder, holder);
      if (!changed) {
        return false;
      }
      s.renewTime = renew;
      s.holder = holder;
      long now = nanoTime.getAsLong();
      boolean wasAlive = s.alive && now - s.deadline < 0;
      s.deadline = now + durationNanos;
      s.alive = true;
      flipped = !wasAlive;
      if (!s.timerArmed) {
        s.timerArmed = true;
        schedule(node, s, durationNanos);
      }
    }
    if (flipped) {
      log.info("speaker lease fresh node={} lease={}", node, lease.getMetadata().getName());
    }
    return flipped;
  }

  /**
   * Brings liveness in line with the informer cache at the start of a pass: every Lease in it is
   * observed (a no-op for one already seen with that renewTime and holder), and a node whose Lease
   * is no longer in it is dead. Informers update their cache before they hand the event to the
   * filters that call {@link #observe}, so without this a pass that starts between the two (a fresh
   * start: the first pass runs while the initial list's events are still being delivered) would see
   * live nodes as dead and fail them over.
   */
  public void sync(java.util.Collection<Lease> cached) {
    java.util.Set<String> present = new java.util.HashSet<>();
    for (Lease l : cached) {
      String node = nodeOf(l);
      if (node != null) {
        present.add(node);
        observe(l);
      }
    }
    for (String node : java.util.List.copyOf(nodes.keySet())) {
      if (!present.contains(node)) {
        Lease gone = new Lease();
        gone.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        gone.getMetadata().setName(PREFIX + node);
        deleted(gone);
      }
    }
  }

  /** A deleted Lease: dead now. Returns whether the node was alive. */
  public boolean deleted(Lease lease) {
    String node = nodeOf(lease);
    if (node == null) {
      return false;
    }
    State s = nodes.remove(node);
    if (s == null) {
      return false;
    }
    boolean was;
    synchronized (s) {
      was = s.alive && nanoTime.getAsLong() - s.deadline < 0;
      s.alive = false;
    }
    if (was) {
      log.info("speaker lease deleted node={}: failing its IPs over now", node);
    }
    return was;
  }

  private void schedule(String node, State s, long delayNanos) {
    timer.schedule(() -> check(node, s), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** At an expiry instant: re-arm if the Lease was renewed since, else flip to dead. */
  private void check(String node, State s) {
    boolean expired;
    synchronized (s) {
      if (nodes.get(node) != s) {
        s.timerArmed = false;
        return;
      }
      long left = s.deadline - nanoTime.getAsLong();
      if (left > 0) {
        schedule(node, s, left);
        return;
      }
      s.timerArmed = false;
      expired = s.alive;
      s.alive = false;
    }
    if (expired) {
      log.info("speaker lease expired node={}: failing its IPs over", node);
      onFlip.run();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
