package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Durations;
import io.l2lb.cli.Main;
import io.l2lb.cli.Manifests;
import io.l2lb.cli.Manifests.Doc;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.core.Names.Components;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code install}: server-side applies the manifests bundled in this jar (the repository's
 * manifests/ at build time) in order: Namespace, CRDs (waits until Established), RBAC, the rest,
 * workloads; then waits for the rollout, showing progress.
 */
@Command(
    name = "install",
    description = {
      "Install (or upgrade) l2lb from the manifests bundled in this kubectl-l2lb build.",
      "Order: Namespace, CRDs (waits until Established), RBAC, workloads; then waits for the rollout."
    },
    mixinStandardHelpOptions = true)
public final class InstallCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--dry-run",
      description =
          "With -o yaml: print the manifests, contact no cluster. Without: let the API server check everything, store nothing.")
  boolean dryRun;

  @Option(
      names = "--wait",
      arity = "1",
      paramLabel = "true|false",
      description = "Wait for the operator and speakers to roll out (default true).")
  boolean waitRollout = true;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "How long to wait for CRDs and the rollout (default 5m).")
  String timeout = "5m";

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format(Format.TABLE, Format.YAML, Format.JSON);
    Duration limit = Durations.parse("--timeout", timeout);
    List<Doc> docs = Manifests.docs();
    if (f.structured()) {
      if (!dryRun) {
        throw CliError.usage(
            "-o " + ctx.global().output + " prints the manifests: use it with --dry-run");
      }
      if (f == Format.YAML) {
        StringBuilder b = new StringBuilder();
        if (!Manifests.hasNamespace(docs)) {
          b.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ")
              .append(Components.NAMESPACE)
              .append("\n");
        }
        for (Doc d : docs) {
          if (b.length() > 0) {
            b.append("---\n");
          }
          b.append("# ").append(d.file()).append("\n").append(d.yaml());
        }
        ctx.out().print(b);
      } else {
        java.util.List<Object> items = new java.util.ArrayList<>();
        docs.forEach(d -> items.add(d.object()));
        ctx.out()
            .print(
                io.l2lb.cli.out.Printer.render(
                    Map.of("apiVersion", "v1", "kind", "List", "items", items), f));
      }
      return;
    }
    Api api = ctx.api();
    String q =
        "?fieldManager="
            + Components.CLI_FIELD_MANAGER
            + "&force=true"
            + (dryRun ? "&dryRun=All" : "");
    String suffix = dryRun ? " (server dry run)" : "";
    if (!Manifests.hasNamespace(docs)) {
      Map<String, Object> ns =
          Map.of(
              "apiVersion",
              "v1",
              "kind",
              "Namespace",
              "metadata",
              Map.of("name", Components.NAMESPACE));
      api.apply("/api/v1/namespaces/" + Components.NAMESPACE + q, io.l2lb.cli.kube.Json.write(ns));
      ctx.out().println("namespace/" + Components.NAMESPACE + " serverside-applied" + suffix);
    }
    // A dry run stores nothing, so on a cluster without the namespace yet the server cannot
    // check the objects that go into it: say so instead of failing on them.
    boolean namespaceMissing =
        dryRun && api.getOrNull("/api/v1/namespaces/" + Components.NAMESPACE) == null;
    boolean crdsWaited = false;
    for (Doc d : docs) {
      if (namespaceMissing && d.namespace() != null) {
        ctx.out()
            .println(
                d.ref()
                    + " not checked (server dry run): namespace "
                    + d.namespace()
                    + " does not exist yet (install creates it first)");
        continue;
      }
      if (!crdsWaited
          && !"Namespace".equals(d.kind())
          && !"CustomResourceDefinition".equals(d.kind())) {
        if (!dryRun) {
          waitCrds(ctx, api, docs, limit);
        }
        crdsWaited = true;
      }
      try {
        api.apply(Manifests.path(d.object()) + q, d.yaml());
      } catch (ApiException e) {
        throw CliError.runtime(
            "applying " + d.ref() + " (" + d.file() + ") failed: " + io.l2lb.cli.Errors.describe(e),
            e);
      }
      ctx.out().println(d.ref() + " serverside-applied" + suffix);
      ctx.out().flush();
    }
    if (!crdsWaited && !dryRun) {
      waitCrds(ctx, api, docs, limit);
    }
    if (dryRun || !waitRollout) {
      return;
    }
    Instant deadline = Instant.now().plus(limit);
    for (Doc d : docs) {
      if ("Deployment".equals(d.kind()) || "DaemonSet".equals(d.kind())) {
        waitRollout(ctx, api, d, deadline);
      }
    }
    ctx.out().println("l2lb is installed: `kubectl l2lb status` shows its health");
  }

  private static void waitCrds(Ctx ctx, Api api, List<Doc> docs, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    for (Doc d : docs) {
      if (!"CustomResourceDefinition".equals(d.kind())) {
        continue;
      }
      while (true) {
        Map<String, Object> crd = api.getOrNull(Res.crd(d.name()));
        if (crd != null && StatusCommand.condition(crd, "Established")) {
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          throw CliError.runtime(
              "CRD " + d.name() + " is not Established after " + limit.toSeconds() + "s");
        }
        sleep(200);
      }
    }
  }

  /**
   * A Deployment or DaemonSet is rolled out when its controller has seen the new spec and every
   * replica is updated and available.
   */
  static String rolloutState(Map<String, Object> w) {
    long gen = num(Json.at(w, "metadata", "generation"));
    long observed = num(Json.at(w, "status", "observedGeneration"));
    if (observed < gen) {
      return null;
    }
    if ("DaemonSet".equals(Json.str(w, "kind"))) {
      long desired = num(Json.at(w, "status", "desiredNumberScheduled"));
      long updated = num(Json.at(w, "status", "updatedNumberScheduled"));
      long available = num(Json.at(w, "status", "numberAvailable"));
      return updated >= desired && available >= desired
          ? "ok"
          : available + " of " + desired + " speakers available";
    }
    long want = Json.at(w, "spec", "replicas") instanceof Number n ? n.longValue() : 1;
    long updated = num(Json.at(w, "status", "updatedReplicas"));
    long available = num(Json.at(w, "status", "availableReplicas"));
    return updated >= want && available >= want
        ? "ok"
        : available + " of " + want + " replicas available";
  }

  private static void waitRollout(Ctx ctx, Api api, Doc d, Instant deadline) {
    String last = null;
    while (true) {
      Map<String, Object> w = api.get(Manifests.path(d.object()));
      String state = rolloutState(w);
      if ("ok".equals(state)) {
        ctx.err().println(d.ref() + ": rolled out");
        ctx.err().flush();
        return;
      }
      String line =
          d.ref()
              + ": waiting for the rollout"
              + (state == null ? " (not yet observed by its controller)" : ": " + state);
      if (!line.equals(last)) {
        ctx.err().println(line);
        ctx.err().flush();
        last = line;
      }
      if (Instant.now().isAfter(deadline)) {
        throw CliError.runtime(
            d.ref()
                + " did not roll out in time: "
                + (state == null
                    ? "its controller has not seen it (is kube-controller-manager running?)"
                    : state)
                + "; `kubectl -n "
                + Components.NAMESPACE
                + " describe "
                + d.ref()
                + "` says why");
      }
      sleep(250);
    }
  }

  private static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.runtime("interrupted");
    }
  }
}
