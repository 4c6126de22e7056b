package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.testkit.RepoRoot;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real bash completion: bash sources completions/kubectl-l2lb.bash (the generated file) and runs
 * the completion function the way readline does (COMP_WORDS / COMP_CWORD, then COMPREPLY), with the
 * packaged plugin on PATH against the real API server; and kubectl's own bash completion (`kubectl
 * completion bash`) completes `kubectl l2lb ...` through kubectl_complete-l2lb.
 */
class CompletionE2E extends CliTestBase {

  private String bash(String script) throws Exception {
    Path dist =
        Path.of(System.getProperty("l2lb.cli.dist", "target/kubectl-l2lb")).toAbsolutePath();
    assertThat(dist.resolve("kubectl_complete-l2lb")).isExecutable();
    Path kubectl = cluster.binaryDir().resolve("kubectl");
    ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", script);
    Map<String, String> env = pb.environment();
    env.put("PATH", dist + ":" + kubectl.getParent() + ":" + System.getenv("PATH"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", Files.createTempDirectory("completion-home").toString());
    env.put("L2LB_NO_CACHE", "1");
    Path out = Files.createTempFile("bash", ".out");
    pb.redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String s = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(s).isZero();
    return s;
  }

  /** What TAB offers after {@code line} (words split on spaces, the last one being typed). */
  private List<String> complete(String setup, String function, String line) throws Exception {
    String[] words = line.split(" ", -1);
    StringBuilder arr = new StringBuilder();
    for (String w : words) {
      arr.append(" '").append(w).append("'");
    }
    String out =
        bash(
            setup
                + "\nCOMP_WORDS=("
                + arr
                + ")\nCOMP_CWORD="
                + (words.length - 1)
                + "\nCOMP_LINE='"
                + line
                + "'\nCOMP_POINT=${#COMP_LINE}\nCOMPREPLY=()\n"
                + function
                + "\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
    // compopt (kubectl's script) complains when readline is not the caller, as here
    return out.lines()
        .filter(l -> !l.isEmpty())
        .filter(l -> !l.endsWith("compopt: not currently executing completion function"))
        .toList();
  }

  private List<String> plugin(String line) throws Exception {
    String script = RepoRoot.get().resolve("completions/kubectl-l2lb.bash").toString();
    return complete("source " + script, "_kubectl_l2lb kubectl-l2lb", "kubectl-l2lb " + line);
  }

  private List<String> viaKubectl(String line) throws Exception {
    // kubectl's script needs the bash-completion package (scripts/test.sh installs it), which
    // loads only into a shell that looks interactive (PS1 set)
    Path bashCompletion = Path.of("/usr/share/bash-completion/bash_completion");
    assertThat(bashCompletion).as("the bash-completion package").isRegularFile();
    return complete(
        "PS1='$ '\nsource " + bashCompletion + "\nsource <(kubectl completion bash)",
        "__start_kubectl kubectl",
        "kubectl l2lb " + line);
  }

  @Test
  void bashCompletesCommandsOptionsAndLiveNames() throws Exception {
    String script = RepoRoot.get().resolve("completions/kubectl-l2lb.bash").toString();
    assertThat(bash("source " + script + "\ncomplete -p kubectl-l2lb"))
        .isEqualTo("complete -o default -F _kubectl_l2lb kubectl-l2lb\n");

    createClass("bc-" + id, List.of("198.18.61.0/28"), Map.of(), false);
    createNode("bn-" + id, Map.of());
    fixtures.service("web-" + id).create();
    fixtures.service("db-" + id).create();

    assertThat(plugin(""))
        .contains("where", "create", "expose", "simulate", "install")
        .doesNotContain("__complete");
    assertThat(plugin("ex")).containsExactly("expose");
    assertThat(plugin("where -o ")).containsExactly("table", "wide", "json", "yaml");
    assertThat(plugin("where --wa")).containsExactly("--watch");
    assertThat(plugin("-n " + namespace + " where ")).containsExactly("db-" + id, "web-" + id);
    assertThat(plugin("expose svc web --class bc-")).containsExactly("bc-" + id);
    assertThat(plugin("simulate failover --node bn-")).containsExactly("bn-" + id);
    assertThat(plugin("validate class bc")).containsExactly("bc-" + id);

    // kubectl's completion of the plugin: kubectl runs kubectl_complete-l2lb from PATH
    assertThat(viaKubectl("wh")).containsExactly("where");
    assertThat(viaKubectl("where -n " + namespace + " w")).containsExactly("web-" + id);
    assertThat(viaKubectl("simulate failover --node bn-")).containsExactly("bn-" + id);
  }
}
