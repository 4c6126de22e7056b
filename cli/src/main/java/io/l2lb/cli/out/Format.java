package io.l2lb.cli.out;

import io.l2lb.cli.CliError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code -o}: how a command prints its result. */
public enum Format {
  TABLE,
  WIDE,
  JSON,
  YAML;

  /**
   * @param allowed the formats the command supports (none given: all)
   */
  public static Format parse(String text, Format... allowed) {
    Format[] ok = allowed.length == 0 ? values() : allowed;
    if (text == null || text.isBlank()) {
      return ok[0];
    }
    for (Format f : ok) {
      if (f.name().equalsIgnoreCase(text.strip())) {
        return f;
      }
    }
    throw CliError.usage(
        "--output "
            + text
            + ": not a format of this command; use "
            + Arrays.stream(ok)
                .map(f -> f.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }

  public boolean structured() {
    return this == JSON || this == YAML;
  }
}
