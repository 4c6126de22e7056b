package io.l2lb.speaker.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PacketPort} on a live interface through libpcap (pcap4j). Needs root or CAP_NET_RAW.
 *
 * <p>One pcap handle serves both directions: pcap4j lets {@code sendPacket} run beside a blocked
 * {@code getNextRawPacketEx} (both take its read lock) and on Linux the send is a plain {@code
 * send()} on the packet socket, independent of the receive ring.
 */
public final class PcapPacketPort implements PacketPort {

  /**
   * ARP, and ICMPv6 NS (135) / NA (136) without extension headers: byte 40 of the IPv6 packet is
   * then the ICMPv6 type. Everything else stays in the kernel.
   */
  public static final String FILTER = "arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))";

  /** Longest frame we parse is an NS/NA with a few options; nothing needs more. */
  private static final int SNAPLEN = 256;

  /**
   * libpcap's "packet buffer timeout". It does NOT make pcap_next return when no frame arrives (not
   * since libpcap 1.9 on Linux), so close() wakes the receiver with pcap_breakloop instead.
   */
  private static final int READ_TIMEOUT_MILLIS = 50;

  private static final long CLOSE_WAIT_MILLIS = 2000;

  private static final Logger log = LoggerFactory.getLogger(PcapPacketPort.class);

  private final String interfaceName;
  private final MacAddress mac;
  private final NetworkInterface nif;
  private final PcapHandle handle;
  private final Object sendLock = new Object();
  private final Map<Inet6Address, MembershipKey> groups = new HashMap<>();
  private final Map<Inet6Address, Integer> groupUsers = new HashMap<>();
  private DatagramChannel groupChannel;
  private volatile boolean running;
  private Thread receiver;

  private PcapPacketPort(
      String interfaceName, MacAddress mac, NetworkInterface nif, PcapHandle handle) {
    this.interfaceName = interfaceName;
    this.mac = mac;
    this.nif = nif;
    this.handle = handle;
  }

  /**
   * Opens {@code interfaceName} in the caller's network namespace: not promiscuous (we only need
   * broadcast, multicast and frames to our MAC), immediate mode (a request must not wait for a
   * buffer to fill), incoming frames only (not our own replies).
   *
   * @throws IOException if the interface does not exist, has no MAC, or libpcap refuses (typically:
   *     not root and no CAP_NET_RAW)
   */
  public static PcapPacketPort open(String interfaceName) throws IOException {
    NetworkInterface nif = NetworkInterface.getByName(interfaceName);
    if (nif == null) {
      throw new IOException("network interface not found: " + interfaceName);
    }
    byte[] hw = nif.getHardwareAddress();
    if (hw == null || hw.length != 6) {
      throw new IOException("interface " + interfaceName + " has no Ethernet MAC address");
    }
    PcapHandle handle;
    try {
      handle =
          new PcapHandle.Builder(interfaceName)
              .snaplen(SNAPLEN)
              .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
              .timeoutMillis(READ_TIMEOUT_MILLIS)
              .immediateMode(true)
              .direction(PcapDirection.IN)
              .build();
    } catch (PcapNativeException e) {
      throw new IOException("cannot open " + interfaceName + " for capture: " + e.getMessage(), e);
    }
    try {
      handle.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
    } catch (PcapNativeException | NotOpenException e) {
      handle.close();
      throw new IOException(
          "cannot set capture filter on " + interfaceName + ": " + e.getMessage(), e);
    }
    return new PcapPacketPort(interfaceName, MacAddress.of(hw), nif, handle);
  }

  /**
   * Loads libpcap now (pcap4j binds it lazily through JNA, so a missing library would otherwise
   * surface at the first {@link #open}) and returns its version string.
   *
   * @throws IOException when libpcap cannot be loaded; the message is the root cause
   */
  public static String libpcapVersion() throws IOException {
    try {
      return Pcaps.libVersion();
    } catch (LinkageError e) {
      // UnsatisfiedLinkError from JNA, or the ExceptionInInitializerError / NoClassDefFoundError
      // around it
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IOException(root.toString(), e);
    }
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public String interfaceName() {
    return interfaceName;
  }

  @Override
  public void send(byte[] frame) {
    synchronized (sendLock) {
      try {
        handle.sendPacket(frame);
      } catch (PcapNativeException | NotOpenException e) {
        throw new UncheckedIOException(
            new IOException("send on " + interfaceName + " failed: " + e.getMessage(), e));
      }
    }
  }

  @Override
  public synchronized void start(Consumer<byte[]> onFrame) {
    Objects.requireNonNull(onFrame);
    if (receiver != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    receiver = new Thread(() -> receiveLoop(onFrame), "pcap-" + interfaceName);
    receiver.setDaemon(true);
    receiver.start();
  }

  private void receiveLoop(Consumer<byte[]> onFrame) {
    long errorBackoffMillis = 0;
    while (running) {
      byte[] frame;
      try {
        frame = handle.getNextRawPacketEx();
        errorBackoffMillis = 0;
      } catch (TimeoutException | EOFException e) {
        continue; // timeout, or pcap_breakloop from close(): look at running again
      } catch (PcapNativeException e) {
        // e.g. the interface went down or away: don't spin, it may come back
        errorBackoffMillis = Math.min(1000, Math.max(50, errorBackoffMillis * 2));
        log.warn(
            "capture on {} failed ({}); retrying in {} ms",
            interfaceName,
            e.getMessage(),
            errorBackoffMillis);
        sleepQuietly(errorBackoffMillis);
        continue;
      } catch (NotOpenException e) {
        return;
      }
      try {
        onFrame.accept(frame);
      } catch (RuntimeException e) {
        // one bad frame or a failed reply must not end answering for every IP
        log.warn("handling a frame on {} failed", interfaceName, e);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Joins the solicited-node group through an ordinary IPv6 datagram socket: the kernel then
   * programs the NIC's multicast filter and sends MLD reports for MLD-snooping switches. Groups are
   * shared by addresses with equal low 24 bits, hence the counting.
   */
  @Override
  public synchronized void joinSolicitedNode(Inet6Address address) {
    Inet6Address group = Ip.solicitedNode(address);
    int users = groupUsers.merge(group, 1, Integer::sum);
    if (users > 1) {
      return;
    }
    try {
      if (groupChannel == null) {
        groupChannel = DatagramChannel.open(StandardProtocolFamily.INET6);
      }
      groups.put(group, groupChannel.join(group, nif));
    } catch (IOException | UnsupportedOperationException e) {
      // Not fatal: on veth, bridges and most virtual NICs every multicast frame arrives anyway.
      log.warn("cannot join {} on {}: {}", Ip.text(group), interfaceName, e.toString());
    }
  }

  @Override
  public synchronized void leaveSolicitedNode(Inet6Address address) {
    Inet6Address group = Ip.solicitedNode(address);
    Integer users = groupUsers.computeIfPresent(group, (g, n) -> n > 1 ? n - 1 : null);
    if (users == null) {
      MembershipKey key = groups.remove(group);
      if (key != null) {
        key.drop();
      }
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = receiver;
    }
    boolean receiverStopped = true;
    if (t != null && t != Thread.currentThread()) {
      try {
        handle.breakLoop(); // wakes a pcap_next blocked in poll() (eventfd in libpcap 1.10)
      } catch (NotOpenException e) {
        // already closed
      }
      try {
        t.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      receiverStopped = !t.isAlive();
    }
    synchronized (this) {
      if (groupChannel != null) {
        try {
          groupChannel.close(); // drops every membership
        } catch (IOException e) {
          log.debug("closing the group socket on {}", interfaceName, e);
        }
        groupChannel = null;
        groups.clear();
        groupUsers.clear();
      }
    }
    if (!receiverStopped) {
      // pcap4j's close() would wait forever for the reader's lock; leave the handle to the OS
      log.warn("capture thread on {} did not stop; not closing its pcap handle", interfaceName);
      return;
    }
    synchronized (sendLock) {
      if (handle.isOpen()) {
        handle.close();
      }
    }
  }
}
