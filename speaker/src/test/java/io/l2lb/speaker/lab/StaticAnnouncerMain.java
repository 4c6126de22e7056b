package io.l2lb.speaker.lab;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.AnnouncerListener;
import io.l2lb.speaker.announce.ExecutorTaskScheduler;
import io.l2lb.speaker.announce.InMemoryAnnouncerMetrics;
import io.l2lb.speaker.reconcile.HotPathWarmup;
import io.l2lb.speaker.reconcile.PoolClasses;
import io.l2lb.speaker.reconcile.PoolGuard;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.PcapPacketPort;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Test-only speaker without a control plane: announces fixed IPs on one interface until SIGTERM,
 * through the speaker's own reply path (the warm-up, {@link Announcer} and the reconciler's {@link
 * PoolGuard}). Run inside a node's network namespace by the E2E tests and the ARP latency
 * benchmark:
 *
 * <pre>ip netns exec NS java -cp TEST_CLASSPATH io.l2lb.speaker.lab.StaticAnnouncerMain
 *     [--pool ENTRY]... IFACE IP...</pre>
 *
 * {@code --pool}: the entries (CIDR or range, as in a class's {@code addressPool}) of the one class
 * every IP is announced for; an IP outside them is refused ({@code REJECTED}). Without it the pool
 * is the announced IPs themselves, so the guard still runs. Prints {@code READY <mac>} once the
 * port is open and the IPs are announced, and one line per announcer event, so the test can follow
 * along on stdout.
 */
public final class StaticAnnouncerMain {

  static final String CLASS_NAME = "static";

  private StaticAnnouncerMain() {}

  public static void main(String[] args) throws Exception {
    List<String> pool = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--pool")) {
        pool.add(args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    if (rest.size() < 2) {
      System.err.println("usage: StaticAnnouncerMain [--pool ENTRY]... IFACE IP...");
      System.exit(2);
    }
    List<String> ips = rest.subList(1, rest.size());
    if (pool.isEmpty()) {
      for (String ip : ips) {
        pool.add(ip + (ip.contains(":") ? "/128" : "/32"));
      }
    }
    PoolClasses classes = new PoolClasses();
    classes.put(new ClassInfo(CLASS_NAME, false, "L2", pool, Map.of(), List.of()));
    PoolGuard guard = new PoolGuard(classes, CLASS_NAME);

    HotPathWarmup.run(HotPathWarmup.DEFAULT_ROUNDS); // as SpeakerMain does
    InMemoryAnnouncerMetrics metrics = new InMemoryAnnouncerMetrics();
    ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler("announcer-timer");
    PcapPacketPort port = PcapPacketPort.open(rest.get(0));
    Announcer announcer =
        Announcer.builder()
            .scheduler(scheduler)
            .metrics(metrics)
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

    for (String ip : ips) {
      announcer.announce(Ip.parse(ip), port, guard);
    }
    System.out.println("READY " + port.mac());
    System.out.flush();
    stopped.await();
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
