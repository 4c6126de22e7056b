package io.l2lb.kind;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;

/**
 * What the Docker suites need, found or reported. A suite whose prerequisites are missing prints
 * exactly one line {@code not run: <reason>} and fails: it never counts as passed (and is not a
 * JUnit assumption, which reports "skipped"). Set up everything with scripts/kind-test.sh.
 */
final class KindPrerequisites {
  private KindPrerequisites() {}

  /** kind's CLI: -Dl2lb.kind, $KIND, else scripts/kind-images.sh's build. */
  static Path kind() {
    return tool("l2lb.kind", "KIND", cache().resolve("kind-node/bin/kind"));
  }

  /** kubectl of the node image's Kubernetes release: -Dl2lb.kubectl, $KUBECTL, else its build. */
  static Path kubectl(ProjectImages images) {
    return tool(
        "l2lb.kubectl",
        "KUBECTL",
        cache().resolve("kind-node/v" + images.kubernetesVersion() + "/bin/kubectl"));
  }

  private static Path cache() {
    String c = System.getenv("L2LB_CACHE");
    if (c != null && !c.isBlank()) {
      return Path.of(c);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("l2lb");
  }

  private static Path tool(String property, String env, Path fallback) {
    String p = System.getProperty(property);
    if (p == null || p.isBlank()) {
      p = System.getenv(env);
    }
    return p == null || p.isBlank() ? fallback : Path.of(p);
  }

  /** The Docker engine through Testcontainers, or throws with the "not run" line. */
  static DockerClient docker(String suite) {
    DockerClient client;
    try {
      client = DockerClientFactory.instance().client();
    } catch (RuntimeException e) {
      throw notRun(
          suite,
          "Testcontainers finds no usable Docker engine ("
              + firstLine(e.getMessage())
              + "); start one with scripts/docker-engine.sh");
    }
    Version v = client.versionCmd().exec();
    System.out.printf(
        "%s: Docker engine %s, API %s, through Testcontainers %s%n",
        suite,
        v.getVersion(),
        v.getApiVersion(),
        DockerClientFactory.class.getPackage().getImplementationVersion());
    return client;
  }

  /** Every one of {@code images} exists in the engine, or throws with the "not run" line. */
  static void requireImages(String suite, DockerClient docker, List<String> images) {
    List<String> missing = new ArrayList<>();
    for (String image : images) {
      try {
        docker.inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        missing.add(image);
      }
    }
    if (!missing.isEmpty()) {
      throw notRun(
          suite,
          "image(s) "
              + String.join(", ", missing)
              + " not built; run scripts/images.sh and scripts/kind-images.sh (or scripts/kind-test.sh)");
    }
  }

  static void requireExecutable(String suite, Path tool, String buildHint) {
    if (!Files.isExecutable(tool)) {
      throw notRun(suite, tool + " not found; " + buildHint);
    }
  }

  /** Prints the one line and returns the failure to throw. */
  static AssertionError notRun(String suite, String reason) {
    String line = "not run: " + suite + ": " + reason;
    System.out.println(line);
    return new AssertionError(line);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
