package io.l2lb.testkit.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away L2 segment built from Linux network namespaces: one namespace holding a bridge (the
 * "switch"), and one namespace per host joined to it by a veth pair whose host end is called {@code
 * eth0}. Nothing is created in the caller's own namespace, names carry a random run id so leftovers
 * of a crashed run never clash, and {@link #close()} (also run at JVM exit) deletes every
 * namespace, which takes the veths and bridge with it.
 *
 * <p>Needs root, {@code ip} (iproute2) and whatever tools the test runs inside. Use only
 * documentation addresses (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/64): traffic never leaves the
 * namespaces, but addresses must not look like real ones either.
 */
public final class NetnsLab implements AutoCloseable {

  /** What a command printed (stdout and stderr merged) and how it ended; -1 on timeout. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** A host on the segment: its namespace and its {@code eth0} addresses (without prefix). */
  public record Host(String name, String namespace, String ipv4, String ipv6, String mac) {}

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

  private final String prefix;
  private final String switchNamespace;
  private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
  private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final Thread cleanupAtExit;
  private boolean closed;

  private NetnsLab(String prefix) {
    this.prefix = prefix;
    this.switchNamespace = prefix + "-sw";
    this.cleanupAtExit = new Thread(this::cleanup, "netns-lab-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupAtExit);
  }

  /**
   * Checks the prerequisites and creates the switch namespace.
   *
   * @param tools commands the test will need besides {@code ip}, e.g. "arping", "ndisc6"
   * @throws IllegalStateException naming what is missing, so an E2E run fails loudly
   */
  public static NetnsLab create(String... tools) {
    // "l2lb-" and 6 hex digits: 11 of the 12 characters createNamed allows (interface names are
    // short)
    String id =
        HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(1 << 24)).substring(2);
    return createNamed("l2lb-" + id, tools);
  }

  /**
   * Like {@link #create} but with a fixed prefix, for a lab that must find and remove what an
   * earlier, killed run of itself left behind ({@link #removeStale}). At most 12 characters; the
   * root namespace's veth end built from it is cut to Linux's 15.
   */
  public static NetnsLab createNamed(String prefix, String... tools) {
    if (!prefix.matches("[a-z0-9-]{1,12}")) {
      throw new IllegalArgumentException("lab prefix must be 1-12 of [a-z0-9-]: " + prefix);
    }
    requirePrerequisites(tools);
    NetnsLab lab = new NetnsLab(prefix);
    try {
      lab.addNamespace(lab.switchNamespace);
      lab.mustRunIn(lab.switchNamespace, "ip", "link", "add", "br0", "type", "bridge");
      lab.mustRunIn(lab.switchNamespace, "ip", "link", "set", "br0", "up");
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Root (euid 0) and every tool on the PATH, or an exception that says what to install. */
  public static void requirePrerequisites(String... tools) {
    List<String> problems = new ArrayList<>();
    Result uid = exec(DEFAULT_TIMEOUT, List.of("id", "-u"));
    if (!uid.ok() || !uid.output().trim().equals("0")) {
      problems.add(
          "must run as root (network namespaces, raw sockets); id -u says " + uid.output().trim());
    }
    List<String> needed = new ArrayList<>(List.of("ip"));
    needed.addAll(List.of(tools));
    for (String tool : needed) {
      if (!onPath(tool)) {
        problems.add("missing command '" + tool + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "NetnsLab cannot run: "
              + String.join("; ", problems)
              + ". On Debian: apt-get install iproute2 iputils-arping tcpdump libpcap0.8 ndisc6");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes what a lab with this prefix left behind when its JVM was killed: every process in its
   * namespaces (SIGKILL), the namespaces, and the root namespace's veth end.
   *
   * @return the namespaces removed
   */
  public static List<String> removeStale(String prefix) {
    List<String> removed = new ArrayList<>();
    Result list = exec(DEFAULT_TIMEOUT, List.of("ip", "netns", "list"));
    for (String line : list.output().split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (!ns.startsWith(prefix + "-")) {
        continue;
      }
      Result pids = exec(DEFAULT_TIMEOUT, List.of("ip", "netns", "pids", ns));
      for (String pid : pids.output().split("\\s+")) {
        if (pid.matches("\\d+")) {
          exec(DEFAULT_TIMEOUT, List.of("kill", "-9", pid));
        }
      }
      exec(DEFAULT_TIMEOUT, List.of("ip", "netns", "del", ns));
      removed.add(ns);
    }
    exec(DEFAULT_TIMEOUT, List.of("ip", "link", "del", rootEndName(prefix)));
    return removed;
  }

  private static String rootEndName(String prefix) {
    return (prefix + "-up").length() > 15 ? prefix.substring(0, 15 - 3) + "-up" : prefix + "-up";
  }

  public String prefix() {
    return prefix;
  }

  /**
   * Adds a host: a namespace with {@code eth0} plugged into the bridge, addresses given in CIDR
   * form. DAD is off in the namespace so IPv6 addresses (also the link-local one) are usable at
   * once.
   */
  public Host addHost(String name, String ipv4Cidr, String ipv6Cidr) {
    String ns = prefix + "-" + name;
    addNamespace(ns);
    for (String conf : List.of("default", "all")) {
      setSysctl(ns, "net.ipv6.conf." + conf + ".accept_dad", "0");
    }
    String port = ("p-" + name).length() > 15 ? ("p-" + name).substring(0, 15) : "p-" + name;
    // created inside the switch namespace, peer moved straight into the host namespace
    mustRunIn(
        switchNamespace,
        "ip",
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        ns);
    mustRunIn(switchNamespace, "ip", "link", "set", port, "master", "br0", "up");
    mustRunIn(ns, "ip", "link", "set", "lo", "up");
    mustRunIn(ns, "ip", "addr", "add", ipv4Cidr, "dev", "eth0");
    mustRunIn(ns, "ip", "-6", "addr", "add", ipv6Cidr, "dev", "eth0", "nodad");
    mustRunIn(ns, "ip", "link", "set", "eth0", "up");
    Matcher m = LINK_ETHER.matcher(mustRunIn(ns, "ip", "link", "show", "eth0").output());
    if (!m.find()) {
      throw new IllegalStateException("no MAC on eth0 in " + ns);
    }
    return new Host(name, ns, ipv4Cidr.split("/")[0], ipv6Cidr.split("/")[0], m.group(1));
  }

  /**
   * Plugs the caller's own (root) network namespace into the segment: a veth whose root end gets
   * {@code rootCidr} (e.g. 198.51.100.1/24) and whose other end joins the bridge. That is how lab
   * hosts reach a process of the test's namespace, such as the test API server (which listens on
   * all addresses). The root end disappears with the switch namespace in {@link #close()}.
   *
   * @return the root end's interface name
   */
  public String connectRootNamespace(String rootCidr) {
    String rootEnd = rootEndName(prefix);
    mustRunIn(
        null,
        "ip",
        "link",
        "add",
        rootEnd,
        "type",
        "veth",
        "peer",
        "name",
        "p-root",
        "netns",
        switchNamespace);
    mustRunIn(switchNamespace, "ip", "link", "set", "p-root", "master", "br0", "up");
    mustRunIn(null, "ip", "addr", "add", rootCidr, "dev", rootEnd);
    mustRunIn(null, "ip", "link", "set", rootEnd, "up");
    return rootEnd;
  }

  /**
   * Sets a sysctl of the host's namespace. Written to /proc/sys from inside the namespace (network
   * sysctls are per namespace there), so procps need not be installed.
   */
  public void sysctl(Host host, String key, String value) {
    setSysctl(host.namespace(), key, value);
  }

  public String sysctl(Host host, String key) {
    return mustRunIn(host.namespace(), "cat", procSys(key)).output().trim();
  }

  private void setSysctl(String ns, String key, String value) {
    mustRunIn(ns, "sh", "-c", "echo " + value + " > " + procSys(key));
  }

  private static String procSys(String key) {
    if (!key.matches("[a-z0-9_.]+")) {
      throw new IllegalArgumentException("odd sysctl name: " + key);
    }
    return "/proc/sys/" + key.replace('.', '/');
  }

  private void addNamespace(String ns) {
    mustRunIn(null, "ip", "netns", "add", ns);
    namespaces.add(ns);
  }

  /** Runs a command in the host's namespace with the default timeout. */
  public Result run(Host host, String... command) {
    return runIn(host.namespace(), DEFAULT_TIMEOUT, command);
  }

  public Result run(Host host, Duration timeout, String... command) {
    return runIn(host.namespace(), timeout, command);
  }

  /** Like {@link #run(Host, String...)} but throws unless it exits 0. */
  public Result mustRun(Host host, String... command) {
    return mustRunIn(host.namespace(), command);
  }

  private Result mustRunIn(String ns, String... command) {
    Result r = runIn(ns, DEFAULT_TIMEOUT, command);
    if (!r.ok()) {
      throw new IllegalStateException(
          "failed ("
              + r.exitCode()
              + ") in "
              + ns
              + ": "
              + String.join(" ", command)
              + "\n"
              + r.output());
    }
    return r;
  }

  private Result runIn(String ns, Duration timeout, String... command) {
    return exec(timeout, inNamespace(ns, List.of(command)));
  }

  private static List<String> inNamespace(String ns, List<String> command) {
    if (ns == null) {
      return command;
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    return full;
  }

  /** Output goes to a temporary file, so a chatty command can never block on a full pipe. */
  private static Result exec(Duration timeout, List<String> command) {
    Path out = null;
    try {
      out = Files.createTempFile("netns-lab", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      return new Result(
          done ? p.exitValue() : -1, done ? text : text + "\n[timed out after " + timeout + "]");
    } catch (IOException e) {
      return new Result(127, "cannot run " + command + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // temp file
        }
      }
    }
  }

  /** Starts a long-running command in the host's namespace; stopped at the latest by close(). */
  public LabProcess start(Host host, String label, List<String> command) {
    try {
      Process p =
          new ProcessBuilder(inNamespace(host.namespace(), command))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      LabProcess lp = new LabProcess(label + "@" + host.name(), p);
      processes.add(lp);
      return lp;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command + " in " + host.namespace(), e);
    }
  }

  /**
   * Starts a long-running command in the caller's own (root) namespace, owned by the lab like the
   * others: stopped at the latest by close(). For processes that must live beside the lab, such as
   * an operator talking to the API server on loopback.
   */
  public LabProcess startInRoot(String label, List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      LabProcess lp = new LabProcess(label + "@root", p);
      processes.add(lp);
      return lp;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
  }

  /**
   * Starts {@code mainClass} in a new JVM inside the host's namespace, with this JVM's classpath: a
   * pcap handle is bound to the namespace of the process that opens it.
   */
  public LabProcess startJava(Host host, String label, String mainClass, String... args) {
    String classpath = System.getProperty("java.class.path");
    if (!classpath.contains("test-classes")) {
      throw new IllegalStateException(
          "java.class.path lacks the test classes (a manifest-only jar?): " + classpath);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1", // small and quick to start
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp",
                classpath,
                mainClass));
    command.addAll(List.of(args));
    return start(host, label, command);
  }

  /** Stops every started process and deletes every namespace; safe to call twice. */
  @Override
  public void close() {
    cleanup();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private synchronized void cleanup() {
    if (closed) {
      return;
    }
    closed = true;
    List<LabProcess> started;
    synchronized (processes) {
      started = new ArrayList<>(processes);
    }
    for (LabProcess p : started) {
      p.stop(Duration.ofSeconds(3));
    }
    List<String> all;
    synchronized (namespaces) {
      all = new ArrayList<>(namespaces);
    }
    Collections.reverse(all);
    for (String ns : all) {
      Result r = runIn(null, DEFAULT_TIMEOUT, "ip", "netns", "del", ns);
      if (!r.ok()) {
        System.err.println("NetnsLab: could not delete namespace " + ns + ": " + r.output());
      }
    }
  }
}
