package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code expose deployment NAME --port P[:TARGET] --ips N}: creates a LoadBalancer Service for the
 * Deployment the way {@code kubectl expose} does (same name, the Deployment's matchLabels as the
 * selector), with the l2lb class and count.
 */
@Command(
    name = "deployment",
    aliases = {"deploy"},
    description =
        "Create a LoadBalancer Service with N public IPs for a Deployment (as kubectl expose does).",
    mixinStandardHelpOptions = true)
public final class ExposeDeploymentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The Deployment.")
  String name;

  @Option(
      names = "--port",
      required = true,
      split = ",",
      paramLabel = "PORT[:TARGET]",
      description = "Service port, and the container port it forwards to (default: the same).")
  List<String> ports = new ArrayList<>();

  @Option(names = "--protocol", paramLabel = "PROTO", description = "TCP (default), UDP or SCTP.")
  String protocol = "TCP";

  @Option(
      names = "--name",
      paramLabel = "SERVICE",
      description = "Service name (default: the Deployment's).")
  String serviceName;

  @Mixin ExposeOptions options;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
      throw CliError.usage("--protocol " + protocol + ": use TCP, UDP or SCTP");
    }
    List<Map<String, Object>> servicePorts = new ArrayList<>();
    for (String p : ports) {
      String[] parts = p.split(":", -1);
      if (parts.length > 2) {
        throw CliError.usage("--port " + p + ": write PORT or PORT:TARGET, e.g. 80:8080");
      }
      Map<String, Object> sp = new LinkedHashMap<>();
      int port = port("--port", parts[0], p);
      sp.put("name", ports.size() == 1 ? null : "p" + port);
      sp.put("port", port);
      sp.put("protocol", protocol);
      if (parts.length == 2 && !parts[1].matches("\\d+")) {
        sp.put("targetPort", parts[1]); // a named container port
      } else {
        sp.put("targetPort", parts.length == 2 ? port("--port", parts[1], p) : port);
      }
      sp.values().removeIf(java.util.Objects::isNull);
      servicePorts.add(sp);
    }
    Api api = ctx.api();
    String ns = ctx.namespace();
    Map<String, Object> deployment =
        api.getOrNull("/apis/apps/v1/namespaces/" + ns + "/deployments/" + name);
    if (deployment == null) {
      throw CliError.runtime("deployment \"" + name + "\" not found in namespace " + ns);
    }
    if (!Json.list(deployment, "spec", "selector", "matchExpressions").isEmpty()) {
      throw CliError.runtime(
          "deployment/"
              + name
              + " selects its pods with matchExpressions, which a Service selector"
              + " cannot express: write the Service yourself and run `kubectl l2lb expose svc`");
    }
    Map<String, Object> selector = Json.map(deployment, "spec", "selector", "matchLabels");
    if (selector.isEmpty()) {
      throw CliError.runtime(
          "deployment/" + name + " has no spec.selector.matchLabels to select its pods by");
    }
    Map<String, Object> cls = ExposeSupport.chooseClass(api, options);
    String className = Json.str(cls, "metadata", "name");
    Map<String, String> annotations = ExposeSupport.annotations(options, cls);
    String svc = serviceName != null ? serviceName : name;

    Map<String, Object> specMap = new LinkedHashMap<>();
    specMap.put("type", "LoadBalancer");
    if (options.className != null) {
      specMap.put("loadBalancerClass", className);
    }
    specMap.put("selector", selector);
    specMap.put("ports", servicePorts);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", svc);
    metadata.put("namespace", ns);
    Map<String, Object> labels = Json.map(deployment, "metadata", "labels");
    if (!labels.isEmpty()) {
      metadata.put("labels", labels);
    }
    metadata.put("annotations", annotations);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Service");
    object.put("metadata", metadata);
    object.put("spec", specMap);
    Map<String, Object> created;
    try {
      created =
          api.post(
              Res.services(ns) + "?fieldManager=" + Names.Components.CLI_FIELD_MANAGER, object);
    } catch (ApiException e) {
      if (e.code() == 409) {
        throw CliError.runtime(
            "service \""
                + svc
                + "\" already exists in namespace "
                + ns
                + ": use `kubectl l2lb expose svc "
                + svc
                + " --ips "
                + annotations.get(Annotations.EXTERNAL_IPS_COUNT)
                + "`, or --name");
      }
      throw e;
    }
    int count = Integer.parseInt(annotations.get(Annotations.EXTERNAL_IPS_COUNT));
    ExposeSupport.finish(
        ctx,
        api,
        ns,
        svc,
        count,
        options,
        f,
        created,
        "created for deployment/" + name + " (class " + className + ")");
  }

  private static int port(String option, String text, String whole) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw CliError.usage(option + " " + whole + ": \"" + text + "\" is not a port (1-65535)");
  }
}
