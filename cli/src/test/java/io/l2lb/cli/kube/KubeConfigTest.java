package io.l2lb.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.l2lb.cli.CliError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's kubeconfig rules: explicit file, KUBECONFIG merge (first wins), relative paths,
 * namespace.
 */
class KubeConfigTest {
  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void mergesKubeconfigListFirstFileWins() throws Exception {
    Path a =
        write(
            "a",
            """
        contexts:
        - name: dev
          context: {cluster: dev, user: me, namespace: team}
        clusters:
        - name: dev
          cluster: {server: "https://a.example:6443/", certificate-authority: ca.crt}
        """);
    write("ca.crt", "CA");
    Path b =
        write(
            "b",
            """
        current-context: dev
        contexts:
        - name: dev
          context: {cluster: other, user: nobody}
        clusters:
        - name: dev
          cluster: {server: "https://b.example"}
        users:
        - name: me
          user: {token: secret}
        """);
    KubeConfig c =
        KubeConfig.load(null, Map.of("KUBECONFIG", a + ":" + dir.resolve("missing") + ":" + b));
    KubeConfig.Access x = c.resolve(null, null, Map.of());
    assertThat(x.contextName()).isEqualTo("dev");
    assertThat(x.server()).isEqualTo("https://a.example:6443");
    assertThat(x.namespace()).isEqualTo("team");
    assertThat(x.token()).isEqualTo("secret");
    assertThat(new String(x.caPem(), StandardCharsets.UTF_8)).isEqualTo("CA");
    assertThat(c.resolve(null, "override", Map.of()).namespace()).isEqualTo("override");
  }

  @Test
  void explicitFileMustExistAndContextMustBeKnown() throws Exception {
    assertThatThrownBy(() -> KubeConfig.load(dir.resolve("nope").toString(), Map.of()))
        .isInstanceOfSatisfying(CliError.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("no such file");
    Path a = write("a", "contexts: []\n");
    KubeConfig c = KubeConfig.load(a.toString(), Map.of());
    assertThatThrownBy(() -> c.resolve(null, null, Map.of()))
        .hasMessageContaining("no current context");
    assertThatThrownBy(() -> c.resolve("x", null, Map.of()))
        .hasMessageContaining("context \"x\" not found");
  }

  @Test
  void noKubeconfigAtAllNamesTheFixes() {
    KubeConfig c = KubeConfig.load(null, Map.of("HOME", dir.toString()));
    assertThatThrownBy(() -> c.resolve(null, null, Map.of()))
        .hasMessage(
            "no kubeconfig found: set KUBECONFIG, pass --kubeconfig FILE, or write ~/.kube/config");
  }

  @Test
  void defaultNamespaceAndInlineData() throws Exception {
    Path a =
        write(
            "a",
            """
        current-context: c
        contexts: [{name: c, context: {cluster: k, user: u}}]
        clusters: [{name: k, cluster: {server: "https://k", certificate-authority-data: Q0E=}}]
        users: [{name: u, user: {username: admin, password: pw}}]
        """);
    KubeConfig.Access x =
        KubeConfig.load(null, Map.of("KUBECONFIG", a.toString())).resolve(null, null, Map.of());
    assertThat(x.namespace()).isEqualTo("default");
    assertThat(new String(x.caPem(), StandardCharsets.UTF_8)).isEqualTo("CA");
    assertThat(x.username()).isEqualTo("admin");
  }
}
