package io.l2lb.speaker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files for speakers started by tests. */
public final class Kubeconfigs {

  private Kubeconfigs() {}

  /**
   * A kubeconfig that authenticates with a bearer token (a ServiceAccount's, from a TokenRequest).
   */
  public static Path withToken(Path file, String server, String caFile, String token) {
    String yaml =
        "apiVersion: v1\nkind: Config\n"
            + "clusters:\n- name: lab\n  cluster:\n    server: "
            + server
            + "\n    certificate-authority: "
            + caFile
            + "\n"
            + "users:\n- name: speaker\n  user:\n    token: "
            + token
            + "\n"
            + "contexts:\n- name: lab\n  context:\n    cluster: lab\n    user: speaker\n"
            + "current-context: lab\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
