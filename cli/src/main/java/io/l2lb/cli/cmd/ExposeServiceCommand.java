package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code expose svc NAME --ips N}: makes the Service a LoadBalancer of an l2lb class with that many
 * IPs. spec.loadBalancerClass is set only where the API allows it (when the Service becomes a
 * LoadBalancer now); a LoadBalancer Service without one gets the class annotation instead, and one
 * with another class is refused with the reason.
 */
@Command(
    name = "svc",
    aliases = {"service"},
    description = "Make a Service type LoadBalancer with N public IPs of an l2lb class.",
    mixinStandardHelpOptions = true)
public final class ExposeServiceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The Service.")
  String name;

  @Mixin ExposeOptions options;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    Api api = ctx.api();
    String ns = ctx.namespace();
    Map<String, Object> svc = api.getOrNull(Res.service(ns, name));
    if (svc == null) {
      throw CliError.runtime("service \"" + name + "\" not found in namespace " + ns);
    }
    Map<String, Object> cls = ExposeSupport.chooseClass(api, options);
    String className = Json.str(cls, "metadata", "name");
    Map<String, String> wanted = ExposeSupport.annotations(options, cls);
    String type = Json.str(svc, "spec", "type");
    String current = Json.str(svc, "spec", "loadBalancerClass");

    Map<String, Object> specPatch = new LinkedHashMap<>();
    Map<String, Object> annotations = new LinkedHashMap<>(wanted);
    if ("ExternalName".equals(type)) {
      throw CliError.runtime(
          "service/"
              + name
              + " is an ExternalName Service (a DNS alias, no endpoints): expose the"
              + " Service or Deployment behind it instead");
    }
    if ("LoadBalancer".equals(type)) {
      if (current != null && !current.isEmpty() && !current.equals(className)) {
        throw CliError.runtime(
            "service/"
                + name
                + " has spec.loadBalancerClass \""
                + current
                + "\", and the API server"
                + " does not let a LoadBalancer Service change it: to move it to class "
                + className
                + ", re-create the Service with spec.loadBalancerClass: "
                + className
                + " (or run `kubectl l2lb expose svc "
                + name
                + " --class "
                + current
                + "` if "
                + current
                + " is an l2lb class)");
      }
      if ((current == null || current.isEmpty()) && options.className != null) {
        // loadBalancerClass cannot be added to a LoadBalancer Service: the annotation says it
        annotations.put(Annotations.CLASS, className);
      }
    } else {
      specPatch.put("type", "LoadBalancer");
      if (options.className != null) {
        specPatch.put("loadBalancerClass", className);
      }
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("annotations", annotations));
    if (!specPatch.isEmpty()) {
      patch.put("spec", specPatch);
    }
    Map<String, Object> updated =
        api.mergePatch(
            Res.service(ns, name) + "?fieldManager=" + Names.Components.CLI_FIELD_MANAGER, patch);
    int count = Integer.parseInt(wanted.get(Annotations.EXTERNAL_IPS_COUNT));
    ExposeSupport.finish(
        ctx, api, ns, name, count, options, f, updated, "exposed (class " + className + ")");
  }
}
