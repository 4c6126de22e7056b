package io.l2lb.speaker.announce;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Counters the announcer bumps; the Prometheus adapter implements this later. */
public interface AnnouncerMetrics {

  enum Family {
    /** ARP */
    IPV4,
    /** NDP */
    IPV6;

    public static Family of(InetAddress ip) {
      return ip instanceof Inet4Address ? IPV4 : IPV6;
    }
  }

  /** An ARP request or neighbour solicitation asking for an IP we hold (answering or not). */
  void requestReceived(Family family);

  /** An ARP reply or solicited neighbour advertisement sent. */
  void replySent(Family family);

  /** A gratuitous ARP (each form counts) or unsolicited neighbour advertisement sent. */
  void gratuitousSent(Family family);

  /** Another MAC claimed an IP we announce. */
  void conflictSeen(Family family);

  /** We stopped answering for an IP because its ownership was not confirmed. */
  void fenced(Family family);

  static AnnouncerMetrics noop() {
    return NoopMetrics.INSTANCE;
  }

  enum NoopMetrics implements AnnouncerMetrics {
    INSTANCE;

    @Override
    public void requestReceived(Family family) {}

    @Override
    public void replySent(Family family) {}

    @Override
    public void gratuitousSent(Family family) {}

    @Override
    public void conflictSeen(Family family) {}

    @Override
    public void fenced(Family family) {}
  }
}
