package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.AnnouncementObject.Status;
import io.l2lb.speaker.announce.AnnouncementStatus;
import io.l2lb.speaker.announce.AnnouncementStatus.State;
import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.OwnershipCheck;
import io.l2lb.speaker.wire.InterfaceLocator;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.PacketPort;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the announcer hold exactly the IPs the cluster places on this node, and reports the outcome
 * per object. Level-triggered: every pass starts from the whole view, so a missed watch event or a
 * failed status write is repaired by the next pass. Runs on one thread (the reconcile loop); only
 * {@link #placedObjects} is read from other threads.
 *
 * <p>What it never does: release an IP because the API is unreachable (the view is a cache that
 * survives outages), answer for an IP outside its class's pool, or re-take an IP the announcer
 * fenced without the API confirming it again.
 */
public final class Reconciler {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final String nodeName;
  private final ClusterView view;
  private final Announcer announcer;
  private final PortPool ports;
  private final InterfaceLocator interfaces;
  private final Optional<String> defaultInterface;
  private final StatusSink status;
  private final EventSink events;
  private final OwnershipCheck recheck;
  private final Duration fenceRecheckInterval;
  private final Clock clock;
  private final Runnable requestPass;

  private final Map<InetAddress, Instant> lastRecheck = new HashMap<>();
  private final Set<String> outsidePoolReported = new HashSet<>();

  /** IPs a re-check confirmed as ours again; filled from the check's thread. */
  private final Set<InetAddress> retake = ConcurrentHashMap.newKeySet();

  private volatile Map<InetAddress, List<AnnouncementObject>> placed = Map.of();

  private Reconciler(Builder b) {
    this.nodeName = b.nodeName;
    this.view = b.view;
    this.announcer = b.announcer;
    this.ports = b.ports;
    this.interfaces = b.interfaces;
    this.defaultInterface = b.defaultInterface;
    this.status = b.status;
    this.events = b.events;
    this.recheck = b.recheck;
    this.fenceRecheckInterval = b.fenceRecheckInterval;
    this.clock = b.clock;
    this.requestPass = b.requestPass;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The objects of each IP as of the last pass, e.g. to attach a "Fenced" Event to. */
  public List<AnnouncementObject> placedObjects(InetAddress ip) {
    return placed.getOrDefault(ip, List.of());
  }

  /** One pass: desired set from the view, then release, announce, report. */
  public void reconcile() {
    List<AnnouncementObject> all = new ArrayList<>(view.announcements());
    all.sort(Comparator.comparing(AnnouncementObject::key));
    Map<String, Status> verdicts = new LinkedHashMap<>();
    Map<InetAddress, List<AnnouncementObject>> wanted = desired(all, verdicts);

    for (AnnouncementStatus held : announcer.announcements()) {
      if (!wanted.containsKey(held.ip())) {
        release(held.ip(), "no longer placed on " + nodeName);
      }
    }

    Set<String> portsInUse = new HashSet<>();
    Set<String> outsideNow = new HashSet<>();
    for (Map.Entry<InetAddress, List<AnnouncementObject>> e : wanted.entrySet()) {
      Status verdict = place(e.getKey(), e.getValue(), portsInUse, outsideNow);
      for (AnnouncementObject a : e.getValue()) {
        verdicts.put(a.key(), verdict);
      }
    }
    outsidePoolReported.retainAll(outsideNow);
    lastRecheck.keySet().retainAll(wanted.keySet());
    ports.retainOnly(portsInUse);
    placed = Map.copyOf(wanted);
    reportReleases(all, verdicts);

    for (AnnouncementObject a : all) {
      Status v = verdicts.get(a.key());
      if (v != null) {
        status.publish(a, v);
      }
    }
  }

  /**
   * Objects still labelled for this node whose spec places them elsewhere (or nowhere): the
   * operator's first step of a move off a live node (it moves the label only once this node has let
   * go). Once this node answers for the IP no more, their status says so, {@code announcing:
   * false}, which is what the operator waits for before it places the IP on its new node. While
   * another object still places the same IP here (Services sharing it), nothing is reported yet.
   */
  private void reportReleases(List<AnnouncementObject> all, Map<String, Status> verdicts) {
    for (AnnouncementObject a : all) {
      if (nodeName.equals(a.nodeName()) || verdicts.containsKey(a.key())) {
        continue;
      }
      InetAddress ip;
      try {
        ip = Ip.parse(a.ip() == null ? "" : a.ip());
      } catch (IllegalArgumentException ex) {
        continue;
      }
      if (announcer.status(ip).isPresent()) {
        continue; // still answering for it, for another object
      }
      verdicts.put(
          a.key(),
          Status.notAnnouncing(
              "released by "
                  + nodeName
                  + (a.nodeName() == null ? "" : "; moving to " + a.nodeName())));
    }
  }

  /**
   * IP -> objects placing it on this node (sorted, so the first one is stable), plus verdicts for
   * bad specs.
   */
  private Map<InetAddress, List<AnnouncementObject>> desired(
      List<AnnouncementObject> all, Map<String, Status> verdicts) {
    Map<InetAddress, List<AnnouncementObject>> wanted = new LinkedHashMap<>();
    for (AnnouncementObject a : all) {
      if (!nodeName.equals(a.nodeName())) {
        continue; // the label may lag behind the spec; the spec decides, and it is not ours to
        // report on
      }
      InetAddress ip;
      try {
        ip = Ip.parse(a.ip() == null ? "" : a.ip());
      } catch (IllegalArgumentException ex) {
        verdicts.put(
            a.key(), Status.notAnnouncing("spec.ip '" + a.ip() + "' is not an IP address"));
        continue;
      }
      wanted.computeIfAbsent(ip, k -> new ArrayList<>()).add(a);
    }
    return wanted;
  }

  /** Announces one IP (or explains why not) and returns the status its objects should show. */
  private Status place(
      InetAddress ip,
      List<AnnouncementObject> objects,
      Set<String> portsInUse,
      Set<String> outsideNow) {
    AnnouncementObject first = objects.get(0);
    String text = Ip.text(ip);
    Optional<PoolClass> cls = view.poolClasses().find(first.className());
    if (cls.isEmpty()) {
      release(ip, "class " + first.className() + " not found");
      return Status.notAnnouncing("MetalLoadBalancerClass '" + first.className() + "' not found");
    }
    if (!cls.get().contains(ip)) {
      release(ip, "outside the pool of class " + first.className());
      String message =
          text
              + " is outside the address pool of MetalLoadBalancerClass '"
              + first.className()
              + "'; not announcing it"
              + unparsedEntries(cls.get());
      for (AnnouncementObject a : objects) {
        String once = a.key() + "|" + text + "|" + first.className();
        outsideNow.add(once);
        if (outsidePoolReported.add(once)) {
          log.warn("{}: {}", a.key(), message);
          events.warning(a, EventSink.OUTSIDE_POOL, message);
        }
      }
      return Status.notAnnouncing(message);
    }
    InterfaceChoice.Result where =
        InterfaceChoice.choose(
            first.interfaces(),
            cls.get().interfaces(),
            defaultInterface,
            view.nodeInternalIps(),
            interfaces);
    if (!where.ok()) {
      release(ip, where.error());
      return Status.notAnnouncing(where.error());
    }
    PacketPort port;
    try {
      port = ports.acquire(where.name());
    } catch (IOException | RuntimeException ex) {
      release(ip, "cannot open " + where.name());
      return Status.notAnnouncing("cannot open interface " + where.name() + ": " + ex.getMessage());
    }
    portsInUse.add(where.name());

    Optional<AnnouncementStatus> before = announcer.status(ip);
    boolean fencedHere =
        before.isPresent()
            && before.get().state() == State.FENCED
            && before.get().interfaceName().equals(where.name());
    if (fencedHere && !retake.remove(ip)) {
      scheduleRecheck(ip, before.get());
    } else {
      boolean fresh =
          before.isEmpty()
              || !before.get().answering()
              || !before.get().interfaceName().equals(where.name());
      PoolGuard guard = new PoolGuard(view.poolClasses(), first.className());
      if (announcer.announce(ip, port, guard) && fresh) {
        String message =
            "announcing "
                + text
                + " on "
                + nodeName
                + "/"
                + port.interfaceName()
                + " ("
                + port.mac()
                + ")";
        objects.forEach(a -> events.normal(a, EventSink.ANNOUNCING, message));
      }
    }
    return verdict(ip);
  }

  /** Entries that did not parse guard nothing; say so, or the refusal looks arbitrary. */
  private static String unparsedEntries(PoolClass cls) {
    return cls.poolErrors().isEmpty()
        ? ""
        : " (entries of that pool that do not parse and so admit nothing: "
            + String.join("; ", cls.poolErrors())
            + ")";
  }

  private Status verdict(InetAddress ip) {
    Optional<AnnouncementStatus> now = announcer.status(ip);
    if (now.isEmpty()) {
      return Status.notAnnouncing("not announced (refused by the speaker's guard)");
    }
    AnnouncementStatus s = now.get();
    String since = DateTimeFormatter.ISO_INSTANT.format(s.since().truncatedTo(ChronoUnit.SECONDS));
    return switch (s.state()) {
      case ANNOUNCING -> Status.announcing(s.mac().toString(), s.interfaceName(), since);
      case CHECKING ->
          new Status(
              s.mac().toString(),
              s.interfaceName(),
              since,
              true,
              s.rivalMac()
                  + " also claims this IP; checking with the API server that it is placed here");
      case FENCED ->
          new Status(
              s.mac().toString(),
              s.interfaceName(),
              since,
              false,
              "fenced: "
                  + s.rivalMac()
                  + " claimed this IP and the API server did not confirm it is placed on "
                  + nodeName
                  + "; re-checking every "
                  + fenceRecheckInterval.toSeconds()
                  + "s");
    };
  }

  /**
   * A fenced IP that the cache still places here: the cache may be stale (that is how a partitioned
   * node gets fenced), so only a live confirmation lets it answer again.
   */
  private void scheduleRecheck(InetAddress ip, AnnouncementStatus fenced) {
    Instant now = clock.instant();
    Instant last = lastRecheck.putIfAbsent(ip, now);
    if (last == null || Duration.between(last, now).compareTo(fenceRecheckInterval) < 0) {
      return; // first seen fenced now (the announcer has just asked), or asked recently
    }
    lastRecheck.put(ip, now);
    recheck
        .confirm(ip, fenced.rivalMac())
        .whenComplete(
            (ok, ex) -> {
              if (ex == null && Boolean.TRUE.equals(ok)) {
                log.info("{} confirmed placed on {} again; taking it back", Ip.text(ip), nodeName);
                retake.add(ip);
                requestPass.run();
              }
            });
  }

  private void release(InetAddress ip, String why) {
    if (announcer.release(ip)) {
      String message = "released " + Ip.text(ip) + " on " + nodeName + ": " + why;
      placed
          .getOrDefault(ip, List.of())
          .forEach(a -> events.normal(a, EventSink.RELEASED, message));
    }
    retake.remove(ip);
  }

  public static final class Builder {
    private String nodeName;
    private ClusterView view;
    private Announcer announcer;
    private PortPool ports;
    private InterfaceLocator interfaces;
    private Optional<String> defaultInterface = Optional.empty();
    private StatusSink status;
    private EventSink events;
    private OwnershipCheck recheck = OwnershipCheck.neverConfirmed();
    private Duration fenceRecheckInterval = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private Runnable requestPass = () -> {};

    public Builder nodeName(String v) {
      nodeName = v;
      return this;
    }

    public Builder view(ClusterView v) {
      view = v;
      return this;
    }

    public Builder announcer(Announcer v) {
      announcer = v;
      return this;
    }

    public Builder ports(PortPool v) {
      ports = v;
      return this;
    }

    public Builder interfaces(InterfaceLocator v) {
      interfaces = v;
      return this;
    }

    public Builder defaultInterface(Optional<String> v) {
      defaultInterface = v;
      return this;
    }

    public Builder status(StatusSink v) {
      status = v;
      return this;
    }

    public Builder events(EventSink v) {
      events = v;
      return this;
    }

    /** The live check that may lift a fence; the same one the announcer uses. */
    public Builder recheck(OwnershipCheck v, Duration interval) {
      recheck = v;
      fenceRecheckInterval = interval;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** How the reconciler asks for another pass (after an asynchronous re-check). */
    public Builder requestPass(Runnable v) {
      requestPass = v;
      return this;
    }

    public Reconciler build() {
      for (Object o : new Object[] {nodeName, view, announcer, ports, interfaces, status, events}) {
        if (o == null) {
          throw new IllegalStateException(
              "Reconciler needs nodeName, view, announcer, ports, interfaces, status and events");
        }
      }
      return new Reconciler(this);
    }
  }
}
