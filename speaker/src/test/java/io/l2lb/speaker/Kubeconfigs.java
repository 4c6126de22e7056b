package io.l2lb.speaker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfig files for speakers started by tests (one with a ServiceAccount token: {@code
 * ShippedRbac.kubeconfig}).
 */
public final class Kubeconfigs {

  private Kubeconfigs() {}

  /** The test cluster's admin kubeconfig with its server URL replaced. */
  public static Path withServer(Path file, String adminKubeconfigYaml, String server) {
    String yaml = adminKubeconfigYaml.replaceFirst("server: \\S+", "server: " + server);
    if (yaml.equals(adminKubeconfigYaml)) {
      throw new IllegalStateException("no server: line in the kubeconfig");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
