package io.l2lb.speaker.wire;

import java.net.Inet6Address;
import java.util.function.Consumer;

/**
 * One network interface seen as raw Ethernet frames: the seam between the announcer's decisions and
 * the wire, so the decisions can be tested without root.
 */
public interface PacketPort extends AutoCloseable {

  /** The interface's own MAC, the one we answer with. */
  MacAddress mac();

  String interfaceName();

  /** Sends one complete Ethernet frame (no FCS). Thread-safe. */
  void send(byte[] frame);

  /**
   * Starts delivering received ARP and NS/NA frames to {@code onFrame}, on a thread of the port's
   * own. Called at most once.
   */
  void start(Consumer<byte[]> onFrame);

  /**
   * Makes sure neighbour solicitations for {@code address} reach this port: they go to its
   * solicited-node multicast group, which a NIC's multicast filter (and an MLD-snooping switch)
   * drops unless someone on the host joined it. No-op where not needed.
   */
  default void joinSolicitedNode(Inet6Address address) {}

  /** Undoes {@link #joinSolicitedNode}. */
  default void leaveSolicitedNode(Inet6Address address) {}

  /** Stops the receive thread and frees the interface; returns promptly. Idempotent. */
  @Override
  void close();
}
