package io.l2lb.cli.cmd;

import io.l2lb.cli.Ctx;
import io.l2lb.cli.GlobalOptions;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.kube.KubeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Unmatched;

/**
 * Hidden {@code __complete WORDS... PARTIAL}: kubectl's plugin completion protocol (kubectl 1.26+
 * runs {@code kubectl_complete-l2lb}, which runs this) and the scripts of {@code completion}.
 * Prints the candidates for the last word, one a line, then {@code :<directive>} (Cobra's: 4 = no
 * file completion, 0 = let the shell complete files). Class, Service, Deployment, node, namespace
 * and context names come from the cluster; any failure just means no candidates.
 */
@Command(name = "__complete", hidden = true)
public final class CompleteCommand implements Runnable {
  static final int NO_FILES = 4;
  static final int FILES = 0;

  @Unmatched List<String> words = new ArrayList<>();

  @Override
  public void run() {
    // Main runs complete() directly, before picocli would consume options of the words
  }

  /** Candidates, then the directive line. */
  public static List<String> complete(CommandLine root, List<String> args, Ctx base) {
    List<String> words = new ArrayList<>(args);
    if (words.isEmpty()) {
      words.add("");
    }
    String partial = words.remove(words.size() - 1);
    GlobalOptions g = new GlobalOptions();
    CommandLine cur = root;
    OptionSpec pending = null;
    int positionals = 0;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (pending != null) {
        remember(g, pending, w);
        pending = null;
        continue;
      }
      if (w.startsWith("-") && w.length() > 1) {
        String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
        OptionSpec o = cur.getCommandSpec().findOption(name);
        if (o != null && o.arity().min() > 0 && !w.contains("=")) {
          pending = o;
        } else if (o != null && w.contains("=")) {
          remember(g, o, w.substring(w.indexOf('=') + 1));
        }
        continue;
      }
      CommandLine sub = cur.getSubcommands().get(w);
      if (sub != null && positionals == 0) {
        cur = sub;
        continue;
      }
      positionals++;
      positional.add(w);
    }
    List<String> out = new ArrayList<>();
    int directive = NO_FILES;
    CommandSpec spec = cur.getCommandSpec();
    String path = Completions.path(spec);
    Completions.Values values = null;
    if (pending != null) {
      values = Completions.optionValues(path, pending.longestName());
    } else if (partial.startsWith("-")) {
      for (OptionSpec o : Completions.visibleOptions(spec)) {
        out.addAll(List.of(o.names()));
      }
    } else if (positionals == 0 && !cur.getSubcommands().isEmpty()) {
      for (CommandLine sub : Completions.visibleSubcommands(cur)) {
        out.add(sub.getCommandName());
      }
    } else {
      values = Completions.positionalValues(path);
    }
    // the same table the generated shell engine (completions/) answers from
    if (values instanceof Completions.Fixed f) {
      out.addAll(f.values());
    } else if (values instanceof Completions.Files) {
      directive = FILES;
    } else if (values instanceof Completions.Cluster) {
      if (pending != null) {
        switch (pending.longestName()) {
          case "--node" -> out.addAll(names(base, g, Res.NODES));
          case "--class" -> out.addAll(names(base, g, Res.CLASSES));
          case "--namespace" -> out.addAll(names(base, g, "/api/v1/namespaces"));
          case "--context" -> out.addAll(contexts(base, g));
          default -> throw new IllegalStateException("no cluster lookup for " + pending);
        }
      } else {
        switch (path) {
          case "where", "expose svc", "simulate failover" -> {
            if (positionals == 0) {
              out.addAll(names(base, g, "SERVICES"));
            }
          }
          case "expose deployment" -> {
            if (positionals == 0) {
              out.addAll(names(base, g, "DEPLOYMENTS"));
            }
          }
          case "validate" -> {
            if (positionals == 0) {
              out.add("class");
            } else if ("class".equals(positional.get(0))) {
              out.addAll(names(base, g, Res.CLASSES));
            }
          }
          default -> throw new IllegalStateException("no cluster lookup for " + path);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    for (String c : out) {
      if (c.startsWith(partial)) {
        lines.add(c);
      }
    }
    lines.add(":" + directive);
    return lines;
  }

  private static void remember(GlobalOptions g, OptionSpec o, String value) {
    switch (o.longestName()) {
      case "--kubeconfig" -> g.kubeconfig = value;
      case "--context" -> g.context = value;
      case "--namespace" -> g.namespace = value;
      default -> {}
    }
  }

  private static List<String> contexts(Ctx base, GlobalOptions g) {
    try {
      return KubeConfig.load(g.kubeconfig, base.env()).contextNames();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** Names of the objects at a path ("SERVICES"/"DEPLOYMENTS": of the namespace in use). */
  private static List<String> names(Ctx base, GlobalOptions g, String path) {
    try {
      KubeConfig.Access a =
          KubeConfig.load(g.kubeconfig, base.env()).resolve(g.context, g.namespace, base.env());
      Api api = new Api(a, Duration.ofSeconds(3), "kubectl-l2lb-complete");
      String p =
          switch (path) {
            case "SERVICES" -> Res.services(a.namespace());
            case "DEPLOYMENTS" -> "/apis/apps/v1/namespaces/" + a.namespace() + "/deployments";
            default -> path;
          };
      List<String> out = new ArrayList<>();
      for (Map<String, Object> o : api.list(p)) {
        String n = Json.str(o, "metadata", "name");
        if (n != null) {
          out.add(n);
        }
      }
      out.sort(null);
      api.close();
      return out;
    } catch (RuntimeException e) {
      return List.of(); // completion never fails loudly
    }
  }
}
