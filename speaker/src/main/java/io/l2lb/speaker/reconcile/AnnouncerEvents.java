package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.speaker.announce.AnnouncerListener;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Function;

/**
 * Turns what the announcer decides on its own (on the wire, not asked by the reconciler) into
 * Events and a fresh reconcile pass, so the status follows: a rival's claim, the fencing verdict.
 * Announcing and Released are reported by the reconciler, which knows why.
 */
public final class AnnouncerEvents implements AnnouncerListener {

  private final String nodeName;
  private final Function<InetAddress, List<AnnouncementObject>> objectsOf;
  private final EventSink events;
  private final Runnable requestPass;

  public AnnouncerEvents(
      String nodeName,
      Function<InetAddress, List<AnnouncementObject>> objectsOf,
      EventSink events,
      Runnable requestPass) {
    this.nodeName = nodeName;
    this.objectsOf = objectsOf;
    this.events = events;
    this.requestPass = requestPass;
  }

  @Override
  public void conflict(InetAddress ip, MacAddress rivalMac) {
    requestPass.run();
  }

  @Override
  public void confirmed(InetAddress ip, MacAddress rivalMac) {
    requestPass.run();
  }

  @Override
  public void fenced(InetAddress ip, MacAddress rivalMac, String reason) {
    String message =
        "stopped answering for "
            + Ip.text(ip)
            + " on "
            + nodeName
            + ": "
            + rivalMac
            + " claimed it and "
            + reason;
    for (AnnouncementObject a : objectsOf.apply(ip)) {
      events.warning(a, EventSink.FENCED, message);
    }
    requestPass.run();
  }
}
