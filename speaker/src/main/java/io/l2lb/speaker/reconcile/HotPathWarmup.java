package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.ClassInfo;
import io.l2lb.speaker.announce.Announcer;
import io.l2lb.speaker.announce.TaskScheduler;
import io.l2lb.speaker.wire.ArpPacket;
import io.l2lb.speaker.wire.Ip;
import io.l2lb.speaker.wire.MacAddress;
import io.l2lb.speaker.wire.NeighborSolicitation;
import io.l2lb.speaker.wire.PacketPort;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the request-to-reply path (decode, decide, the pool guard, encode) a few thousand times on
 * synthetic frames against a throw-away announcer and a port that sends nowhere, so the JIT has
 * compiled it before the first real request arrives. The guard is the speaker's own {@link
 * PoolGuard} over {@link PoolClasses}, the same classes the reconciler hands the announcer, so the
 * pool check is compiled too (and a self-check proves the guard was asked). The shipped JVM flags
 * raise the compile thresholds to keep start-up code out of the code cache (memory); without this
 * the first ~2000 real requests would be answered by interpreted code, ~0.15 ms slower each.
 * Nothing here touches a real interface or the real announcer.
 */
public final class HotPathWarmup {

  /** Above the shipped -XX:Tier3InvocationThreshold=2000. */
  public static final int DEFAULT_ROUNDS = 3000;

  private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:02");
  private static final MacAddress ASKER = MacAddress.parse("02:00:00:00:00:01");

  private static final String WARMUP_CLASS = "warmup";

  private HotPathWarmup() {}

  /**
   * @return how long it took
   */
  public static Duration run(int rounds) {
    long t0 = System.nanoTime();
    Inet4Address ip4 = Ip.parse4("192.0.2.1");
    Inet6Address ip6 = Ip.parse6("2001:db8::1");
    byte[] arp =
        new ArpPacket(
                MacAddress.BROADCAST,
                ASKER,
                ArpPacket.REQUEST,
                ASKER,
                Ip.parse4("192.0.2.2"),
                MacAddress.ZERO,
                ip4)
            .encode();
    byte[] ns = NeighborSolicitation.resolve(ASKER, Ip.parse6("2001:db8::2"), ip6).encode();
    NowherePort port = new NowherePort();
    PoolClasses classes = new PoolClasses();
    classes.put(
        new ClassInfo(
            WARMUP_CLASS,
            false,
            "L2",
            List.of("192.0.2.0/28", "2001:db8::/124"),
            Map.of(),
            List.of()));
    PoolGuard guard = new PoolGuard(classes, WARMUP_CLASS);
    Announcer announcer = Announcer.builder().scheduler(new IdleScheduler()).build();
    long answered;
    long refused;
    try {
      announcer.announce(ip4, port, guard);
      announcer.announce(ip6, port, guard);
      long gratuitous = port.sent; // the take-over burst announce() sends at once
      for (int i = 0; i < rounds; i++) {
        announcer.onFrame(port, arp);
        announcer.onFrame(port, ns);
      }
      answered = port.sent - gratuitous;
      // the guard must really be consulted on every reply: with the pool gone, no answer
      long before = port.sent;
      classes.remove(WARMUP_CLASS);
      announcer.onFrame(port, arp);
      announcer.onFrame(port, ns);
      refused = 2 - (port.sent - before);
    } finally {
      announcer.close();
    }
    if (answered != 2L * rounds || refused != 2) {
      throw new IllegalStateException(
          "warm-up answered "
              + answered
              + " of "
              + 2L * rounds
              + " requests and refused "
              + refused
              + " of 2 outside the pool");
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Counts what would have been sent. */
  private static final class NowherePort implements PacketPort {
    long sent;

    @Override
    public MacAddress mac() {
      return OURS;
    }

    @Override
    public String interfaceName() {
      return "warmup";
    }

    @Override
    public void send(byte[] frame) {
      sent++;
    }

    @Override
    public void start(Consumer<byte[]> onFrame) {}

    @Override
    public void close() {}
  }

  /** Gratuitous bursts are not part of the hot path: their timers never fire. */
  private static final class IdleScheduler implements TaskScheduler {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      return () -> {};
    }
  }
}
