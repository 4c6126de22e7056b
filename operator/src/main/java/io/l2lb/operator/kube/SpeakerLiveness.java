package io.l2lb.operator.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 *
 * <p>An expiry is confirmed before it counts: the timer reads the Lease straight from the API
 * server ({@link LeaseReader}). A renewal the watch has not delivered yet (a watch reconnecting
 * after an outage lags by seconds) keeps the node alive. When the API server does not answer, no
 * node is failed over for a missed renewal (the speakers cannot renew either, and still announce):
 * the check is retried, and once the API server answers again every speaker gets a whole lease
 * duration from that moment to renew. A restart of the API server moves no IP.
 */
public final class SpeakerLiveness implements AutoCloseable {

  public static final String PREFIX = "l2lb-speaker-";

  private static final Logger log = LoggerFactory.getLogger(SpeakerLiveness.class);

  /** How soon an expiry check is retried while the API server does not answer. */
  static final Duration UNREACHABLE_RETRY = Duration.ofMillis(250);

  /** Reads a speaker Lease from the API server itself, not from a cache. */
  @FunctionalInterface
  public interface LeaseReader {
    /**
     * The Lease named {@code name}, or null when there is none.
     *
     * @throws RuntimeException when the API server does not answer
     */
    Lease read(String name);
  }

  private static final class State {
    String renewTime;
    String holder;
    long durationNanos;
    volatile long deadline;
    volatile boolean alive;
    boolean timerArmed;

    /** The timer chain that may act on this state (an older one's callbacks do nothing). */
    long timerChain;
  }

  private final Map<String, State> nodes = new ConcurrentHashMap<>();
  private final Duration defaultDuration;
  private final LeaseReader reader;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private volatile Runnable onFlip = () -> {};

  /** Whether the last read of a Lease from the API server failed. */
  private volatile boolean unreachable;

  /** When the API server answered again after it had not (our clock); no outage yet: far past. */
  private volatile long answersAgainSince;

  public SpeakerLiveness(Duration defaultDuration, LeaseReader reader) {
    this(defaultDuration, reader, System::nanoTime);
  }

  SpeakerLiveness(Duration defaultDuration, LeaseReader reader, LongSupplier nanoTime) {
    this.defaultDuration = defaultDuration;
    this.reader = reader;
    this.nanoTime = nanoTime;
    this.answersAgainSince = nanoTime.getAsLong() - TimeUnit.DAYS.toNanos(365);
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

  /** Alive until an expiry is confirmed (see the class comment) or the Lease is deleted. */
  public boolean alive(String node) {
    State s = nodes.get(node);
    return s != null && s.alive;
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
      s.durationNanos = durationNanos;
      long now = nanoTime.getAsLong();
      boolean wasAlive = s.alive;
      s.deadline = now + durationNanos;
      s.alive = true;
      flipped = !wasAlive;
      if (!s.timerArmed) {
        s.timerArmed = true;
        s.timerChain++;
        schedule(node, s, s.timerChain, durationNanos);
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
  public void sync(Collection<Lease> cached) {
    Set<String> present = new HashSet<>();
    for (Lease l : cached) {
      String node = nodeOf(l);
      if (node != null) {
        present.add(node);
        observe(l);
      }
    }
    for (String node : List.copyOf(nodes.keySet())) {
      if (!present.contains(node)) {
        deleted(node);
      }
    }
  }

  /** A deleted Lease: dead now. Returns whether the node was alive. */
  public boolean deleted(Lease lease) {
    String node = nodeOf(lease);
    return node != null && deleted(node);
  }

  private boolean deleted(String node) {
    State s = nodes.remove(node);
    if (s == null) {
      return false;
    }
    boolean was;
    synchronized (s) {
      was = s.alive;
      s.alive = false;
    }
    if (was) {
      log.info("speaker lease deleted node={}: failing its IPs over now", node);
    }
    return was;
  }

  private void schedule(String node, State s, long chain, long delayNanos) {
    timer.schedule(() -> check(node, s, chain), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * At an expiry instant: re-arm if the Lease was renewed since; else read it from the API server
   * and flip the node to dead only if it answers and shows no renewal either.
   */
  private void check(String node, State s, long chain) {
    synchronized (s) {
      if (chain != s.timerChain) {
        return;
      }
      if (nodes.get(node) != s || !s.alive) {
        s.timerArmed = false;
        return;
      }
      long left = s.deadline - nanoTime.getAsLong();
      if (left > 0) {
        schedule(node, s, chain, left);
        return;
      }
    }
    Lease current;
    try {
      current = reader.read(PREFIX + node);
    } catch (RuntimeException e) {
      if (!unreachable) {
        unreachable = true;
        log.warn(
            "speaker lease of node={} expired, and the API server does not answer ({}): no node is"
                + " failed over for a missed renewal until it does",
            node,
            e.toString());
      }
      schedule(node, s, chain, UNREACHABLE_RETRY.toNanos());
      return;
    }
    if (unreachable) {
      unreachable = false;
      answersAgainSince = nanoTime.getAsLong();
      log.info("the API server answers again: every speaker has a lease duration to renew");
    }
    confirm(node, s, chain, current);
  }

  /** An expiry check's verdict, with {@code current} as the API server holds it now. */
  private void confirm(String node, State s, long chain, Lease current) {
    boolean expired;
    synchronized (s) {
      if (chain != s.timerChain) {
        return;
      }
      if (nodes.get(node) != s || !s.alive) {
        s.timerArmed = false;
        return;
      }
      long now = nanoTime.getAsLong();
      LeaseSpec spec = current == null || current.getSpec() == null ? null : current.getSpec();
      if (spec != null) {
        String renew = spec.getRenewTime() == null ? null : spec.getRenewTime().toString();
        if (!Objects.equals(s.renewTime, renew)
            || !Objects.equals(s.holder, spec.getHolderIdentity())) {
          // renewed, and the watch has not told us yet
          s.renewTime = renew;
          s.holder = spec.getHolderIdentity();
          s.deadline = Math.max(s.deadline, now + s.durationNanos);
        }
      }
      long graceEnd = answersAgainSince + s.durationNanos;
      if (spec != null && graceEnd - s.deadline > 0) {
        s.deadline = graceEnd; // the API server was out of reach until lately
      }
      long left = s.deadline - now;
      if (spec != null && left > 0) {
        schedule(node, s, chain, left);
        return;
      }
      s.timerArmed = false;
      expired = s.alive;
      s.alive = false;
    }
    if (expired) {
      log.info(
          current == null
              ? "speaker lease gone node={}: failing its IPs over"
              : "speaker lease expired node={}: failing its IPs over",
          node);
      onFlip.run();
    }
  }

  /**
   * Runs the expiry check of every node whose deadline has passed, now and on this thread (the
   * timer does the same at each deadline); for tests on a hand-driven clock.
   */
  void checkDue() {
    for (Map.Entry<String, State> e : nodes.entrySet()) {
      State s = e.getValue();
      long chain;
      synchronized (s) {
        chain = s.timerChain;
      }
      if (s.alive && s.deadline - nanoTime.getAsLong() <= 0) {
        check(e.getKey(), s, chain);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
