package io.l2lb.speaker.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.testkit.lab.LabProcess;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import io.l2lb.testkit.lab.NetnsLab.Result;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The announcer on a real (virtual) wire: a bridge, two node namespaces each able to run a
 * test-only speaker JVM ({@link StaticAnnouncerMain}) on its eth0, and a client namespace that asks
 * with arping / ndisc6 / the kernel's own neighbour resolution.
 *
 * <p>Needs root and iproute2, iputils-arping, ndisc6, tcpdump, libpcap0.8, bash; fails (does not
 * skip) when they are missing.
 */
class SpeakerWireE2E {

  static final String VIP4 = "192.0.2.100";
  static final String VIP6 = "2001:db8::100";
  static final Duration START = Duration.ofSeconds(30);

  /** tcpdump -e line: "<time> <src mac> > <dst mac>, ..." */
  static final Pattern SOURCE_MAC = Pattern.compile("^\\S+ ([0-9a-f:]{17}) > ");

  static NetnsLab lab;
  static Host client;
  static Host node1;
  static Host node2;

  @BeforeAll
  static void buildLab() {
    lab = NetnsLab.create("arping", "ndisc6", "tcpdump", "bash");
    client = lab.addHost("client", "192.0.2.10/24", "2001:db8::10/64");
    node1 = lab.addHost("node1", "192.0.2.11/24", "2001:db8::11/64");
    node2 = lab.addHost("node2", "192.0.2.12/24", "2001:db8::12/64");
  }

  @AfterAll
  static void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void forgetNeighbours() {
    lab.mustRun(client, "ip", "-4", "neigh", "flush", "dev", "eth0");
    lab.mustRun(client, "ip", "-6", "neigh", "flush", "dev", "eth0");
  }

  static LabProcess announcer(Host node, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "eth0";
    System.arraycopy(args, 0, full, 1, args.length);
    LabProcess p = lab.startJava(node, "announcer", StaticAnnouncerMain.class.getName(), full);
    p.awaitLineStartingWith("READY " + node.mac(), START);
    return p;
  }

  static Result arping(String ip, int count) {
    return lab.run(
        client,
        "arping",
        "-c",
        String.valueOf(count),
        "-w",
        String.valueOf(count + 2),
        "-I",
        "eth0",
        ip);
  }

  static Result ndisc6(String ip) {
    return lab.run(client, "ndisc6", "-1", "-r", "3", "-w", "1000", ip, "eth0");
  }

  /**
   * One UDP datagram to the discard port via bash's /dev/udp: makes the kernel resolve {@code ip}.
   */
  static void sendDatagram(String ip) {
    lab.mustRun(client, "bash", "-c", "echo hello > /dev/udp/" + ip + "/9");
  }

  static String neighbour(String ip) {
    return lab.mustRun(client, "ip", "neigh", "show", ip, "dev", "eth0").output().trim();
  }

  static String awaitNeighbourMac(String ip, String mac, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String entry;
    do {
      entry = neighbour(ip);
      if (entry.contains("lladdr " + mac)) {
        return entry;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "client's entry for "
            + ip
            + " did not become "
            + mac
            + " in "
            + timeout
            + "; it is: '"
            + entry
            + "'");
  }

  static long countMatches(String text, String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(text).results().count();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void arpingGetsTheOwningNodesMacAndNothingForUnplacedOrOutOfPoolIps() {
    try (LabProcess speaker = announcer(node1, "--pool", "192.0.2.96/28", VIP4, "192.0.2.200")) {
      speaker.awaitLineStartingWith("REJECTED 192.0.2.200", START);

      Result placed = arping(VIP4, 3);
      assertThat(placed.ok()).as(placed.output()).isTrue();
      assertThat(
              countMatches(
                  placed.output(),
                  "Unicast reply from 192\\.0\\.2\\.100 \\[" + node1.mac() + "\\]"))
          .as(placed.output())
          .isEqualTo(3);
      assertThat(countMatches(placed.output(), "reply from")).as("no other answerer").isEqualTo(3);

      Result unplaced = arping("192.0.2.101", 2);
      assertThat(unplaced.ok()).as(unplaced.output()).isFalse();
      assertThat(unplaced.output()).contains("Received 0 response");

      Result outOfPool = arping("192.0.2.200", 2);
      assertThat(outOfPool.ok()).as(outOfPool.output()).isFalse();
      assertThat(outOfPool.output()).contains("Received 0 response");
    }
  }

  @Test
  void ndisc6GetsTheOwningNodesMacAndNothingForAnUnplacedIp() {
    try (LabProcess speaker = announcer(node1, VIP6)) {
      Result placed = ndisc6(VIP6);
      assertThat(placed.ok()).as(placed.output()).isTrue();
      assertThat(placed.output()).containsIgnoringCase("Target link-layer address: " + node1.mac());

      Result unplaced = ndisc6("2001:db8::101");
      assertThat(unplaced.ok()).as(unplaced.output()).isFalse();
      assertThat(unplaced.output()).doesNotContain("Target link-layer address");

      // the port joined the solicited-node group, so a NIC's multicast filter lets NS in
      assertThat(lab.mustRun(node1, "ip", "-6", "maddr", "show", "dev", "eth0").output())
          .contains("ff02::1:ff00:100");
    }
  }

  /**
   * Take-over as the operator will do it: stop the old node's speaker, start one on the new node.
   * The client already holds entries for the old MAC and sends nothing itself; the new node's
   * gratuitous ARP and unsolicited NA alone must repoint them.
   *
   * <p>This works with the default {@code arp_accept=0}: Linux ({@code arp_process}) updates an
   * EXISTING entry from any gratuitous ARP (request form, or reply form whose target MAC equals the
   * sender MAC) and lets it override the entry at once; arp_accept only decides whether an
   * unsolicited ARP may CREATE a missing entry (see the next test). For IPv6 an unsolicited NA with
   * the Override flag updates an existing entry likewise (accept_untracked_na governs creation).
   */
  @Test
  void movingTheIpRepointsTheClientThroughGratuitousAnnouncementsAlone() {
    assertThat(lab.sysctl(client, "net.ipv4.conf.eth0.arp_accept"))
        .as("the default is enough for take-over")
        .isEqualTo("0");
    LabProcess tcpdump;
    try (LabProcess old = announcer(node1, VIP4, VIP6)) {
      // the client's kernel resolves the IPs to send one datagram to each (the node drops it)
      sendDatagram(VIP4);
      sendDatagram(VIP6);
      assertThat(awaitNeighbourMac(VIP4, node1.mac(), Duration.ofSeconds(3)))
          .containsPattern("REACHABLE|STALE|DELAY");
      assertThat(awaitNeighbourMac(VIP6, node1.mac(), Duration.ofSeconds(3)))
          .containsPattern("REACHABLE|STALE|DELAY");

      tcpdump =
          lab.start(
              client,
              "tcpdump",
              List.of("tcpdump", "-i", "eth0", "-n", "-e", "-l", "arp or icmp6"));
      tcpdump.awaitLine(l -> l.contains("listening on"), START);
    }

    try (LabProcess successor = announcer(node2, VIP4, VIP6)) {
      String v4 = awaitNeighbourMac(VIP4, node2.mac(), Duration.ofSeconds(5));
      String v6 = awaitNeighbourMac(VIP6, node2.mac(), Duration.ofSeconds(5));
      System.out.println("after take-over: " + v4 + " | " + v6);
      sleep(1500); // capture a further burst or two for the checks below
    } finally {
      tcpdump.stop(Duration.ofSeconds(3));
    }

    List<String> capture = tcpdump.lines();
    String text = String.join("\n", capture);
    List<String> fromClient =
        capture.stream().filter(l -> sourceMac(l).equals(client.mac())).toList();
    assertThat(fromClient)
        .as("the client asked nothing itself:\n" + text)
        .noneMatch(l -> l.contains("who-has " + VIP4) || l.contains("who has " + VIP6));
    assertThat(text)
        .as("gratuitous ARP in both forms and an unsolicited NA from the new node")
        .contains(
            "Request who-has " + VIP4,
            "Reply " + VIP4 + " is-at " + node2.mac(),
            "neighbor advertisement, tgt is " + VIP6);
    // the old speaker stopped before the new one started: after the new MAC's first claim
    // the old MAC never claims the IPs again, so there is no time when both answer
    List<String> claims =
        capture.stream()
            .filter(l -> l.contains(" " + VIP4 + " ") || l.contains("tgt is " + VIP6))
            .toList();
    int firstNew = indexOfFirst(claims, node2.mac());
    assertThat(firstNew).as(text).isNotNegative();
    assertThat(claims.subList(firstNew, claims.size()))
        .as(text)
        .noneMatch(l -> sourceMac(l).equals(node1.mac()));
  }

  private static String sourceMac(String tcpdumpLine) {
    Matcher m = SOURCE_MAC.matcher(tcpdumpLine);
    return m.find() ? m.group(1) : "";
  }

  private static int indexOfFirst(List<String> capture, String mac) {
    for (int i = 0; i < capture.size(); i++) {
      if (sourceMac(capture.get(i)).equals(mac)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Why take-over does not need arp_accept, shown on the wire: a gratuitous ARP for an IP the
   * client has no entry for creates none with arp_accept=0 and does with arp_accept=1.
   */
  @Test
  void arpAcceptOnlyDecidesWhetherAGratuitousArpCreatesAMissingEntry() {
    String ip = "192.0.2.102";
    String sysctl = "net.ipv4.conf.eth0.arp_accept";
    try {
      try (LabProcess speaker = announcer(node1, ip)) {
        sleep(1500); // the bursts at 0 s and 1 s have gone out
        assertThat(neighbour(ip)).as("arp_accept=0: no entry created").isEmpty();
      }
      lab.sysctl(client, sysctl, "1");
      try (LabProcess speaker = announcer(node1, ip)) {
        assertThat(awaitNeighbourMac(ip, node1.mac(), Duration.ofSeconds(3)))
            .as("arp_accept=1: created, as STALE")
            .contains("STALE");
      }
    } finally {
      lab.sysctl(client, sysctl, "0");
    }
  }

  /** Without a control plane the ownership check cannot confirm, so a rival's GARP fences us. */
  @Test
  void rivalGratuitousArpFencesTheSpeaker() {
    try (LabProcess speaker = announcer(node1, VIP4)) {
      assertThat(arping(VIP4, 1).ok()).isTrue();

      // node2 claims the IP the way a split-brain peer would: unsolicited ARP from its MAC.
      // arping binds to the address it announces; non-local bind lets it without
      // configuring the IP on node2 (whose kernel would then answer ARP for it too).
      lab.sysctl(node2, "net.ipv4.ip_nonlocal_bind", "1");
      Result claim = lab.run(node2, "arping", "-U", "-c", "1", "-I", "eth0", VIP4);
      assertThat(claim.output()).as(claim.output()).doesNotContain("bind");

      speaker.awaitLineStartingWith("FENCED " + VIP4 + " " + node2.mac(), Duration.ofSeconds(5));
      Result after = arping(VIP4, 2);
      assertThat(after.ok()).as(after.output()).isFalse();
    } finally {
      lab.sysctl(node2, "net.ipv4.ip_nonlocal_bind", "0");
    }
  }

  @Test
  void sigtermStopsAnsweringPromptly() {
    LabProcess speaker = announcer(node1, VIP4);
    assertThat(arping(VIP4, 1).ok()).isTrue();

    Duration stop = speaker.stop(Duration.ofSeconds(5));

    System.out.println("speaker exited " + stop.toMillis() + " ms after SIGTERM");
    assertThat(stop).isLessThan(Duration.ofMillis(1500));
    assertThat(speaker.output()).contains("STOPPED");
    Result after = arping(VIP4, 2);
    assertThat(after.ok()).as(after.output()).isFalse();
    assertThat(after.output().toLowerCase(Locale.ROOT)).doesNotContain(node1.mac());
  }
}
