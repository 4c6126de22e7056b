package io.l2lb.kind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl l2lb} as a user gets it: the krew archive dist/ builds, unpacked the way krew
 * installs it (the files in a store directory, only the launcher linked into a bin directory on
 * PATH), run through the real kubectl, which finds the plugin on PATH (plugin discovery). The
 * archive's own Java runtime runs the CLI. The kubeconfig comes from {@code KUBECONFIG}: kubectl
 * does not pass flags placed before a plugin's name.
 */
final class KubectlPlugin {

  private final Path kubectl;
  private final Path bin;
  private final Path launcher;
  private final Map<String, String> env;

  private KubectlPlugin(Path kubectl, Path bin, Path launcher, Map<String, String> env) {
    this.kubectl = kubectl;
    this.bin = bin;
    this.launcher = launcher;
    this.env = env;
  }

  /** The archive dist/ builds for this machine's platform, or null when there is none. */
  static Path archive(Path repoRoot) {
    Path target = repoRoot.resolve("dist/target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(target, "kubectl-l2lb_v*_linux_amd64.tar.gz")) {
      for (Path p : s) {
        return p;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  /** Unpacks {@code archive} into a fresh directory and links its launcher as krew does. */
  static KubectlPlugin install(Path archive, Path kubectl, Path kubeconfig) {
    try {
      Path root = Files.createTempDirectory("l2lb-kind-plugin");
      Path store = Files.createDirectories(root.resolve("store/l2lb"));
      Path bin = Files.createDirectories(root.resolve("bin"));
      Commands.run(
              List.of("tar", "-xzf", archive.toString(), "-C", store.toString()),
              Duration.ofMinutes(2),
              null)
          .orFail();
      Path launcher = store.resolve("kubectl-l2lb");
      Files.createSymbolicLink(bin.resolve("kubectl-l2lb"), launcher);
      String path =
          bin + ":" + kubectl.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin");
      return new KubectlPlugin(
          kubectl, bin, launcher, Map.of("KUBECONFIG", kubeconfig.toString(), "PATH", path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The launcher as krew links it: PATH entry {@code bin/kubectl-l2lb}. */
  Path linked() {
    return bin.resolve("kubectl-l2lb");
  }

  Path launcher() {
    return launcher;
  }

  /** {@code kubectl l2lb ARGS...}, with a limit of {@code limit}. */
  Commands.Result l2lb(Duration limit, String... args) {
    List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "l2lb"));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, env, limit, null);
  }

  /** {@code kubectl l2lb ARGS...} within two minutes. */
  Commands.Result l2lb(String... args) {
    return l2lb(Duration.ofMinutes(2), args);
  }

  /** kubectl itself, in the same environment (e.g. {@code plugin list}). */
  Commands.Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of(kubectl.toString()));
    cmd.addAll(List.of(args));
    return Commands.run(cmd, env, Duration.ofMinutes(2), null);
  }
}
