package io.l2lb.cli.cmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion generated from the command tree: one POSIX-sh engine (commands, options, option
 * values and positionals of every command, walked as {@link CompleteCommand} walks them) answers
 * everything it can without starting a JVM, and hands the rest (class, Service, node, namespace and
 * context names from the cluster) to {@code kubectl-l2lb __complete}. The bash and zsh scripts
 * embed the engine as a function, fish runs it with {@code sh -c}, and {@code
 * kubectl_complete-l2lb} (kubectl's plugin completion) is the engine as a script. The files in
 * completions/ are these scripts; CompletionsTest fails when they drift from the tree and rewrites
 * them with {@code -Dl2lb.updateCompletions=true}.
 */
public final class Completions {
  private Completions() {}

  /** What the value of an option, or a command's positional, completes to. */
  sealed interface Values {}

  /** Nothing to offer (free text). */
  record None() implements Values {}

  /** File names (the shell's own completion). */
  record Files() implements Values {}

  /** Names from the cluster, through {@code __complete}. */
  record Cluster() implements Values {}

  /** A fixed list. */
  record Fixed(List<String> values) implements Values {}

  /** The value of an option (by its longest name) in a command (qualified, "" for the root). */
  static Values optionValues(String command, String option) {
    return switch (option) {
      case "--node", "--class", "--namespace", "--context" -> new Cluster();
      case "--output" -> new Fixed(List.of("table", "wide", "json", "yaml"));
      case "--dry-run" -> new Fixed(List.of("none", "client", "server"));
      case "--protocol" -> new Fixed(List.of("TCP", "UDP", "SCTP"));
      case "--kubeconfig", "--filename" -> new Files();
      default -> new None();
    };
  }

  /** The positionals of a command. */
  static Values positionalValues(String command) {
    return switch (command) {
      case "where", "expose svc", "simulate failover", "expose deployment", "validate" ->
          new Cluster();
      case "completion" -> new Fixed(List.of("bash", "zsh", "fish"));
      default -> new None();
    };
  }

  /** "kubectl l2lb expose svc" -> "expose svc". */
  static String path(CommandSpec spec) {
    String q = spec.qualifiedName(" ");
    String root = spec.root().qualifiedName(" ");
    return q.equals(root) ? "" : q.substring(root.length() + 1);
  }

  /** Every command of the tree, the root first, parents before children. */
  static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    for (CommandLine sub : visibleSubcommands(c)) {
      collect(sub, out);
    }
  }

  static List<CommandLine> visibleSubcommands(CommandLine c) {
    List<CommandLine> out = new ArrayList<>();
    Map<String, CommandLine> subs = c.getSubcommands();
    for (String n : new TreeSet<>(subs.keySet())) {
      CommandLine sub = subs.get(n);
      if (!sub.getCommandSpec().usageMessage().hidden() && sub.getCommandName().equals(n)) {
        out.add(sub);
      }
    }
    return out;
  }

  static List<OptionSpec> visibleOptions(CommandSpec spec) {
    return spec.options().stream().filter(o -> !o.hidden()).toList();
  }

  // ---- the engine ----------------------------------------------------------------------------

  /**
   * The POSIX-sh function {@code __l2lb_candidates WORDS... PARTIAL}: prints the candidates for
   * PARTIAL, one a line, then {@code :<directive>} (4: no files, 0: files), exactly as {@code
   * __complete} would; for names from the cluster it runs {@code ${__l2lb_prog:-kubectl-l2lb}
   * __complete} with the same words. Written for sh, bash and zsh alike: no arrays, no reliance on
   * word splitting, no single quotes (fish passes it to sh -c in single quotes).
   */
  static String engine(CommandLine root) {
    StringBuilder b = new StringBuilder();
    b.append(
        """
        # Generated from the command tree by io.l2lb.cli.cmd.Completions: do not edit.
        # __l2lb_candidates WORDS... PARTIAL: the candidates for PARTIAL, one a line, then
        # :DIRECTIVE (4 = no file names, 0 = file names); cluster names come from
        # "${__l2lb_prog:-kubectl-l2lb} __complete WORDS... PARTIAL".
        __l2lb_emit() {
          for __l2lb_c in "$@"; do
            case $__l2lb_c in "$__l2lb_partial"*) printf "%s\\n" "$__l2lb_c" ;; esac
          done
        }
        __l2lb_candidates() {
          __l2lb_cmd=
          __l2lb_pending=
          __l2lb_npos=0
          __l2lb_n=$#
          __l2lb_i=0
          __l2lb_partial=
          for __l2lb_w in "$@"; do
            __l2lb_i=$((__l2lb_i + 1))
            if [ "$__l2lb_i" -eq "$__l2lb_n" ]; then __l2lb_partial=$__l2lb_w; break; fi
            if [ -n "$__l2lb_pending" ]; then __l2lb_pending=; continue; fi
            case $__l2lb_w in
              -?*)
                case $__l2lb_w in *=*) continue ;; esac
                case "$__l2lb_cmd|$__l2lb_w" in
        """);
    // options that take a value, per command
    for (CommandLine c : commands(root)) {
      String p = path(c.getCommandSpec());
      List<String> pats = new ArrayList<>();
      for (OptionSpec o : visibleOptions(c.getCommandSpec())) {
        if (o.arity().min() > 0) {
          for (String n : o.names()) {
            pats.add("\"" + p + "|" + n + "\"");
          }
        }
      }
      if (!pats.isEmpty()) {
        b.append("          ").append(String.join("|", pats)).append(")\n");
        b.append("            __l2lb_pending=$__l2lb_w ;;\n");
      }
    }
    b.append(
        """
                esac
                continue ;;
            esac
            if [ "$__l2lb_npos" -eq 0 ]; then
              case "$__l2lb_cmd|$__l2lb_w" in
        """);
    for (CommandLine c : commands(root)) {
      String p = path(c.getCommandSpec());
      for (CommandLine sub : visibleSubcommands(c)) {
        String sp = path(sub.getCommandSpec());
        b.append("          \"")
            .append(p)
            .append("|")
            .append(sub.getCommandName())
            .append("\") __l2lb_cmd=\"")
            .append(sp)
            .append("\"; continue ;;\n");
      }
    }
    b.append(
        """
              esac
            fi
            __l2lb_npos=$((__l2lb_npos + 1))
          done
          if [ -n "$__l2lb_pending" ]; then
            case "$__l2lb_cmd|$__l2lb_pending" in
        """);
    for (CommandLine c : commands(root)) {
      String p = path(c.getCommandSpec());
      for (OptionSpec o : visibleOptions(c.getCommandSpec())) {
        if (o.arity().min() == 0) {
          continue;
        }
        Values v = optionValues(p, o.longestName());
        if (v instanceof None) {
          continue;
        }
        List<String> pats = new ArrayList<>();
        for (String n : o.names()) {
          pats.add("\"" + p + "|" + n + "\"");
        }
        b.append("        ").append(String.join("|", pats)).append(") ").append(action(v));
      }
    }
    b.append(
        """
              *) __l2lb_emit ;;
            esac
            printf ":4\\n"
            return 0
          fi
          case $__l2lb_partial in
            -*)
              case $__l2lb_cmd in
        """);
    for (CommandLine c : commands(root)) {
      List<String> names = new ArrayList<>();
      for (OptionSpec o : visibleOptions(c.getCommandSpec())) {
        names.addAll(List.of(o.names()));
      }
      b.append("          \"")
          .append(path(c.getCommandSpec()))
          .append("\") __l2lb_emit ")
          .append(String.join(" ", names))
          .append(" ;;\n");
    }
    b.append(
        """
              esac
              printf ":4\\n"
              return 0 ;;
          esac
          if [ "$__l2lb_npos" -eq 0 ]; then
            case $__l2lb_cmd in
        """);
    for (CommandLine c : commands(root)) {
      List<CommandLine> subs = visibleSubcommands(c);
      if (subs.isEmpty()) {
        continue;
      }
      b.append("        \"").append(path(c.getCommandSpec())).append("\") __l2lb_emit");
      for (CommandLine s : subs) {
        b.append(' ').append(s.getCommandName());
      }
      b.append("\n          printf \":4\\n\"\n          return 0 ;;\n");
    }
    b.append(
        """
            esac
          fi
          case $__l2lb_cmd in
        """);
    for (CommandLine c : commands(root)) {
      String p = path(c.getCommandSpec());
      Values v = positionalValues(p);
      if (!(v instanceof None)) {
        b.append("    \"").append(p).append("\") ").append(action(v));
      }
    }
    b.append(
        """
            *) __l2lb_emit ;;
          esac
          printf ":4\\n"
        }
        """);
    return b.toString();
  }

  /** The engine's answer for a kind of values (a case branch body, ending in ;;). */
  private static String action(Values v) {
    if (v instanceof Fixed f) {
      return "__l2lb_emit " + String.join(" ", f.values()) + " ;;\n";
    }
    if (v instanceof Files) {
      return "printf \":0\\n\"; return 0 ;;\n";
    }
    if (v instanceof Cluster) {
      return "\"${__l2lb_prog:-kubectl-l2lb}\" __complete \"$@\" 2>/dev/null; return 0 ;;\n";
    }
    return "__l2lb_emit ;;\n";
  }

  // ---- the scripts ---------------------------------------------------------------------------

  /** kubectl's plugin completion (kubectl 1.26+ runs it for `kubectl l2lb <TAB>`). */
  public static String kubectlComplete(CommandLine root) {
    return """
        #!/bin/sh
        # kubectl_complete-l2lb: kubectl's plugin completion (kubectl >= 1.26) runs it for
        # `kubectl l2lb <TAB>` with the words typed so far; it prints the candidates, one a line,
        # then :<directive>. Commands, options and their fixed values come from the engine below
        # (no JVM start); names from the cluster from `kubectl-l2lb __complete` next to this file.
        self=$0
        while [ -h "$self" ]; do
          link=$(readlink "$self")
          case $link in /*) self=$link ;; *) self=$(dirname "$self")/$link ;; esac
        done
        __l2lb_prog="$(cd "$(dirname "$self")" && pwd)/kubectl-l2lb"
        """
        + engine(root)
        + """
        if [ $# -eq 0 ]; then set -- ""; fi
        __l2lb_candidates "$@"
        """;
  }

  public static String bash(CommandLine root) {
    return """
        # bash completion for kubectl-l2lb: source it, or put it in
        # ~/.local/share/bash-completion/completions/kubectl-l2lb
        # (`kubectl l2lb <TAB>` goes through kubectl and kubectl_complete-l2lb instead.)
        """
        + engine(root)
        + """
        _kubectl_l2lb() {
          local cur=${COMP_WORDS[COMP_CWORD]} out directive
          out=$(__l2lb_candidates "${COMP_WORDS[@]:1:COMP_CWORD}")
          directive=${out##*:}
          out=${out%:*}
          COMPREPLY=($(compgen -W "$out" -- "$cur"))
          if [ ${#COMPREPLY[@]} -eq 0 ] && [ "$directive" = 0 ]; then
            COMPREPLY=($(compgen -f -- "$cur"))
          fi
        }
        complete -o default -F _kubectl_l2lb kubectl-l2lb
        """;
  }

  public static String zsh(CommandLine root) {
    return """
        #compdef kubectl-l2lb
        # zsh completion for kubectl-l2lb: put it on $fpath as _kubectl-l2lb, or source it
        """
        + engine(root)
        + """
        _kubectl_l2lb_engine() { emulate -L sh; __l2lb_candidates "$@"; }
        _kubectl_l2lb() {
          local -a lines candidates
          lines=("${(@f)$(_kubectl_l2lb_engine "${words[@]:1:$((CURRENT-1))}")}")
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
  }

  public static String fish(CommandLine root) {
    String engine = engine(root).replace("\\", "\\\\").replace("'", "\\'");
    return """
        # fish completion for kubectl-l2lb: put it in ~/.config/fish/completions/kubectl-l2lb.fish
        # The engine is POSIX sh, generated from the command tree; fish runs it with sh -c.
        function __kubectl_l2lb_complete
            set -l args (commandline -opc)[2..-1] (commandline -ct)
            set -l out (sh -c '"""
        + engine
        + """
        __l2lb_candidates "$@"' sh $args)
            set -l directive (string replace ':' '' -- $out[-1])
            set -e out[-1]
            printf '%s\\n' $out
            if test (count $out) -eq 0; and test "$directive" = 0
                __fish_complete_path (commandline -ct)
            end
        end
        complete -c kubectl-l2lb -f -a '(__kubectl_l2lb_complete)'
        """;
  }

  /** completions/ file name to content. */
  public static Map<String, String> files(CommandLine root) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("kubectl-l2lb.bash", bash(root));
    out.put("_kubectl-l2lb", zsh(root));
    out.put("kubectl-l2lb.fish", fish(root));
    out.put("kubectl_complete-l2lb", kubectlComplete(root));
    return out;
  }
}
