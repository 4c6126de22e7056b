package io.l2lb.speaker.reconcile;

import io.l2lb.speaker.wire.PacketPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link PacketPort} per interface, opened on first use and closed when no announced IP needs
 * it any more: an idle capture handle still costs a ring buffer and a thread. Used from the
 * reconcile thread only.
 */
public final class PortPool implements AutoCloseable {

  /** Opens a port on an interface, e.g. {@code PcapPacketPort::open}. */
  @FunctionalInterface
  public interface Opener {
    PacketPort open(String interfaceName) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(PortPool.class);

  private final Opener opener;
  private final Consumer<PacketPort> onOpen;
  private final Map<String, PacketPort> ports = new LinkedHashMap<>();

  /**
   * @param onOpen called once per new port, before it is used (wires it to the announcer)
   */
  public PortPool(Opener opener, Consumer<PacketPort> onOpen) {
    this.opener = opener;
    this.onOpen = onOpen;
  }

  public PacketPort acquire(String interfaceName) throws IOException {
    PacketPort port = ports.get(interfaceName);
    if (port == null) {
      port = opener.open(interfaceName);
      onOpen.accept(port);
      ports.put(interfaceName, port);
      log.info("opened {} ({})", interfaceName, port.mac());
    }
    return port;
  }

  /** Closes every port whose interface is not in {@code inUse}. */
  public void retainOnly(Set<String> inUse) {
    List<String> idle = new ArrayList<>();
    for (String name : ports.keySet()) {
      if (!inUse.contains(name)) {
        idle.add(name);
      }
    }
    for (String name : idle) {
      ports.remove(name).close();
      log.info("closed {}: no announced IP uses it", name);
    }
  }

  public Set<String> openInterfaces() {
    return Set.copyOf(ports.keySet());
  }

  @Override
  public void close() {
    retainOnly(Set.of());
  }
}
