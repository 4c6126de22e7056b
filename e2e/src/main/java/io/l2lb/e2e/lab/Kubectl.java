package io.l2lb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl} against the lab, with the packaged {@code kubectl-l2lb} launcher on
 * PATH, so {@code kubectl l2lb ...} goes through kubectl's plugin discovery exactly as a user's
 * does.
 */
public final class Kubectl {
  /** How a command ended. */
  public record Result(List<String> command, int exitCode, String out, String err, Duration took) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Throws with the command, exit code and stderr unless it exited 0. */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + exitCode + ":\n" + err + out);
      }
      return this;
    }
  }

  private final Path kubectl;
  private final Path pluginDir;
  private final Path kubeconfig;

  public Kubectl(Path kubectl, Path pluginDir, Path kubeconfig) {
    this.kubectl = kubectl;
    this.pluginDir = pluginDir;
    this.kubeconfig = kubeconfig;
    if (!Files.isExecutable(pluginDir.resolve("kubectl-l2lb"))) {
      throw new IllegalStateException(
          "the kubectl-l2lb launcher is not built in "
              + pluginDir
              + ": run ./mvnw -pl cli -am package -DskipTests");
    }
  }

  /** The lab's kubectl, the repository's built plugin, the lab's admin kubeconfig. */
  public static Kubectl forLab(StoryLab lab, Path repoRoot) {
    // L2LB_CLI_DIR: a launcher built elsewhere (e.g. another checkout)
    String dir =
        System.getenv()
            .getOrDefault("L2LB_CLI_DIR", repoRoot.resolve("cli/target/kubectl-l2lb").toString());
    return new Kubectl(lab.controlPlane().kubectl(), Path.of(dir), lab.kubeconfig());
  }

  public Path pluginDir() {
    return pluginDir;
  }

  public Path kubectl() {
    return kubectl;
  }

  /** {@code kubectl l2lb ARGS...}. */
  public Result l2lb(String... args) {
    List<String> all = new ArrayList<>(List.of("l2lb"));
    all.addAll(List.of(args));
    return run(all);
  }

  public Result run(String... args) {
    return run(List.of(args));
  }

  public Result run(List<String> args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString()));
    command.addAll(args);
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("PATH", pluginDir + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("NO_COLOR", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not end within 3 min");
        }
        return new Result(
            command,
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8),
            Duration.ofNanos(System.nanoTime() - t0));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
