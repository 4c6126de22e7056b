package io.l2lb.operator;

import io.l2lb.core.Names;
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
 * The operator's settings. Each comes from a flag ({@code --namespace=x} or {@code --namespace x}),
 * else its environment variable, else the default. The Deployment sets POD_NAME and POD_NAMESPACE
 * from the downward API.
 */
public record OperatorConfig(
    String namespace,
    String speakerNamespace,
    String identity,
    boolean leaderElection,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration speakerLeaseDuration,
    int writeConcurrency,
    Duration resyncInterval,
    Duration releaseTimeout,
    String metricsAddress,
    int metricsPort,
    Optional<Path> kubeconfig,
    String logLevel) {

  /** A setting: flag name, environment variable, default (null = none), help. */
  record Option(String flag, String env, String fallback, String help) {}

  static final List<Option> OPTIONS =
      List.of(
          new Option(
              "namespace",
              "POD_NAMESPACE",
              Names.Components.NAMESPACE,
              "namespace of the operator (its leader Lease and its own Namespace object)"),
          new Option(
              "speaker-namespace",
              "L2LB_SPEAKER_NAMESPACE",
              "",
              "namespace of the speaker Leases l2lb-speaker-<node> (empty = --namespace)"),
          new Option(
              "identity",
              "POD_NAME",
              "",
              "holderIdentity in the leader Lease (empty = HOSTNAME, else a random id)"),
          new Option(
              "leader-election",
              "L2LB_LEADER_ELECTION",
              "true",
              "elect a leader through Lease " + Names.Components.OPERATOR_LEADER_LEASE),
          new Option("lease-duration", "L2LB_LEASE_DURATION", "15s", "leader Lease duration"),
          new Option(
              "renew-deadline",
              "L2LB_RENEW_DEADLINE",
              "10s",
              "the leader gives up (and exits) when it cannot renew for this long"),
          new Option(
              "retry-period",
              "L2LB_RETRY_PERIOD",
              "2s",
              "how often the leader renews and a standby tries to acquire"),
          new Option(
              "speaker-lease-duration",
              "L2LB_SPEAKER_LEASE_DURATION",
              "3s",
              "speaker Lease duration assumed when a Lease does not say"),
          new Option(
              "write-concurrency",
              "L2LB_WRITE_CONCURRENCY",
              "32",
              "API writes in flight at once (order-independent writes run in parallel)"),
          new Option(
              "resync-interval",
              "L2LB_RESYNC_INTERVAL",
              "10m",
              "full recomputation at least this often, even without events"),
          new Option(
              "release-timeout",
              "L2LB_RELEASE_TIMEOUT",
              "1s",
              "a move off a node whose speaker is alive waits for that speaker to report the IP"
                  + " released, at most this long (0 = move in one write)"),
          new Option(
              "metrics-address",
              "L2LB_METRICS_ADDRESS",
              "0.0.0.0",
              "address of /metrics, /healthz, /readyz"),
          new Option(
              "metrics-port", "L2LB_METRICS_PORT", "8080", "port of /metrics, /healthz, /readyz"),
          new Option(
              "kubeconfig",
              "KUBECONFIG",
              "",
              "kubeconfig file (empty = in-cluster service account)"),
          new Option(
              "log-level",
              "L2LB_LOG_LEVEL",
              "info",
              "trace, debug, info, warn or error (key=value lines on stderr)"));

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  public static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message);
    }
  }

  public static String usage() {
    StringBuilder sb =
        new StringBuilder(
            "l2lb operator: allocates IPs, places them on nodes, fails them over.\n\n"
                + "Settings (flag, else environment variable, else default):\n");
    for (Option o : OPTIONS) {
      sb.append(
          String.format(
              "  --%-24s %-28s default %-12s %s%n",
              o.flag(),
              o.env(),
              o.fallback() == null || o.fallback().isEmpty() ? "-" : o.fallback(),
              o.help()));
    }
    sb.append("\nDurations: 500ms, 2s, 1m, or a bare number of seconds.\n");
    return sb.toString();
  }

  public static OperatorConfig parse(List<String> args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      String v = env.get(o.env());
      values.put(o.flag(), v != null && !v.isBlank() ? v.trim() : o.fallback());
    }
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new ConfigException("unexpected argument '" + a + "'; see --help");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException("--" + name + " needs a value; see --help");
      }
      String flag = name;
      if (OPTIONS.stream().noneMatch(o -> o.flag().equals(flag))) {
        throw new ConfigException("unknown flag --" + name + "; see --help");
      }
      values.put(name, value.trim());
    }
    String namespace = values.get("namespace");
    if (namespace.isEmpty()) {
      throw new ConfigException("POD_NAMESPACE / --namespace is empty; set the operator namespace");
    }
    String speakerNs = values.get("speaker-namespace");
    String identity = values.get("identity");
    if (identity.isEmpty()) {
      identity = env.getOrDefault("HOSTNAME", "");
    }
    if (identity.isEmpty()) {
      identity = "l2lb-operator-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    }
    Duration lease = duration(values, "lease-duration");
    Duration renew = duration(values, "renew-deadline");
    Duration retry = duration(values, "retry-period");
    if (!(retry.compareTo(renew) < 0 && renew.compareTo(lease) < 0)) {
      throw new ConfigException(
          "leader election needs retry-period < renew-deadline < lease-duration; got "
              + retry
              + ", "
              + renew
              + ", "
              + lease
              + " (L2LB_RETRY_PERIOD, L2LB_RENEW_DEADLINE, L2LB_LEASE_DURATION)");
    }
    Optional<Path> kubeconfig =
        values.get("kubeconfig").isEmpty()
            ? Optional.empty()
            : Optional.of(Path.of(values.get("kubeconfig")));
    if (kubeconfig.isPresent() && !Files.isReadable(kubeconfig.get())) {
      throw new ConfigException(
          "KUBECONFIG / --kubeconfig " + kubeconfig.get() + " is not a readable file");
    }
    String level = values.get("log-level").toLowerCase(Locale.ROOT);
    if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
      throw new ConfigException(
          "L2LB_LOG_LEVEL / --log-level = '" + level + "': use trace, debug, info, warn or error");
    }
    return new OperatorConfig(
        namespace,
        speakerNs.isEmpty() ? namespace : speakerNs,
        identity,
        bool(values, "leader-election"),
        lease,
        renew,
        retry,
        duration(values, "speaker-lease-duration"),
        positiveInt(values, "write-concurrency", 1, 512),
        duration(values, "resync-interval"),
        durationOrZero(values, "release-timeout"),
        values.get("metrics-address"),
        positiveInt(values, "metrics-port", 0, 65535),
        kubeconfig,
        level);
  }

  private static Option option(String flag) {
    return OPTIONS.stream().filter(x -> x.flag().equals(flag)).findFirst().orElseThrow();
  }

  static boolean bool(Map<String, String> values, String flag) {
    String v = values.get(flag).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new ConfigException(
              option(flag).env() + " / --" + flag + " = '" + v + "': use true or false");
    };
  }

  static int positiveInt(Map<String, String> values, String flag, int min, int max) {
    String v = values.get(flag);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          option(flag).env()
              + " / --"
              + flag
              + " = '"
              + v
              + "': use a whole number from "
              + min
              + " to "
              + max);
    }
  }

  static Duration duration(Map<String, String> values, String flag) {
    Duration d = durationOrZero(values, flag);
    if (d.isZero()) {
      throw new ConfigException(option(flag).env() + " / --" + flag + " must be above 0");
    }
    return d;
  }

  static Duration durationOrZero(Map<String, String> values, String flag) {
    String text = values.get(flag);
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(
          option(flag).env()
              + " / --"
              + flag
              + " = '"
              + text
              + "' is not a duration: write e.g. 500ms, 2s or 1m (a bare number means seconds)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
    return d;
  }
}
