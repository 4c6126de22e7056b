package io.l2lb.speaker.announce;

import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;

/**
 * What the announcer did, for status writes, Events and logs. Called outside the announcer's lock
 * on whichever thread caused it; keep it quick.
 */
public interface AnnouncerListener {

  AnnouncerListener NONE = new AnnouncerListener() {};

  /**
   * Now answering for {@code ip} on {@code interfaceName} with {@code mac}; take-over burst
   * started.
   */
  default void announced(InetAddress ip, String interfaceName, MacAddress mac) {}

  /** Stopped answering because the caller released it (or the announcer closed). */
  default void released(InetAddress ip) {}

  /** Refused to announce: the guard says the address is outside the allowed pool. */
  default void rejected(InetAddress ip, String reason) {}

  /** Another MAC claims {@code ip}; the ownership check has started, we still answer meanwhile. */
  default void conflict(InetAddress ip, MacAddress rivalMac) {}

  /** The check confirmed the IP is ours: we keep answering and re-announce to win caches back. */
  default void confirmed(InetAddress ip, MacAddress rivalMac) {}

  /** The check did not confirm: we stopped answering for {@code ip}. */
  default void fenced(InetAddress ip, MacAddress rivalMac, String reason) {}
}
