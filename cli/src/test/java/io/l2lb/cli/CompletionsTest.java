package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.cli.cmd.Completions;
import io.l2lb.cli.out.Term;
import io.l2lb.testkit.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * completions/ is generated from the command tree: the checked-in files must be what the tree makes
 * now (run with -Dl2lb.updateCompletions=true to rewrite them), and the generated shell engine must
 * answer as {@code __complete} does, or hand the words to it for names from the cluster.
 */
class CompletionsTest {
  static final Path DIR = RepoRoot.get().resolve("completions");

  /** The whole tree, as `completion` and `__complete` see it. */
  static CommandLine tree() {
    CommandLine cl = new CommandLine(new Main());
    Main.COMMANDS.forEach(cl::addSubcommand);
    return cl;
  }

  @Test
  void checkedInCompletionsAreTheGeneratedOnes() throws IOException {
    Map<String, String> files = Completions.files(tree());
    if (Boolean.getBoolean("l2lb.updateCompletions")) {
      Files.createDirectories(DIR);
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path p = DIR.resolve(f.getKey());
        Files.writeString(p, f.getValue());
        Files.setPosixFilePermissions(
            p,
            PosixFilePermissions.fromString(
                f.getKey().startsWith("kubectl_") ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    try (Stream<Path> s = Files.list(DIR)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .as("completions/")
          .containsExactlyInAnyOrderElementsOf(files.keySet());
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertThat(Files.readString(DIR.resolve(f.getKey())))
          .as(
              "completions/%s differs from what the command tree generates: rewrite it with"
                  + " ./mvnw -pl cli -am test -Dtest=CompletionsTest -Dl2lb.updateCompletions=true"
                  + " -Dsurefire.failIfNoSpecifiedTests=false",
              f.getKey())
          .isEqualTo(f.getValue());
    }
    assertThat(DIR.resolve("kubectl_complete-l2lb")).isExecutable();
    // and `kubectl l2lb completion SHELL` prints the same
    for (String shell : List.of("bash", "zsh", "fish")) {
      String file =
          Map.of("bash", "kubectl-l2lb.bash", "zsh", "_kubectl-l2lb", "fish", "kubectl-l2lb.fish")
              .get(shell);
      assertThat(java("completion", shell)).as(shell).isEqualTo(files.get(file));
    }
  }

  static Stream<Arguments> lines() {
    // the words after kubectl-l2lb, the last one the word being completed; true: the engine hands
    // them to __complete (names from the cluster)
    return Stream.of(
        Arguments.of("", false),
        Arguments.of("ex", false),
        Arguments.of("expose ", false),
        Arguments.of("expose s", false),
        Arguments.of("where --wa", false),
        Arguments.of("where -", false),
        Arguments.of("where -o ", false),
        Arguments.of("where --output j", false),
        Arguments.of("where -o=json --no", false),
        Arguments.of("-n ns where --o", false),
        Arguments.of("--kubeconfig f wh", false),
        Arguments.of("--kubeconfig ", false),
        Arguments.of("validate -f ", false),
        Arguments.of("completion ", false),
        Arguments.of("completion bash ", false),
        Arguments.of("create ", false),
        Arguments.of("create class x --dry-run ", false),
        Arguments.of("create class x --pool ", false),
        Arguments.of("expose deployment d --protocol ", false),
        Arguments.of("install --dry-run ", false),
        Arguments.of("install --wait ", false),
        Arguments.of("simulate f", false),
        Arguments.of("help ", false),
        Arguments.of("version -", false),
        Arguments.of("nosuch ", false),
        Arguments.of("where ", true),
        Arguments.of("-n ns where w", true),
        Arguments.of("expose svc web --class ", true),
        Arguments.of("simulate failover --node f", true),
        Arguments.of("-n ", true),
        Arguments.of("--context ", true),
        Arguments.of("validate ", true),
        Arguments.of("validate class c", true),
        Arguments.of("expose deployment ", true));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void theShellEngineAnswersAsCompleteDoes(String line, boolean cluster) throws Exception {
    List<String> words = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
    String engine = engine(words);
    if (cluster) {
      assertThat(engine)
          .as("engine for '%s'", line)
          .isEqualTo("ASKED " + String.join("|", words) + "\n:4\n");
    } else {
      List<String> args = new ArrayList<>(List.of("__complete"));
      args.addAll(words);
      assertThat(engine).as("engine for '%s'", line).isEqualTo(java(args.toArray(String[]::new)));
    }
  }

  /** The generated kubectl_complete-l2lb under sh, with a stand-in for kubectl-l2lb. */
  private static String engine(List<String> words) throws Exception {
    Path dir = Files.createTempDirectory("engine");
    Path stub = dir.resolve("kubectl-l2lb");
    Files.writeString(stub, "#!/bin/sh\nshift\nIFS='|'\nprintf 'ASKED %s\\n:4\\n' \"$*\"\n");
    Path script = dir.resolve("kubectl_complete-l2lb");
    Files.writeString(script, Completions.kubectlComplete(tree()));
    stub.toFile().setExecutable(true);
    script.toFile().setExecutable(true);
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", script.toString()));
    cmd.addAll(words);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String java(String... args) {
    StringWriter out = new StringWriter();
    int code =
        Main.execute(
            args,
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true),
            new ByteArrayInputStream(new byte[0]),
            Map.of("KUBECONFIG", "/does/not/exist", "HOME", "/nonexistent"),
            Term.none());
    assertThat(code).isZero();
    return out.toString();
  }
}
