package io.l2lb.speaker.wire;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A {@link PacketPort} in memory: records what is sent, lets the test deliver frames. */
public final class FakePacketPort implements PacketPort {

  private final String name;
  private final MacAddress mac;
  private final List<byte[]> sent = new ArrayList<>();
  private final Set<Inet6Address> groups = new HashSet<>();
  private Consumer<byte[]> onFrame;
  private boolean closed;

  public FakePacketPort(String name, MacAddress mac) {
    this.name = name;
    this.mac = mac;
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public String interfaceName() {
    return name;
  }

  @Override
  public synchronized void send(byte[] frame) {
    if (closed) {
      throw new IllegalStateException("port closed");
    }
    sent.add(frame.clone());
  }

  /** Unlike a real port it may be started again, so one test can build several announcers. */
  @Override
  public synchronized void start(Consumer<byte[]> onFrame) {
    this.onFrame = onFrame;
  }

  /** Delivers a frame as if it had arrived on the wire (on the caller's thread). */
  public void receive(byte[] frame) {
    Consumer<byte[]> c;
    synchronized (this) {
      c = onFrame;
    }
    if (c == null) {
      throw new IllegalStateException("port not started");
    }
    c.accept(frame);
  }

  @Override
  public synchronized void joinSolicitedNode(Inet6Address address) {
    groups.add(Ip.solicitedNode(address));
  }

  @Override
  public synchronized void leaveSolicitedNode(Inet6Address address) {
    groups.remove(Ip.solicitedNode(address));
  }

  public synchronized Set<Inet6Address> joinedGroups() {
    return Set.copyOf(groups);
  }

  public synchronized List<byte[]> sent() {
    return List.copyOf(sent);
  }

  /** Returns and forgets what was sent so far. */
  public synchronized List<byte[]> drain() {
    List<byte[]> copy = List.copyOf(sent);
    sent.clear();
    return copy;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized boolean isClosed() {
    return closed;
  }
}
