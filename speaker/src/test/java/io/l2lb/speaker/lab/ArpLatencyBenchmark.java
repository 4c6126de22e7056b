package io.l2lb.speaker.lab;

import io.l2lb.testkit.lab.LabProcess;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import io.l2lb.testkit.lab.NetnsLab.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lab benchmark: ARP reply latency of the speaker's announcer against the kernel's own ARP reply,
 * both measured by {@code arping} from a client namespace in the same run.
 *
 * <p>Builds a {@link NetnsLab} segment with a client (192.0.2.10) and one node (192.0.2.11, owned
 * by the node's kernel), starts {@link StaticAnnouncerMain} in the node namespace announcing
 * 192.0.2.100 on the node's eth0 (the same warm-up, {@code Announcer}, pool guard and {@code
 * PcapPacketPort} code path the speaker uses), then probes both addresses with one {@code arping -c
 * 1} each, strictly alternating (kernel, speaker, speaker, kernel, ...) so both series see the same
 * machine conditions. Every probe is a broadcast who-has, as a real ARP resolution is; {@code
 * arping} prints the round trip it measured itself ("Unicast reply ... 0.539ms"), so the cost of
 * starting the arping process is not part of the figure. A tcpdump on the client's eth0 records the
 * same measured probes, which gives a second pair of series without arping's own user-space
 * overhead (request leaving the client to reply arriving at it). The measured probes start only
 * after the announcer's take-over gratuitous ARP burst is over.
 *
 * <p>Usage (root; test classpath; see docs/benchmarks.md, "Speaker"):
 *
 * <pre>java [-Dl2lb.bench.announcerJvmFlags="FLAGS"] -cp TEST_CLASSPATH
 *     io.l2lb.speaker.lab.ArpLatencyBenchmark [PROBES [WARMUP]]</pre>
 *
 * <p>{@code l2lb.bench.announcerJvmFlags}: the announcer JVM's flags, blank-separated; unset means
 * {@value #DEFAULT_FLAGS} (what {@link NetnsLab#startJava} uses), an empty value means none (plain
 * JVM ergonomics). Prints Markdown; exits 0 when the run completed (whether or not the target was
 * met), 1 when it could not run or the announcer died.
 */
public final class ArpLatencyBenchmark {

  static final String FLAGS_PROPERTY = "l2lb.bench.announcerJvmFlags";
  static final String DEFAULT_FLAGS = "-Xmx64m -XX:TieredStopAtLevel=1";
  static final String CLIENT_IP = "192.0.2.10";
  static final String NODE_IP = "192.0.2.11";
  static final String VIP = "192.0.2.100";
  static final String POOL = "192.0.2.96/28";
  static final double TARGET_RATIO = 2.0;
  static final Duration START = Duration.ofSeconds(60);

  /** One probe: arping gives up after 1 s; the process gets a little more before it is killed. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** Whole-run bound, whatever the counts: a stuck run stops by itself. */
  static final Duration RUN_BUDGET = Duration.ofMinutes(20);

  /**
   * iputils arping: "Unicast reply from 192.0.2.11 [DE:84:F3:AC:A4:70] 0.539ms" (usec on some
   * builds).
   */
  static final Pattern REPLY =
      Pattern.compile(
          "reply from (\\S+) \\[([0-9A-Fa-f:]{17})\\]\\s+([0-9]+(?:\\.[0-9]+)?)\\s*(ms|usec|us)\\b");

  /**
   * "1732236118.123456 de:84:f3:ac:a4:70 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42:
   * Request ..."
   */
  static final Pattern CAPTURE =
      Pattern.compile("^(\\d+)\\.(\\d{6}) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), (.*)$");

  static final Pattern GC_PAUSE =
      Pattern.compile("\\[gc\\s*\\].*Pause.* ([0-9]+(?:\\.[0-9]+)?)ms\\s*$");

  /** From "announced" until the default gratuitous ARP schedule (5 s) is surely over. */
  static final Duration GARP_QUIET = Duration.ofMillis(6500);

  private ArpLatencyBenchmark() {}

  /** One target's probe results: round trips in microseconds, and how many got no (valid) reply. */
  static final class Series {
    final String name;
    final String ip;
    final String expectedMac;
    final List<Double> micros = new ArrayList<>();
    int lost;
    int foreign;

    Series(String name, String ip, String expectedMac) {
      this.name = name;
      this.ip = ip;
      this.expectedMac = expectedMac;
    }

    void record(Result r) {
      Matcher m = REPLY.matcher(r.output());
      int replies = 0;
      Double rtt = null;
      while (m.find()) {
        replies++;
        if (!m.group(1).equals(ip) || !m.group(2).equalsIgnoreCase(expectedMac)) {
          foreign++; // someone else answered: would make the figure meaningless
          continue;
        }
        double v = Double.parseDouble(m.group(3));
        rtt = m.group(4).equals("ms") ? v * 1000.0 : v;
      }
      if (rtt == null || replies == 0) {
        lost++;
      } else {
        micros.add(rtt);
      }
    }

    double[] sorted() {
      double[] a = micros.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(a);
      return a;
    }
  }

  /** Nearest-rank percentile (p in (0, 100]) of a sorted array; NaN when empty. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static List<String> jvmFlags() {
    String text = System.getProperty(FLAGS_PROPERTY, DEFAULT_FLAGS).trim();
    return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
  }

  public static void main(String[] args) {
    int probes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    if (probes < 1 || probes > 100_000 || warmup < 0 || warmup > 100_000) {
      System.err.println(
          "usage: ArpLatencyBenchmark [PROBES (1..100000, default 300) [WARMUP (default 50)]]");
      System.exit(2);
    }
    int code;
    try {
      code = run(probes, warmup);
    } catch (RuntimeException | AssertionError e) {
      System.err.println("ArpLatencyBenchmark failed: " + e);
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  static int run(int probes, int warmup) {
    List<String> flags = jvmFlags();
    String loadBefore = loadAverage();
    long deadline = System.nanoTime() + RUN_BUDGET.toNanos();
    try (NetnsLab lab = NetnsLab.create("arping", "tcpdump")) {
      Host client = lab.addHost("client", CLIENT_IP + "/24", "2001:db8::10/64");
      Host node = lab.addHost("node1", NODE_IP + "/24", "2001:db8::11/64");

      long startNanos = System.nanoTime();
      LabProcess announcer = startAnnouncer(lab, node, flags);
      String ready = announcer.awaitLineStartingWith("READY " + node.mac(), START);
      long readyMillis = (System.nanoTime() - startNanos) / 1_000_000;
      announcer.awaitLineStartingWith("ANNOUNCED " + VIP, START);

      long announcedNanos = System.nanoTime();

      Series kernel = new Series("kernel (" + NODE_IP + ", node address)", NODE_IP, node.mac());
      Series speaker = new Series("speaker (" + VIP + ", announced)", VIP, node.mac());

      // warm-up: same alternation, results thrown away (JIT, page cache, neighbour tables)
      Series warmKernel = new Series("warm-up kernel", NODE_IP, node.mac());
      Series warmSpeaker = new Series("warm-up speaker", VIP, node.mac());
      probePairs(lab, client, warmKernel, warmSpeaker, warmup, deadline, announcer);
      String memAfterWarmup = memory(announcer.pid());

      // the take-over GARP burst (default: at once, then every 1 s for 5 s) is over before
      // the measured probes, so they see the speaker's steady state
      sleepUntil(announcedNanos + GARP_QUIET.toNanos());

      // the same probes seen on the client's eth0: request out to reply in, without arping's
      // own user-space overhead on top
      LabProcess capture =
          lab.start(
              client,
              "tcpdump",
              List.of("tcpdump", "-i", "eth0", "-n", "-e", "-tt", "-l", "--immediate-mode", "arp"));
      capture.awaitLine(l -> l.contains("listening on"), START);
      probePairs(lab, client, kernel, speaker, probes, deadline, announcer);
      sleepUntil(
          System.nanoTime() + Duration.ofMillis(200).toNanos()); // last reply into the capture
      capture.stop(Duration.ofSeconds(3));
      Series wireKernel =
          wire("kernel, on the wire", NODE_IP, client.mac(), node.mac(), capture.lines());
      Series wireSpeaker =
          wire("speaker, on the wire", VIP, client.mac(), node.mac(), capture.lines());

      // memory while still running, after the measured probes
      String status = procStatus(announcer.pid());
      String rss = field(status, "VmRSS");
      String hwm = field(status, "VmHWM");
      String threads = field(status, "Threads");
      String cmdline = cmdline(announcer.pid());
      String loadAfter = loadAverage();

      Duration stop = announcer.stop(Duration.ofSeconds(5));
      String ergonomics =
          announcer.lines().stream().filter(l -> l.contains("-XX:")).findFirst().orElse("?");
      String stopped =
          announcer.lines().stream().filter(l -> l.startsWith("STOPPED")).findFirst().orElse("?");
      String gc = gcSummary(announcer.lines());

      printReport(
          probes,
          warmup,
          flags,
          kernel,
          speaker,
          wireKernel,
          wireSpeaker,
          warmKernel,
          warmSpeaker,
          rss,
          hwm,
          threads,
          memAfterWarmup,
          readyMillis,
          ready,
          cmdline,
          ergonomics,
          gc,
          stopped,
          stop,
          loadBefore,
          loadAfter);
      return 0;
    }
  }

  private static LabProcess startAnnouncer(NetnsLab lab, Host node, List<String> flags) {
    String classpath = System.getProperty("java.class.path");
    if (!classpath.contains("test-classes")) {
      throw new IllegalStateException("java.class.path lacks the test classes: " + classpath);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    // observation only: the effective flags (incl. the GC and heap sizes ergonomics chose) once
    // at start, and one stdout line per GC pause, so the report can say whether the resident
    // set was measured before or after the young generation had been cycled
    command.add("-XX:+PrintCommandLineFlags");
    command.add("-Xlog:gc:stdout");
    // a class pool around the VIP, so every reply goes through the speaker's pool guard
    command.addAll(
        List.of(
            "-cp", classpath, StaticAnnouncerMain.class.getName(), "--pool", POOL, "eth0", VIP));
    return lab.start(node, "announcer", command);
  }

  /** {@code pairs} rounds of one probe to each target, the order flipping every round. */
  private static void probePairs(
      NetnsLab lab,
      Host client,
      Series kernel,
      Series speaker,
      int pairs,
      long deadline,
      LabProcess announcer) {
    for (int i = 0; i < pairs; i++) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "run budget of " + RUN_BUDGET + " exhausted after " + i + " rounds");
      }
      if (!announcer.isAlive()) {
        throw new IllegalStateException("announcer exited; output:\n" + announcer.output());
      }
      Series first = (i % 2 == 0) ? kernel : speaker;
      Series second = (i % 2 == 0) ? speaker : kernel;
      first.record(arping(lab, client, first.ip));
      second.record(arping(lab, client, second.ip));
    }
  }

  private static Result arping(NetnsLab lab, Host client, String ip) {
    return lab.run(client, PROBE_TIMEOUT, "arping", "-c", "1", "-w", "1", "-I", "eth0", ip);
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /**
   * Round trips from a client-side capture: each broadcast "who-has IP tell CLIENT" paired with the
   * first reply for IP addressed to the client from the expected MAC before the next such request.
   * Gratuitous ARP (broadcast, "tell" itself) does not match either pattern.
   */
  static Series wire(String name, String ip, String clientMac, String nodeMac, List<String> lines) {
    Series s = new Series(name, ip, nodeMac);
    // arping puts the broadcast address in the target MAC field, which tcpdump prints in
    // parentheses
    Pattern request =
        Pattern.compile(
            "Request who-has "
                + Pattern.quote(ip)
                + "( \\([0-9a-f:]{17}\\))? tell "
                + Pattern.quote(CLIENT_IP)
                + ",");
    String reply = "Reply " + ip + " is-at " + nodeMac.toLowerCase(Locale.ROOT) + ",";
    Long sent = null;
    for (String line : lines) {
      Matcher m = CAPTURE.matcher(line);
      if (!m.find()) {
        continue;
      }
      long micros = Long.parseLong(m.group(1)) * 1_000_000L + Long.parseLong(m.group(2));
      String rest = m.group(5);
      if (m.group(3).equals(clientMac)
          && m.group(4).equals("ff:ff:ff:ff:ff:ff")
          && request.matcher(rest).find()) {
        if (sent != null) {
          s.lost++;
        }
        sent = micros;
      } else if (sent != null && m.group(4).equals(clientMac) && rest.contains(reply)) {
        s.micros.add((double) (micros - sent));
        sent = null;
      }
    }
    if (sent != null) {
      s.lost++;
    }
    return s;
  }

  // ---- /proc of the announcer ("ip netns exec" execs java, so the pid is the JVM's) ----

  private static String procStatus(long pid) {
    try {
      return Files.readString(
          Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return "?";
  }

  private static String memory(long pid) {
    String s = procStatus(pid);
    return "VmRSS " + field(s, "VmRSS") + ", VmHWM " + field(s, "VmHWM");
  }

  private static String cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      List<String> parts =
          new ArrayList<>(List.of(new String(raw, StandardCharsets.UTF_8).split("\0")));
      int cp = parts.indexOf("-cp");
      if (cp >= 0 && cp + 1 < parts.size()) {
        parts.set(cp + 1, "<test classpath>");
      }
      return String.join(" ", parts);
    } catch (IOException e) {
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String firstLine(String cmd) {
    try {
      Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out.isEmpty() ? "?" : out.split("\n")[0];
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /**
   * "[1.234s][info][gc] GC(0) Pause Young (Allocation Failure) 17M->2M(61M) 3.456ms" lines,
   * summarised.
   */
  static String gcSummary(List<String> lines) {
    int pauses = 0;
    double max = 0;
    double total = 0;
    for (String line : lines) {
      Matcher m = GC_PAUSE.matcher(line);
      if (m.find()) {
        pauses++;
        double ms = Double.parseDouble(m.group(1));
        total += ms;
        max = Math.max(max, ms);
      }
    }
    return pauses == 0
        ? "no pause (the heap regions the run touched may not all be resident yet)"
        : String.format(Locale.ROOT, "%d pause(s), max %.3f ms, total %.3f ms", pauses, max, total);
  }

  // ---- report ----

  private static String ms(double micros) {
    return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%.3f", micros / 1000.0);
  }

  private static String row(Series s) {
    double[] a = s.sorted();
    double mean = Arrays.stream(a).average().orElse(Double.NaN);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %s | %s | %s | %s | %s |",
        s.name,
        s.micros.size() + s.lost,
        s.lost,
        ms(percentile(a, 50)),
        ms(percentile(a, 90)),
        ms(percentile(a, 99)),
        ms(a.length == 0 ? Double.NaN : a[a.length - 1]),
        ms(mean));
  }

  private static void printReport(
      int probes,
      int warmup,
      List<String> flags,
      Series kernel,
      Series speaker,
      Series wireKernel,
      Series wireSpeaker,
      Series warmKernel,
      Series warmSpeaker,
      String rss,
      String hwm,
      String threads,
      String memAfterWarmup,
      long readyMillis,
      String ready,
      String cmdline,
      String ergonomics,
      String gc,
      String stopped,
      Duration stop,
      String loadBefore,
      String loadAfter) {
    double kp50 = percentile(kernel.sorted(), 50);
    double sp50 = percentile(speaker.sorted(), 50);
    double ratio = sp50 / kp50;
    StringBuilder out = new StringBuilder();
    out.append("\n## ARP reply latency: speaker vs kernel\n\n");
    out.append("- date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    out.append("- probes: ")
        .append(probes)
        .append(" per target (after ")
        .append(warmup)
        .append(" warm-up probes per target), interleaved, one `arping -c 1 -w 1` each\n");
    out.append("- environment: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, kernel ")
        .append(firstLine("uname -r"))
        .append(", JDK ")
        .append(System.getProperty("java.vm.version"))
        .append(", ")
        .append(firstLine("arping -V 2>&1"))
        .append('\n');
    out.append("- load average (1/5/15 min, runnable/total, last pid): before `")
        .append(loadBefore)
        .append("`, after `")
        .append(loadAfter)
        .append("`\n\n");
    out.append(
        "| target | probes | lost | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    out.append(row(kernel)).append('\n');
    out.append(row(speaker)).append('\n');
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "**speaker p50 / kernel p50 = %.2fx** (target <= %.1fx: %s)%n",
            ratio,
            TARGET_RATIO,
            ratio <= TARGET_RATIO ? "met" : "MISSED"));
    out.append(
        String.format(
            Locale.ROOT,
            "speaker p99 / kernel p99 = %.2fx; p50 difference %s ms%n",
            percentile(speaker.sorted(), 99) / percentile(kernel.sorted(), 99),
            ms(sp50 - kp50)));
    out.append(
        "\nThe same probes in a capture on the client's eth0 (tcpdump, request out to reply in; "
            + "no arping process overhead):\n\n");
    out.append(
        "| target | probes | lost | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    out.append(row(wireKernel)).append('\n');
    out.append(row(wireSpeaker)).append('\n');
    double wk = percentile(wireKernel.sorted(), 50);
    double ws = percentile(wireSpeaker.sorted(), 50);
    out.append(
        String.format(
            Locale.ROOT,
            "%nwire p50 ratio speaker / kernel = %.2fx; p50 difference %s ms%n",
            ws / wk,
            ms(ws - wk)));
    if (kernel.foreign + speaker.foreign > 0) {
      out.append("\nWARNING: replies from an unexpected address/MAC: kernel ")
          .append(kernel.foreign)
          .append(", speaker ")
          .append(speaker.foreign)
          .append('\n');
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nwarm-up (discarded): kernel p50 %s ms, lost %d; speaker p50 %s ms, lost %d%n",
            ms(percentile(warmKernel.sorted(), 50)),
            warmKernel.lost,
            ms(percentile(warmSpeaker.sorted(), 50)),
            warmSpeaker.lost));
    out.append("\n### Announcer process\n\n");
    out.append("| JVM flags (property `")
        .append(FLAGS_PROPERTY)
        .append("`) | VmRSS | VmHWM | threads | start to READY |\n");
    out.append("|---|---:|---:|---:|---:|\n");
    out.append("| `")
        .append(flags.isEmpty() ? "(none)" : String.join(" ", flags))
        .append("` | ")
        .append(rss)
        .append(" | ")
        .append(hwm)
        .append(" | ")
        .append(threads)
        .append(" | ")
        .append(readyMillis)
        .append(" ms |\n\n");
    out.append("- after warm-up: ").append(memAfterWarmup).append('\n');
    out.append("- command line: `").append(cmdline).append("`\n");
    out.append("- effective flags (-XX:+PrintCommandLineFlags): `")
        .append(ergonomics.trim())
        .append("`\n");
    out.append("- GC while running: ").append(gc).append('\n');
    out.append("- ")
        .append(ready)
        .append("; exited ")
        .append(stop.toMillis())
        .append(" ms after SIGTERM; ")
        .append(stopped)
        .append('\n');
    System.out.print(out);
    System.out.flush();
  }
}
