package io.l2lb.speaker.lab;

import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.PcapPacketPort;
import java.net.Inet4Address;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Test-only ARP prober for the client namespace: broadcasts a request for one IP every few
 * milliseconds (arping's interval is whole seconds) and prints every reply with its arrival time,
 * so a test can tell which MAC answered when, to the millisecond:
 *
 * <pre>
 * ip netns exec CLIENT java -cp TEST_CLASSPATH io.l2lb.speaker.lab.ArpProbeMain IFACE SRC_IP TARGET_IP INTERVAL_MS
 * </pre>
 *
 * Prints {@code PROBING <mac>} once sending, then {@code REPLY <epoch micros> <ip> <mac>} lines
 * until SIGTERM. Requests always go to the broadcast address (like {@code arping -b}), so a
 * take-over by another node is seen at once.
 */
public final class ArpProbeMain {

  private ArpProbeMain() {}

  public static void main(String[] args) throws Exception {
    String iface = args[0];
    Inet4Address src = Ip.parse4(args[1]);
    Inet4Address target = Ip.parse4(args[2]);
    long intervalMillis = Long.parseLong(args[3]);

    PcapPacketPort port = PcapPacketPort.open(iface);
    MacAddress mac = port.mac();
    port.start(
        frame ->
            ArpPacket.decode(frame)
                .filter(
                    a -> a.isReply() && a.senderIp().equals(target) && a.targetMac().equals(mac))
                .ifPresent(
                    a ->
                        say(
                            "REPLY "
                                + micros(Instant.now())
                                + " "
                                + Ip.text(a.senderIp())
                                + " "
                                + a.senderMac())));
    byte[] request =
        new ArpPacket(
                MacAddress.BROADCAST, mac, ArpPacket.REQUEST, mac, src, MacAddress.ZERO, target)
            .encode();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(() -> port.send(request), 0, intervalMillis, TimeUnit.MILLISECONDS);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  timer.shutdownNow();
                  port.close();
                  stopped.countDown();
                }));
    say("PROBING " + mac);
    stopped.await();
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
