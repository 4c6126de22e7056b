package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh|fish}: a shell script that completes {@code kubectl-l2lb} through
 * {@code __complete}. ({@code kubectl l2lb <TAB>} needs none: kubectl 1.26+ runs the
 * kubectl_complete-l2lb script shipped next to the plugin.)
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
    String script =
        switch (shell) {
          case "bash" -> BASH;
          case "zsh" -> ZSH;
          case "fish" -> FISH;
          default -> throw CliError.usage("completion " + shell + ": use bash, zsh or fish");
        };
    Main.ctx(spec).out().print(script);
  }

  static final String BASH =
      """
      # bash completion for kubectl-l2lb (source it, or put it in bash_completion.d)
      _kubectl_l2lb() {
        local cur=${COMP_WORDS[COMP_CWORD]} out directive
        out=$(kubectl-l2lb __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
        directive=${out##*:}
        out=${out%:*}
        COMPREPLY=($(compgen -W "$out" -- "$cur"))
        if [ ${#COMPREPLY[@]} -eq 0 ] && [ "$directive" = 0 ]; then
          COMPREPLY=($(compgen -f -- "$cur"))
        fi
      }
      complete -o default -F _kubectl_l2lb kubectl-l2lb
      """;

  static final String ZSH =
      """
      #compdef kubectl-l2lb
      # zsh completion for kubectl-l2lb (put it on $fpath as _kubectl-l2lb, or source it)
      _kubectl_l2lb() {
        local -a lines candidates
        lines=("${(@f)$(kubectl-l2lb __complete "${words[@]:1:$((CURRENT-1))}" 2>/dev/null)}")
        local directive=${lines[-1]#:}
        candidates=("${(@)lines[1,-2]}")
        if (( ${#candidates} )); then
          compadd -- "${candidates[@]}"
        elif [[ $directive == 0 ]]; then
          _files
        fi
      }
      compdef _kubectl_l2lb kubectl-l2lb
      """;

  static final String FISH =
      """
      # fish completion for kubectl-l2lb (put it in ~/.config/fish/completions/kubectl-l2lb.fish)
      function __kubectl_l2lb_complete
        set -l args (commandline -opc)[2..-1] (commandline -ct)
        kubectl-l2lb __complete $args 2>/dev/null | string match -v -r '^:'
      end
      complete -c kubectl-l2lb -f -a '(__kubectl_l2lb_complete)'
      """;
}
