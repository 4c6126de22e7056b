package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh|fish}: a shell script that completes {@code kubectl-l2lb}, generated
 * from the command tree (Completions; the same files are in completions/). ({@code kubectl l2lb
 * <TAB>} needs none: kubectl 1.26+ runs the kubectl_complete-l2lb script shipped next to the
 * plugin.)
 */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script for kubectl-l2lb: source <(kubectl l2lb completion bash).",
      "`kubectl l2lb <TAB>` itself works through kubectl (1.26+) and kubectl_complete-l2lb on PATH."
    },
    mixinStandardHelpOptions = true)
public final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
  String shell;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    String script =
        switch (shell) {
          case "bash" -> Completions.bash(root);
          case "zsh" -> Completions.zsh(root);
          case "fish" -> Completions.fish(root);
          default -> throw CliError.usage("completion " + shell + ": use bash, zsh or fish");
        };
    Main.ctx(spec).out().print(script);
  }
}
