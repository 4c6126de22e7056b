package io.l2lb.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as kubectl users write them: 500ms, 5s, 2m, 1h, 1m30s, or a bare number of seconds. */
public final class Durations {
  private Durations() {}

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  public static Duration parse(String option, String text) {
    String t = text == null ? "" : text.strip();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    Matcher m = PART.matcher(t);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (t.isEmpty() || end != t.length()) {
      throw CliError.usage(
          option + " " + text + ": not a duration; write e.g. 500ms, 5s, 2m or 1m30s");
    }
    return d;
  }

  /** 3s, 2m5s, 1h2m: kubectl's AGE style (two units at most). */
  public static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 3 * 3600) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    return s / 86400 + "d";
  }
}
