package io.l2lb.speaker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The speaker's settings. Each comes from a flag ({@code --lease-interval=2s} or {@code
 * --lease-interval 2s}), else its environment variable, else the default; the DaemonSet sets
 * NODE_NAME and POD_NAMESPACE from the downward API.
 */
public record SpeakerConfig(
    String nodeName,
    String leaseNamespace,
    Duration leaseInterval,
    Duration leaseDuration,
    Duration garpInterval,
    Duration garpDuration,
    Duration refreshInterval,
    Duration fenceCheckTimeout,
    Duration resyncInterval,
    String metricsAddress,
    int metricsPort,
    Optional<Path> kubeconfig,
    Optional<String> defaultInterface) {

  /** A setting: flag name, environment variable, default (null = none), help. */
  record Option(String flag, String env, String fallback, String help) {}

  static final List<Option> OPTIONS =
      List.of(
          new Option(
              "node-name",
              "NODE_NAME",
              null,
              "this node's name (required; downward API spec.nodeName)"),
          new Option(
              "namespace", "POD_NAMESPACE", "l2lb-system", "namespace of the speaker's Lease"),
          new Option(
              "lease-interval", "L2LB_LEASE_INTERVAL", "1s", "how often the Lease is renewed"),
          new Option(
              "lease-duration",
              "L2LB_LEASE_DURATION",
              "3s",
              "leaseDurationSeconds (whole seconds, > interval)"),
          new Option(
              "garp-interval",
              "L2LB_GARP_INTERVAL",
              "1s",
              "time between gratuitous ARP/NA bursts on take-over"),
          new Option(
              "garp-duration", "L2LB_GARP_DURATION", "5s", "how long take-over bursts go on"),
          new Option(
              "refresh-interval",
              "L2LB_REFRESH_INTERVAL",
              "0s",
              "slow periodic re-announcement (0s = off)"),
          new Option(
              "fence-check-timeout",
              "L2LB_FENCE_CHECK_TIMEOUT",
              "2s",
              "how long a rival's claim may wait for the API server's word before the IP is fenced"),
          new Option(
              "resync-interval",
              "L2LB_RESYNC_INTERVAL",
              "10s",
              "periodic reconcile (retries failed writes)"),
          new Option(
              "metrics-address",
              "L2LB_METRICS_ADDRESS",
              "0.0.0.0",
              "address of /metrics, /healthz, /readyz"),
          new Option(
              "metrics-port",
              "L2LB_METRICS_PORT",
              "7472",
              "port of /metrics, /healthz, /readyz (0 = any free)"),
          new Option(
              "kubeconfig",
              "KUBECONFIG",
              null,
              "kubeconfig file (default: in-cluster service account)"),
          new Option(
              "interface",
              "L2LB_INTERFACE",
              null,
              "interface to announce on when neither the object nor the class names one "
                  + "(default: the interface holding the node's InternalIP)"));

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  public static SpeakerConfig parse(List<String> args, Map<String, String> env) {
    Map<String, String> flags = flags(args);
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      String v = flags.containsKey(o.flag()) ? flags.get(o.flag()) : env.get(o.env());
      if (v != null && !v.isBlank()) {
        values.put(o.flag(), v.trim());
      } else if (o.fallback() != null) {
        values.put(o.flag(), o.fallback());
      }
    }
    String node = values.get("node-name");
    if (node == null) {
      throw new ConfigException(
          "NODE_NAME is not set: set it from the downward API (env NODE_NAME, "
              + "valueFrom.fieldRef.fieldPath: spec.nodeName) or pass --node-name=<node>");
    }
    Duration leaseInterval = duration(values, "lease-interval");
    Duration leaseDuration = duration(values, "lease-duration");
    if (leaseInterval.isZero()
        || leaseDuration.toSeconds() < 1
        || leaseDuration.compareTo(leaseInterval) <= 0
        || leaseDuration.toMillis() % 1000 != 0) {
      throw new ConfigException(
          "L2LB_LEASE_DURATION ("
              + values.get("lease-duration")
              + ") must be whole seconds "
              + "and longer than L2LB_LEASE_INTERVAL ("
              + values.get("lease-interval")
              + "), e.g. 1s and 3s: a Lease renewed less often than it lasts looks dead between renewals");
    }
    Duration garpInterval = duration(values, "garp-interval");
    if (garpInterval.isZero()) {
      throw new ConfigException("L2LB_GARP_INTERVAL must be positive, e.g. 1s");
    }
    Duration fenceTimeout = duration(values, "fence-check-timeout");
    Duration resync = duration(values, "resync-interval");
    if (fenceTimeout.isZero() || resync.isZero()) {
      throw new ConfigException(
          "L2LB_FENCE_CHECK_TIMEOUT and L2LB_RESYNC_INTERVAL must be positive, e.g. 2s and 10s");
    }
    int port = port(values.get("metrics-port"));
    Optional<Path> kubeconfig = Optional.ofNullable(values.get("kubeconfig")).map(Path::of);
    if (kubeconfig.isPresent() && !Files.isReadable(kubeconfig.get())) {
      throw new ConfigException(
          "kubeconfig "
              + kubeconfig.get()
              + " (--kubeconfig / KUBECONFIG) is not a "
              + "readable file: fix the path, or leave both unset to use the in-cluster service account");
    }
    return new SpeakerConfig(
        node,
        values.get("namespace"),
        leaseInterval,
        leaseDuration,
        garpInterval,
        duration(values, "garp-duration"),
        duration(values, "refresh-interval"),
        fenceTimeout,
        resync,
        values.get("metrics-address"),
        port,
        kubeconfig,
        Optional.ofNullable(values.get("interface")));
  }

  private static Map<String, String> flags(List<String> args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new ConfigException(
            "unexpected argument '" + a + "'; settings are --name=value flags\n" + usage());
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new ConfigException("flag --" + name + " needs a value\n" + usage());
      }
      String known = name;
      if (OPTIONS.stream().noneMatch(o -> o.flag().equals(known))) {
        throw new ConfigException("unknown flag --" + name + "\n" + usage());
      }
      flags.put(name, value);
    }
    return flags;
  }

  static Duration duration(Map<String, String> values, String flag) {
    String text = values.get(flag);
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    Option o = OPTIONS.stream().filter(x -> x.flag().equals(flag)).findFirst().orElseThrow();
    if (!m.matches()) {
      throw new ConfigException(
          o.env()
              + " / --"
              + flag
              + " = '"
              + text
              + "' is not a duration: write e.g. 500ms, 2s or 1m (a bare number means seconds)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static int port(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ConfigException(
        "L2LB_METRICS_PORT / --metrics-port = '" + text + "' is not a TCP port (0-65535)");
  }

  public static String usage() {
    StringBuilder b = new StringBuilder("usage: l2lb-speaker [--flag=value]...\n");
    for (Option o : OPTIONS) {
      b.append(
          String.format(
              "  --%-20s %-26s %s%s%n",
              o.flag(),
              "$" + o.env(),
              o.help(),
              o.fallback() == null ? "" : " [" + o.fallback() + "]"));
    }
    return b.toString();
  }

  /** A setting is missing or malformed; the message names it and the fix. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
