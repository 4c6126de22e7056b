package io.l2lb.kind;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads the final ENTRYPOINT and USER of the project's Dockerfiles (images/NAME/Dockerfile). */
final class Dockerfiles {
  private Dockerfiles() {}

  static Path of(Path repoRoot, String name) {
    return repoRoot.resolve("images").resolve(name).resolve("Dockerfile");
  }

  /** The last ENTRYPOINT, which must be in exec (JSON array) form. */
  static List<String> entrypoint(Path dockerfile) {
    String json =
        last(dockerfile, "ENTRYPOINT")
            .orElseThrow(() -> new AssertionError(dockerfile + " has no ENTRYPOINT"));
    if (!json.startsWith("[")) {
      throw new AssertionError(
          dockerfile + ": ENTRYPOINT must be in exec form [\"java\", ...], not " + json);
    }
    return Arrays.asList(Serialization.unmarshal(json, String[].class));
  }

  /** The last USER, if any. */
  static Optional<String> user(Path dockerfile) {
    return last(dockerfile, "USER");
  }

  private static Optional<String> last(Path dockerfile, String instruction) {
    try {
      String found = null;
      for (String line : Files.readAllLines(dockerfile)) {
        String t = line.strip();
        if (t.regionMatches(true, 0, instruction + " ", 0, instruction.length() + 1)) {
          found = t.substring(instruction.length() + 1).strip();
        }
      }
      return Optional.ofNullable(found);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
