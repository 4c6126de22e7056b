package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.l2lb.testkit.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error path: one clear line on stderr and the documented exit code. */
class ErrorsIT extends CliTestBase {

  @Test
  void unreachableClusterIsOneLineAndExit1() throws IOException {
    Path cfg = Files.createTempFile("unreachable", ".kubeconfig");
    writeFile(
        cfg,
        cluster
            .kubeconfigYaml()
            .replaceAll("server: https://127.0.0.1:\\d+", "server: https://127.0.0.1:1"));
    Result r = run("--kubeconfig", cfg.toString(), "where", "-A");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: cannot reach the API server https://127.0.0.1:1 (context \"")
        .contains("connection refused; is the cluster up, and are --context/--kubeconfig right?")
        .doesNotContain("Exception")
        .hasLineCount(1);
  }

  @Test
  void stackTraceOnlyWithVerbose() throws IOException {
    Path cfg = Files.createTempFile("unreachable", ".kubeconfig");
    writeFile(
        cfg,
        cluster
            .kubeconfigYaml()
            .replaceAll("server: https://127.0.0.1:\\d+", "server: https://127.0.0.1:1"));
    Result r = run("--kubeconfig", cfg.toString(), "where", "-A", "-v");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("java.net.ConnectException").contains("\tat ");
  }

  @Test
  void crdMissingSaysToInstall() {
    try (TestCluster bare = TestCluster.startDedicated()) {
      Path cfg = kubeconfigOf(bare);
      for (String[] args : new String[][] {{"where", "-A"}, {"status"}, {"validate"}}) {
        Result r = run(prepend("--kubeconfig", cfg.toString(), args));
        assertThat(r.code()).as("%s: %s", String.join(" ", args), r).isEqualTo(1);
        assertThat(r.err())
            .isEqualTo("error: l2lb is not installed here: run `kubectl l2lb install`\n");
      }
    }
  }

  @Test
  void forbiddenNamesThePermission() throws IOException {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("nobody").endMetadata().build())
        .create();
    TokenRequest tr =
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .withName("nobody")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build());
    String server = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
    Path cfg = Files.createTempFile("nobody", ".kubeconfig");
    writeFile(
        cfg,
        "apiVersion: v1\nkind: Config\ncurrent-context: nobody\n"
            + "clusters:\n- name: c\n  cluster:\n    server: "
            + server
            + "\n    insecure-skip-tls-verify: true\n"
            + "contexts:\n- name: nobody\n  context:\n    cluster: c\n    user: nobody\n    namespace: "
            + namespace
            + "\n"
            + "users:\n- name: nobody\n  user:\n    token: "
            + tr.getStatus().getToken()
            + "\n");
    Result r = run("--kubeconfig", cfg.toString(), "where");
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "error: forbidden: l2announcements.internal.network.deckhouse.io is forbidden: User \"system:serviceaccount:"
                + namespace
                + ":nobody\" cannot list resource \"l2announcements\"")
        .endsWith("; ask your cluster admin for this permission or use another --context\n");
  }

  @Test
  void badFlagValuesAreUsageErrors() {
    Map<String[], String> cases =
        Map.of(
            new String[] {"where", "-o", "xml"},
                "error: --output xml: not a format of this command; use table, wide, json, yaml",
            new String[] {"where", "--request-timeout", "soon"},
                "error: --request-timeout soon: not a duration; write e.g. 500ms, 5s, 2m or 1m30s",
            new String[] {"where", "--frobnicate"}, "error: Unknown option: '--frobnicate'",
            new String[] {"expose", "svc", "web", "--ips", "three"},
                "error: Invalid value for option '--ips': 'three' is not an int",
            new String[] {"create", "class", "x", "--pool", "192.0.2.0/28", "--dry-run=maybe"},
                "error: --dry-run maybe: use none, client or server",
            new String[] {"version", "-o", "wide"},
                "error: --output wide: not a format of this command; use table, json, yaml",
            new String[] {}, "error: no command given");
    cases.forEach(
        (args, message) -> {
          Result r = run(args);
          assertThat(r.code()).as("%s: %s", String.join(" ", args), r).isEqualTo(2);
          assertThat(r.err()).as(String.join(" ", args)).startsWith(message);
          assertThat(r.out()).isEmpty();
        });
  }

  @Test
  void unknownContextIsAUsageError() {
    Result r = run("--context", "nope", "where");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("error: context \"nope\" not found in [")
        .contains("(contexts: ");
  }

  @Test
  void notFoundObjectsAreRuntimeErrors() {
    Result r = run("expose", "svc", "ghost", "--ips", "2", "-n", namespace);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("error: service \"ghost\" not found in namespace " + namespace + "\n");
    Result v = run("validate", "class", "ghost-" + id);
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.err()).startsWith("error: metalloadbalancerclass \"ghost-" + id + "\" not found");
  }

  @Test
  void kubeconfigListIsMergedAsKubectlDoes() throws IOException {
    // first file: only a context that names this test's namespace, no current-context;
    // second file: the cluster, the user, a current-context naming the first file's context
    String full = cluster.kubeconfigYaml();
    Path second = Files.createTempFile("second", ".kubeconfig");
    writeFile(second, full.replaceAll("current-context: .*", "current-context: mine"));
    Path first = Files.createTempFile("first", ".kubeconfig");
    String clusterName = full.replaceAll("(?s).*contexts:.*?cluster: (\\S+).*", "$1");
    String userName = full.replaceAll("(?s).*contexts:.*?user: (\\S+).*", "$1");
    writeFile(
        first,
        "apiVersion: v1\nkind: Config\ncontexts:\n- name: mine\n  context:\n    cluster: "
            + clusterName
            + "\n    user: "
            + userName
            + "\n    namespace: "
            + namespace
            + "\n");
    announce(namespace, "web", "192.0.2.10", "front-0", "front", true, null);
    Map<String, String> env = env();
    env.put("KUBECONFIG", first + ":/does/not/exist:" + second);
    Result r = runWith(env, "", "where");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("web       192.0.2.10   front-0   announced");
  }

  private static String[] prepend(String a, String b, String[] rest) {
    String[] out = new String[rest.length + 2];
    out[0] = a;
    out[1] = b;
    System.arraycopy(rest, 0, out, 2, rest.length);
    return out;
  }

  static Path kubeconfigOf(TestCluster c) {
    try {
      Path cfg = Files.createTempFile("dedicated", ".kubeconfig");
      Files.writeString(cfg, c.kubeconfigYaml());
      return cfg;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
