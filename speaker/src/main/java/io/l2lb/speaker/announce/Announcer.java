package io.l2lb.speaker.announce;

import io.l2lb.speaker.announce.AnnouncementStatus.State;
import io.l2lb.speaker.announce.AnnouncerMetrics.Family;
import io.l2lb.speaker.announce.TaskScheduler.Cancellable;
import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.NdpPacket;
import io.l2lb.speaker.wire.NeighborAdvertisement;
import io.l2lb.speaker.wire.NeighborSolicitation;
import io.l2lb.speaker.wire.PacketPort;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which ARP requests and neighbour solicitations to answer, and sends the gratuitous
 * announcements on take-over. It holds the set of IPs this node announces, each bound to one {@link
 * PacketPort}, and answers for exactly those, on that port only.
 *
 * <p>Thread model: one lock guards the state, and frames are sent while holding it, so once {@link
 * #release} returns no further reply or announcement for that IP leaves this process. Received
 * frames are decoded before the lock is taken (decoding reads no state). Listener and {@link
 * OwnershipCheck} calls happen after the lock is dropped.
 */
public final class Announcer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Announcer.class);

  private final TaskScheduler scheduler;
  private final AutoCloseable ownedScheduler;
  private final AnnouncerConfig config;
  private final OwnershipCheck ownershipCheck;
  private final AnnouncerListener listener;
  private final AnnouncerMetrics metrics;
  private final Predicate<InetAddress> guard;

  private final Map<InetAddress, Entry> entries = new LinkedHashMap<>(); // guarded by this
  private long checks; // guarded by this; numbers ownership checks so late answers are ignored
  private boolean closed; // guarded by this

  /** Mutable state of one announced IP; only touched under the announcer's lock. */
  private static final class Entry {
    final InetAddress ip;
    final PacketPort port;
    Predicate<InetAddress> guard;
    Instant since;
    State state = State.ANNOUNCING;
    MacAddress rival;
    long checkId;
    Cancellable timer;
    Cancellable checkTimeout;

    Entry(InetAddress ip, PacketPort port, Predicate<InetAddress> guard) {
      this.ip = ip;
      this.port = port;
      this.guard = guard;
    }

    boolean answering() {
      return state != State.FENCED;
    }

    void cancelTimers() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      if (checkTimeout != null) {
        checkTimeout.cancel();
        checkTimeout = null;
      }
    }
  }

  private Announcer(Builder b) {
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownedScheduler = null;
    } else {
      ExecutorTaskScheduler s = new ExecutorTaskScheduler("announcer-timer");
      this.scheduler = s;
      this.ownedScheduler = s;
    }
    this.config = b.config;
    this.ownershipCheck = b.ownershipCheck;
    this.listener = b.listener;
    this.metrics = b.metrics;
    this.guard = b.guard;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Wires a port's received frames to {@link #onFrame} and starts it. */
  public void attach(PacketPort port) {
    port.start(frame -> onFrame(port, frame));
  }

  /** {@link #announce(InetAddress, PacketPort, Predicate)} with only the global guard. */
  public boolean announce(InetAddress ip, PacketPort port) {
    return announce(ip, port, any -> true);
  }

  /**
   * Starts answering for {@code ip} on {@code port} and sends the take-over burst: at once, then
   * every {@link AnnouncerConfig#garpInterval()} for {@link AnnouncerConfig#garpDuration()}, then
   * the optional slow refresh. Idempotent while the IP is announced on the same port; on another
   * port it moves there (new take-over). On a fenced IP it takes over again, so call it for a
   * fenced IP only when the control plane has just said the IP is ours.
   *
   * @param poolGuard must accept {@code ip} (e.g. "lies in the class pool"), as must the global
   *     guard; otherwise nothing is announced, an existing announcement of the IP is released, and
   *     the listener hears {@code rejected}
   * @return whether the IP is now announced
   */
  public boolean announce(InetAddress ip, PacketPort port, Predicate<InetAddress> poolGuard) {
    Objects.requireNonNull(ip);
    Objects.requireNonNull(port);
    Objects.requireNonNull(poolGuard);
    List<Runnable> after = new ArrayList<>();
    boolean result;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("announcer closed");
      }
      Entry old = entries.get(ip);
      if (!allowed(ip, poolGuard)) {
        if (old != null) {
          remove(old);
          after.add(() -> listener.released(ip));
        }
        after.add(() -> listener.rejected(ip, "outside the allowed address pool"));
        log.warn("refusing to announce {}: outside the allowed address pool", Ip.text(ip));
        result = false;
      } else if (old != null && old.port == port && old.answering()) {
        old.guard = poolGuard; // the pool may have changed; the schedule keeps running
        result = true;
      } else {
        if (old != null) {
          remove(old);
        }
        Entry e = new Entry(ip, port, poolGuard);
        e.since = scheduler.now();
        entries.put(ip, e);
        if (ip instanceof Inet6Address v6) {
          port.joinSolicitedNode(v6);
        }
        startBursts(e);
        log.info("announcing {} on {} ({})", Ip.text(ip), port.interfaceName(), port.mac());
        after.add(() -> listener.announced(ip, port.interfaceName(), port.mac()));
        result = true;
      }
    }
    after.forEach(Runnable::run);
    return result;
  }

  /** Stops answering for {@code ip} at once. Returns whether it was held (fenced counts). */
  public boolean release(InetAddress ip) {
    Entry e;
    synchronized (this) {
      e = entries.get(ip);
      if (e == null) {
        return false;
      }
      remove(e);
    }
    log.info("released {}", Ip.text(ip));
    listener.released(ip);
    return true;
  }

  /** The IPs answered for right now (announcing, or checking a rival's claim). */
  public synchronized Set<InetAddress> owned() {
    return entries.values().stream()
        .filter(Entry::answering)
        .map(e -> e.ip)
        .collect(Collectors.toUnmodifiableSet());
  }

  public synchronized Optional<AnnouncementStatus> status(InetAddress ip) {
    return Optional.ofNullable(entries.get(ip)).map(Announcer::snapshot);
  }

  /** Every held IP, including fenced ones, in announce order. */
  public synchronized List<AnnouncementStatus> announcements() {
    return entries.values().stream().map(Announcer::snapshot).toList();
  }

  private static AnnouncementStatus snapshot(Entry e) {
    return new AnnouncementStatus(
        e.ip, e.port.interfaceName(), e.port.mac(), e.since, e.state, e.rival);
  }

  /**
   * Handles one received frame from {@code port}: answers a request for an IP announced on that
   * port, and starts the fencing check when another MAC claims one. Anything else, including our
   * own frames and malformed ones, is ignored.
   */
  public void onFrame(PacketPort port, byte[] frame) {
    // Decoding needs no state: do it before taking the lock, so a capture thread decoding a frame
    // (most are for IPs we do not hold) never holds up another thread's reply or a release.
    ArpPacket arp = ArpPacket.decode(frame).orElse(null);
    NdpPacket ndp = arp == null ? NdpPacket.decode(frame).orElse(null) : null;
    if (arp == null && ndp == null) {
      return;
    }
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      if (arp != null) {
        onArp(port, arp, after);
      } else {
        onNdp(port, ndp, after);
      }
    }
    after.forEach(Runnable::run);
  }

  private void onArp(PacketPort port, ArpPacket arp, List<Runnable> after) {
    MacAddress ours = port.mac();
    if (arp.senderMac().equals(ours) || arp.ethSrc().equals(ours)) {
      return;
    }
    if (arp.isGratuitous() || arp.isReply()) {
      // someone says "senderIp is at senderMac": a rival if senderIp is ours
      Entry claimed = entries.get(arp.senderIp());
      if (claimed != null && claimed.port == port && claimed.answering()) {
        conflict(claimed, arp.senderMac(), after);
      }
      return;
    }
    Entry e = entries.get(arp.targetIp());
    if (e == null || e.port != port) {
      return;
    }
    metrics.requestReceived(Family.IPV4);
    if (e.answering() && allowed(e)) {
      if (send(port, arp.replyFrom(ours).encode())) {
        metrics.replySent(Family.IPV4);
      }
    }
  }

  private void onNdp(PacketPort port, NdpPacket ndp, List<Runnable> after) {
    MacAddress ours = port.mac();
    if (ndp.ethSrc().equals(ours)) {
      return;
    }
    Entry e = entries.get(ndp.target());
    if (e == null || e.port != port) {
      return;
    }
    if (ndp instanceof NeighborSolicitation ns) {
      metrics.requestReceived(Family.IPV6);
      if (e.answering() && allowed(e)) {
        if (send(port, ns.answerFrom(ours).encode())) {
          metrics.replySent(Family.IPV6);
        }
      }
    } else if (ndp instanceof NeighborAdvertisement na && e.answering()) {
      MacAddress claimant = na.targetLinkAddress() != null ? na.targetLinkAddress() : na.ethSrc();
      if (!claimant.equals(ours)) {
        conflict(e, claimant, after);
      }
    }
  }

  /** A rival claims e.ip: ask the ownership check once, keep answering until it says no. */
  private void conflict(Entry e, MacAddress rival, List<Runnable> after) {
    Family family = Family.of(e.ip);
    metrics.conflictSeen(family);
    e.rival = rival;
    if (e.state == State.CHECKING) {
      return; // the rival repeats its announcements; one check is enough
    }
    e.state = State.CHECKING;
    long id = ++checks;
    e.checkId = id;
    e.checkTimeout =
        scheduler.schedule(
            config.ownershipCheckTimeout(),
            () -> resolve(e, id, false, "ownership check timed out"));
    log.warn(
        "{} claimed by {} on {}; checking ownership", Ip.text(e.ip), rival, e.port.interfaceName());
    after.add(() -> listener.conflict(e.ip, rival));
    after.add(
        () -> {
          CompletionStage<Boolean> answer;
          try {
            answer = ownershipCheck.confirm(e.ip, rival);
          } catch (RuntimeException ex) {
            resolve(e, id, false, "ownership check failed: " + ex);
            return;
          }
          answer.whenComplete(
              (ok, ex) -> {
                if (ex != null) {
                  resolve(e, id, false, "ownership check failed: " + ex);
                } else {
                  resolve(e, id, Boolean.TRUE.equals(ok), "ownership not confirmed");
                }
              });
        });
  }

  private void resolve(Entry e, long id, boolean confirmed, String reason) {
    MacAddress rival;
    synchronized (this) {
      if (closed || entries.get(e.ip) != e || e.state != State.CHECKING || e.checkId != id) {
        return; // released, moved, or already decided meanwhile
      }
      if (e.checkTimeout != null) {
        e.checkTimeout.cancel();
        e.checkTimeout = null;
      }
      rival = e.rival;
      if (confirmed) {
        // the rival's announcements have poisoned neighbour caches: win them back
        e.state = State.ANNOUNCING;
        startBursts(e);
        log.info("{} confirmed ours; re-announcing", Ip.text(e.ip));
      } else {
        e.state = State.FENCED;
        e.cancelTimers();
        if (e.ip instanceof Inet6Address v6) {
          e.port.leaveSolicitedNode(v6);
        }
        metrics.fenced(Family.of(e.ip));
        log.warn("fenced {}: {} (rival {})", Ip.text(e.ip), reason, rival);
      }
    }
    if (confirmed) {
      listener.confirmed(e.ip, rival);
    } else {
      listener.fenced(e.ip, rival, reason);
    }
  }

  private void startBursts(Entry e) {
    if (e.timer != null) {
      e.timer.cancel();
    }
    burst(e, config.followUpBursts());
  }

  /**
   * Sends one burst now and schedules the next: {@code left} more take-over bursts, then refreshes.
   */
  private void burst(Entry e, int left) {
    if (allowed(e)) {
      sendGratuitous(e);
    }
    if (left > 0) {
      e.timer = scheduler.schedule(config.garpInterval(), () -> timerFired(e, left - 1));
    } else if (!config.refreshInterval().isZero()) {
      e.timer = scheduler.schedule(config.refreshInterval(), () -> timerFired(e, 0));
    } else {
      e.timer = null;
    }
  }

  private synchronized void timerFired(Entry e, int left) {
    if (!closed && entries.get(e.ip) == e && e.answering()) {
      burst(e, left);
    }
  }

  private void sendGratuitous(Entry e) {
    PacketPort port = e.port;
    if (e.ip instanceof Inet4Address v4) {
      if (send(port, ArpPacket.gratuitousRequest(port.mac(), v4).encode())) {
        metrics.gratuitousSent(Family.IPV4);
      }
      if (send(port, ArpPacket.gratuitousReply(port.mac(), v4).encode())) {
        metrics.gratuitousSent(Family.IPV4);
      }
    } else if (e.ip instanceof Inet6Address v6) {
      if (send(port, NeighborAdvertisement.unsolicited(port.mac(), v6).encode())) {
        metrics.gratuitousSent(Family.IPV6);
      }
    }
  }

  private boolean send(PacketPort port, byte[] frame) {
    try {
      port.send(frame);
      return true;
    } catch (RuntimeException ex) {
      log.warn("sending on {} failed: {}", port.interfaceName(), ex.toString());
      return false;
    }
  }

  private boolean allowed(Entry e) {
    return allowed(e.ip, e.guard);
  }

  /** Checked on every send too, so a guard that learns of a shrunk pool takes effect at once. */
  private boolean allowed(InetAddress ip, Predicate<InetAddress> poolGuard) {
    return guard.test(ip) && poolGuard.test(ip);
  }

  private void remove(Entry e) {
    entries.remove(e.ip);
    e.cancelTimers();
    if (e.ip instanceof Inet6Address v6 && e.answering()) {
      e.port.leaveSolicitedNode(v6);
    }
  }

  /** Releases every IP and stops the timers; the ports stay open (the caller owns them). */
  @Override
  public void close() {
    List<InetAddress> released;
    synchronized (this) {
      if (closed) {
        return;
      }
      released = new ArrayList<>(entries.keySet());
      for (Entry e : List.copyOf(entries.values())) {
        remove(e);
      }
      closed = true;
    }
    released.forEach(listener::released);
    if (ownedScheduler != null) {
      try {
        ownedScheduler.close();
      } catch (Exception ex) {
        log.debug("closing the timer", ex);
      }
    }
  }

  public static final class Builder {
    private TaskScheduler scheduler;
    private AnnouncerConfig config = AnnouncerConfig.defaults();
    private OwnershipCheck ownershipCheck = OwnershipCheck.neverConfirmed();
    private AnnouncerListener listener = AnnouncerListener.NONE;
    private AnnouncerMetrics metrics = AnnouncerMetrics.noop();
    private Predicate<InetAddress> guard = any -> true;

    private Builder() {}

    /** Default: a daemon-thread scheduler on the system clock, closed with the announcer. */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler);
      return this;
    }

    public Builder config(AnnouncerConfig config) {
      this.config = Objects.requireNonNull(config);
      return this;
    }

    /** Default: {@link OwnershipCheck#neverConfirmed()}, i.e. any rival's claim fences us. */
    public Builder ownershipCheck(OwnershipCheck check) {
      this.ownershipCheck = Objects.requireNonNull(check);
      return this;
    }

    public Builder listener(AnnouncerListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    public Builder metrics(AnnouncerMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    /** Applies to every IP, on top of the per-IP guard passed to {@code announce}. */
    public Builder guard(Predicate<InetAddress> guard) {
      this.guard = Objects.requireNonNull(guard);
      return this;
    }

    public Announcer build() {
      return new Announcer(this);
    }
  }
}
