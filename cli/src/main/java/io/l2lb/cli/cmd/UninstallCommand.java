package io.l2lb.cli.cmd;

import io.l2lb.cli.Ctx;
import io.l2lb.cli.Main;
import io.l2lb.cli.Manifests;
import io.l2lb.cli.Manifests.Doc;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.core.Names.Components;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code uninstall}: deletes what install applied, in reverse order. The CRDs (and with them every
 * MetalLoadBalancerClass and L2Announcement) and the namespace stay unless --all is given: the
 * classes are the user's configuration.
 */
@Command(
    name = "uninstall",
    description = {
      "Remove the l2lb operator and speakers (the objects install applied, in reverse order).",
      "Keeps the CRDs, your classes and the namespace unless --all is given."
    },
    mixinStandardHelpOptions = true)
public final class UninstallCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--all",
      description =
          "Also delete the CRDs (every MetalLoadBalancerClass and L2Announcement with them) and the namespace.")
  boolean all;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Api api = ctx.api();
    List<Doc> docs = new ArrayList<>(Manifests.docs());
    Collections.reverse(docs);
    for (Doc d : docs) {
      boolean keep =
          !all && ("CustomResourceDefinition".equals(d.kind()) || "Namespace".equals(d.kind()));
      if (keep) {
        ctx.out().println(d.ref() + " kept (pass --all to delete it too)");
        continue;
      }
      delete(ctx, api, Manifests.path(d.object()), d.ref());
    }
    if (all && !Manifests.hasNamespace(docs)) {
      delete(
          ctx,
          api,
          "/api/v1/namespaces/" + Components.NAMESPACE,
          "namespace/" + Components.NAMESPACE);
    }
  }

  private static void delete(Ctx ctx, Api api, String path, String ref) {
    try {
      api.delete(path + "?propagationPolicy=Background");
      ctx.out().println(ref + " deleted");
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
      ctx.out().println(ref + " not found (already gone)");
    }
  }
}
