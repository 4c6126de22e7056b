package io.l2lb.speaker.lab;

import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.AnnouncerListener;
import io.l2lb.speaker.announce.ExecutorTaskScheduler;
import io.l2lb.speaker.announce.HotPathWarmup;
import io.l2lb.speaker.announce.InMemoryAnnouncerMetrics;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.PcapPacketPort;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * Test-only speaker without a control plane: announces fixed IPs on one interface until SIGTERM.
 * Run inside a node's network namespace by the E2E tests:
 *
 * <pre>ip netns exec NS java -cp TEST_CLASSPATH io.l2lb.speaker.lab.StaticAnnouncerMain
 *     [--allow CIDR]... IFACE IP...</pre>
 *
 * Prints {@code READY <mac>} once the port is open and the IPs are announced, and one line per
 * announcer event, so the test can follow along on stdout.
 */
public final class StaticAnnouncerMain {

  private StaticAnnouncerMain() {}

  public static void main(String[] args) throws Exception {
    List<Predicate<InetAddress>> allowed = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--allow")) {
        allowed.add(cidr(args[++i]));
      } else {
        rest.add(args[i]);
      }
    }
    if (rest.size() < 2) {
      System.err.println("usage: StaticAnnouncerMain [--allow CIDR]... IFACE IP...");
      System.exit(2);
    }
    Predicate<InetAddress> guard =
        allowed.isEmpty() ? ip -> true : ip -> allowed.stream().anyMatch(p -> p.test(ip));

    HotPathWarmup.run(HotPathWarmup.DEFAULT_ROUNDS); // as SpeakerMain does
    InMemoryAnnouncerMetrics metrics = new InMemoryAnnouncerMetrics();
    ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler("announcer-timer");
    PcapPacketPort port = PcapPacketPort.open(rest.get(0));
    Announcer announcer =
        Announcer.builder()
            .scheduler(scheduler)
            .metrics(metrics)
            .guard(guard)
            .listener(new PrintingListener())
            .build();
    announcer.attach(port);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  announcer.close(); // no reply leaves after this returns
                  port.close();
                  scheduler.close();
                  System.out.println("STOPPED " + metrics);
                  System.out.flush();
                  stopped.countDown();
                }));

    for (String ip : rest.subList(1, rest.size())) {
      announcer.announce(Ip.parse(ip), port);
    }
    System.out.println("READY " + port.mac());
    System.out.flush();
    stopped.await();
  }

  /** IPv4 or IPv6 CIDR membership, on the address as an unsigned number. */
  static Predicate<InetAddress> cidr(String text) {
    String[] parts = text.split("/");
    byte[] net = Ip.parse(parts[0]).getAddress();
    int prefix = Integer.parseInt(parts[1]);
    int bits = net.length * 8;
    BigInteger base = new BigInteger(1, net).shiftRight(bits - prefix);
    return ip -> {
      byte[] a = ip.getAddress();
      return a.length == net.length && new BigInteger(1, a).shiftRight(bits - prefix).equals(base);
    };
  }

  private static final class PrintingListener implements AnnouncerListener {
    private static void say(String line) {
      System.out.println(line);
      System.out.flush();
    }

    @Override
    public void announced(InetAddress ip, String interfaceName, MacAddress mac) {
      say("ANNOUNCED " + ip.getHostAddress() + " " + interfaceName + " " + mac);
    }

    @Override
    public void rejected(InetAddress ip, String reason) {
      say("REJECTED " + ip.getHostAddress() + " " + reason);
    }

    @Override
    public void conflict(InetAddress ip, MacAddress rivalMac) {
      say("CONFLICT " + ip.getHostAddress() + " " + rivalMac);
    }

    @Override
    public void fenced(InetAddress ip, MacAddress rivalMac, String reason) {
      say("FENCED " + ip.getHostAddress() + " " + rivalMac + " " + reason);
    }
  }
}
