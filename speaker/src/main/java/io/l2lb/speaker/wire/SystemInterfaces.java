package io.l2lb.speaker.wire;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link InterfaceLocator} over {@link NetworkInterface}: the interfaces of the network namespace
 * the speaker runs in (the host's, with hostNetwork). Asked afresh every time, since interfaces
 * come and go (bonds, VLANs created after start-up).
 */
public final class SystemInterfaces implements InterfaceLocator {

  @Override
  public boolean exists(String name) {
    try {
      return NetworkInterface.getByName(name) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  @Override
  public Optional<String> holding(String ipLiteral) {
    InetAddress wanted;
    try {
      wanted = Ip.parse(ipLiteral);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    try {
      NetworkInterface nif = NetworkInterface.getByInetAddress(wanted);
      return Optional.ofNullable(nif).map(NetworkInterface::getName);
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> names() {
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .map(NetworkInterface::getName)
          .sorted()
          .toList();
    } catch (SocketException e) {
      return List.of();
    }
  }
}
