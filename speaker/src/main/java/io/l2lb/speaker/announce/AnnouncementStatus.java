package io.l2lb.speaker.announce;

import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.time.Instant;

/**
 * A snapshot of one announced IP, shaped for the L2Announcement status.
 *
 * @param since when the current take-over started
 * @param rivalMac the MAC that last claimed the IP, or null
 */
public record AnnouncementStatus(
    InetAddress ip,
    String interfaceName,
    MacAddress mac,
    Instant since,
    State state,
    MacAddress rivalMac) {

  public enum State {
    /** Answering. */
    ANNOUNCING,
    /** Answering while an ownership check for a rival's claim is outstanding. */
    CHECKING,
    /** Not answering: a rival claimed the IP and ownership was not confirmed. */
    FENCED
  }

  public boolean answering() {
    return state != State.FENCED;
  }
}
