package io.l2lb.speaker.announce;

import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Keeps what the announcer reported, as short strings like {@code "fenced 192.0.2.100"}. */
final class RecordingListener implements AnnouncerListener {

  final List<String> events = new ArrayList<>();

  private synchronized void add(String kind, InetAddress ip) {
    events.add(kind + " " + ip.getHostAddress());
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public void announced(InetAddress ip, String interfaceName, MacAddress mac) {
    add("announced", ip);
  }

  @Override
  public void released(InetAddress ip) {
    add("released", ip);
  }

  @Override
  public void rejected(InetAddress ip, String reason) {
    add("rejected", ip);
  }

  @Override
  public void conflict(InetAddress ip, MacAddress rivalMac) {
    add("conflict", ip);
  }

  @Override
  public void confirmed(InetAddress ip, MacAddress rivalMac) {
    add("confirmed", ip);
  }

  @Override
  public void fenced(InetAddress ip, MacAddress rivalMac, String reason) {
    add("fenced", ip);
  }
}
