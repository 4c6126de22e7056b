package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Errors;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.Version;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.core.Names.Components;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code version}: the client's version, and the operator's and speaker's from their workloads'
 * pod-template label app.kubernetes.io/version; "not installed" or "unreachable" when they cannot
 * be read. Never fails because of the cluster.
 */
@Command(
    name = "version",
    description =
        "Print the client version and, when the cluster is reachable, the operator and speaker versions.",
    mixinStandardHelpOptions = true)
public final class VersionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--client", description = "Client version only (no cluster access).")
  boolean clientOnly;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("client", Version.CLIENT);
    if (!clientOnly) {
      String operator;
      String speaker;
      try {
        Api api = ctx.api();
        operator = workloadVersion(api, Res.deployment(Components.NAMESPACE, Components.OPERATOR));
        speaker = workloadVersion(api, Res.daemonSet(Components.NAMESPACE, Components.SPEAKER));
      } catch (CliError | ApiException e) {
        String why = e instanceof ApiException a ? Errors.describe(a) : e.getMessage();
        operator = "unreachable";
        speaker = "unreachable";
        if (!f.structured()) {
          ctx.warn(why);
        }
      }
      v.put("operator", operator);
      v.put("speaker", speaker);
    }
    if (f.structured()) {
      ctx.out().print(Printer.render(v, f));
      return;
    }
    ctx.out().println("Client:   " + v.get("client"));
    if (!clientOnly) {
      ctx.out().println("Operator: " + v.get("operator"));
      ctx.out().println("Speaker:  " + v.get("speaker"));
    }
  }

  static String workloadVersion(Api api, String path) {
    try {
      Map<String, Object> w = api.getOrNull(path);
      if (w == null) {
        return "not installed";
      }
      String version =
          Json.str(w, "spec", "template", "metadata", "labels", Components.VERSION_LABEL);
      return version == null ? "unknown (no " + Components.VERSION_LABEL + " label)" : version;
    } catch (ApiException e) {
      if (e.code() == 404) {
        return "not installed";
      }
      if (e.code() == 403) {
        return "forbidden";
      }
      throw e;
    }
  }
}
