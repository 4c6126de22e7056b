package io.l2lb.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the l2lb repository root: system property {@value #PROPERTY} (set by the
 * surefire/failsafe configuration of each module to {@code ${maven.multiModuleProjectDirectory}}),
 * else the nearest directory at or above the working directory that holds {@code mvnw}.
 */
public final class RepoRoot {

  public static final String PROPERTY = "l2lb.repo.root";

  private RepoRoot() {}

  public static Path get() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Paths.get(configured).toAbsolutePath().normalize();
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
      throw new IllegalStateException(
          "-D"
              + PROPERTY
              + "="
              + configured
              + " does not point at the l2lb repository root (no mvnw there)");
    }
    return walkUp(Paths.get(System.getProperty("user.dir")));
  }

  static Path walkUp(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the l2lb repository root (a directory holding mvnw) at or above "
            + start.toAbsolutePath()
            + "; set -D"
            + PROPERTY
            + "=<path>");
  }
}
