package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code __complete} (kubectl's plugin completion protocol) and {@code completion}. */
class CompleteIT extends CliTestBase {

  private List<String> complete(String... words) {
    String[] args = new String[words.length + 1];
    args[0] = "__complete";
    System.arraycopy(words, 0, args, 1, words.length);
    Result r = run(args);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).isEmpty();
    return r.out().lines().toList();
  }

  @Test
  void commandsAndSubcommands() {
    assertThat(complete(""))
        .containsExactly(
            "completion",
            "create",
            "expose",
            "help",
            "install",
            "simulate",
            "status",
            "uninstall",
            "validate",
            "version",
            "where",
            ":4");
    assertThat(complete("ex")).containsExactly("expose", ":4");
    assertThat(complete("expose", "")).containsExactly("deployment", "svc", ":4");
    assertThat(complete("where", "--wa")).containsExactly("--watch", ":4");
    assertThat(complete("where", "-o", "")).containsExactly("table", "wide", "json", "yaml", ":4");
    assertThat(complete("completion", "")).containsExactly("bash", "zsh", "fish", ":4");
    assertThat(complete("validate", "-f", "")).containsExactly(":0");
  }

  @Test
  void namesFromTheCluster() {
    createClass("cc-" + id, List.of("198.18.60.0/28"), Map.of(), false);
    createNode("cn-" + id, Map.of());
    fixtures.service("web-" + id).create();
    fixtures.service("db-" + id).create();
    assertThat(complete("expose", "svc", "web", "--class", "cc-"))
        .containsExactly("cc-" + id, ":4");
    assertThat(complete("simulate", "failover", "--node", "cn-")).containsExactly("cn-" + id, ":4");
    assertThat(complete("-n", namespace, "where", ""))
        .containsExactly("db-" + id, "web-" + id, ":4");
    assertThat(complete("where", "-n", namespace, "we")).containsExactly("web-" + id, ":4");
    assertThat(complete("validate", "class", "cc")).containsExactly("cc-" + id, ":4");
    assertThat(complete("--context", "")).hasSize(2).last().isEqualTo(":4");
    assertThat(complete("-n", "")).contains(namespace, ":4");
  }

  @Test
  void unreachableClusterMeansNoCandidatesNotAnError() {
    java.util.Map<String, String> env = env();
    env.put("KUBECONFIG", "/does/not/exist");
    Result r = runWith(env, "", "__complete", "where", "");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(":4\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void completionScripts() {
    assertThat(run("completion", "bash").out())
        .contains("complete -o default -F _kubectl_l2lb kubectl-l2lb")
        .contains("\"${__l2lb_prog:-kubectl-l2lb}\" __complete \"$@\"");
    assertThat(run("completion", "zsh").out()).startsWith("#compdef kubectl-l2lb");
    assertThat(run("completion", "fish").out()).contains("complete -c kubectl-l2lb");
    Result bad = run("completion", "tcsh");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("completion tcsh: use bash, zsh or fish");
  }
}
