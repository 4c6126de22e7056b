package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Cluster;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Findings;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.core.Names;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.PoolEntry;
import io.l2lb.core.validation.ClassCheck;
import io.l2lb.core.validation.ClassValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code create class NAME --pool ...}: validates the class against the cluster first (syntax,
 * overlaps with existing classes, a second default, a selector that matches no node), then creates
 * it and says how many addresses the pool has and which nodes it selects. Without --pool at a
 * terminal it asks for what is missing.
 */
@Command(
    name = "class",
    aliases = {"mlbc", "metalloadbalancerclass"},
    description = "Create a MetalLoadBalancerClass (validated against the cluster first).",
    mixinStandardHelpOptions = true)
public final class CreateClassCommand implements Runnable {
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Class name.")
  String name;

  @Option(
      names = "--pool",
      split = ",",
      paramLabel = "ENTRY",
      description =
          "Pool entries: CIDR (192.0.2.0/28), range (192.0.2.10-192.0.2.20) or address; repeat or comma-separate.")
  List<String> pool = new ArrayList<>();

  @Option(
      names = "--node-selector",
      split = ",",
      paramLabel = "KEY=VALUE",
      description = "Labels a node must carry to announce (default: every node).")
  List<String> nodeSelector = new ArrayList<>();

  @Option(
      names = "--interface",
      split = ",",
      paramLabel = "IF",
      description = "Interfaces to announce on (default: the one holding the node's InternalIP).")
  List<String> interfaces = new ArrayList<>();

  @Option(names = "--default", description = "Make it the class of Services that name none.")
  boolean isDefault;

  @Option(
      names = "--dry-run",
      arity = "0..1",
      fallbackValue = "client",
      paramLabel = "MODE",
      description =
          "none (default), client (validate and print, create nothing), server (the API server checks too, stores nothing).")
  String dryRun = "none";

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format format = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    if (!List.of("none", "client", "server").contains(dryRun)) {
      throw CliError.usage("--dry-run " + dryRun + ": use none, client or server");
    }
    Api api = ctx.api();
    Cluster cluster = new Cluster(api);
    if (name == null || pool.isEmpty()) {
      if (!ctx.term().interactiveIn() || !ctx.term().interactiveOut()) {
        throw CliError.usage(
            (name == null ? "missing NAME" : "missing --pool")
                + ": kubectl l2lb create class NAME --pool 192.0.2.10-192.0.2.20"
                + " [--node-selector node-role=front] (at a terminal it asks for them)");
      }
      new ClassPrompt(ctx, cluster).ask(this);
    }
    if (!NAME.matcher(name).matches()) {
      throw CliError.usage(
          "class name \""
              + name
              + "\" is not a valid name: use lower-case letters, digits, '-' and '.'");
    }
    Map<String, String> selector = selector(nodeSelector);
    Map<String, Object> object = object(name, pool, selector, interfaces, isDefault);

    // validate against the cluster: the same checks the operator makes, before anything is stored
    List<Map<String, Object>> existing = cluster.classObjects();
    for (Map<String, Object> c : existing) {
      if (name.equals(Json.str(c, "metadata", "name"))) {
        throw CliError.runtime(
            "metalloadbalancerclass \""
                + name
                + "\" already exists: edit it with"
                + " `kubectl edit mlbc "
                + name
                + "` or pick another name");
      }
    }
    List<ClassInfo> classes = new ArrayList<>();
    for (Map<String, Object> c : existing) {
      classes.add(ClassInfo.from(Cluster.typed(c, MetalLoadBalancerClass.class)));
    }
    ClassInfo mine = ClassInfo.from(Cluster.typed(object, MetalLoadBalancerClass.class));
    classes.add(mine);
    List<NodeInfo> nodes = cluster.nodes(Clock.systemUTC());
    ClassCheck check = ClassValidator.checkAll(classes, nodes).get(name);
    Findings findings = new Findings();
    check.problems().forEach(p -> findings.add("metalloadbalancerclass/" + name, p));
    if (findings.errors() > 0) {
      findings.printLines(ctx);
      throw new CliError(
          CliError.FINDINGS,
          "metalloadbalancerclass/"
              + name
              + " not created: "
              + findings.errors()
              + " error"
              + (findings.errors() == 1 ? "" : "s")
              + " (see above)");
    }
    findings.printLines(ctx);

    Map<String, Object> result = object;
    if (!"client".equals(dryRun)) {
      String q = "?fieldManager=" + Names.Components.CLI_FIELD_MANAGER;
      if ("server".equals(dryRun)) {
        q += "&dryRun=All";
      }
      try {
        result = api.post(Res.CLASSES + q, object);
      } catch (ApiException e) {
        if (e.code() == 422) {
          throw new CliError(
              CliError.FINDINGS,
              "the API server refused metalloadbalancerclass/" + name + ": " + e.getMessage());
        }
        throw e;
      }
    }
    if (format.structured()) {
      ctx.out().print(Printer.render(result, format));
      return;
    }
    String suffix =
        switch (dryRun) {
          case "client" -> " (dry run)";
          case "server" -> " (server dry run)";
          default -> "";
        };
    AddressPool parsed = check.pool();
    List<String> matched =
        nodes.stream().filter(n -> mine.selects(n.labels())).map(NodeInfo::name).sorted().toList();
    ctx.out().println("metalloadbalancerclass.network.deckhouse.io/" + name + " created" + suffix);
    ctx.out()
        .println(
            "pool:  "
                + parsed.size()
                + " address"
                + (parsed.size().intValue() == 1 ? "" : "es")
                + " ("
                + String.join(", ", pool)
                + ")");
    ctx.out()
        .println(
            "nodes: "
                + matched.size()
                + " matched"
                + (matched.isEmpty() ? "" : " (" + String.join(", ", matched) + ")")
                + (selector.isEmpty() ? ", every node (no --node-selector)" : ""));
    if (isDefault) {
      ctx.out().println("default: Services that name no class get IPs from this class");
    }
  }

  static Map<String, String> selector(List<String> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : pairs) {
      if (p.isBlank()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw CliError.usage("--node-selector " + p + ": write KEY=VALUE, e.g. node-role=front");
      }
      String k = p.substring(0, eq).strip();
      String v = p.substring(eq + 1).strip();
      if (!LABEL_KEY.matcher(k).matches()) {
        throw CliError.usage("--node-selector " + p + ": \"" + k + "\" is not a valid label key");
      }
      if (!LABEL_VALUE.matcher(v).matches() || v.length() > 63) {
        throw CliError.usage(
            "--node-selector "
                + p
                + ": \""
                + v
                + "\" is not a valid label value"
                + " (at most 63 letters, digits, '-', '_', '.')");
      }
      m.put(k, v);
    }
    return m;
  }

  static Map<String, Object> object(
      String name,
      List<String> pool,
      Map<String, String> selector,
      List<String> interfaces,
      boolean isDefault) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("isDefault", isDefault);
    spec.put("type", "L2");
    spec.put("addressPool", new ArrayList<>(pool));
    if (!selector.isEmpty()) {
      spec.put("nodeSelector", selector);
    }
    if (!interfaces.isEmpty()) {
      spec.put("l2", Map.of("interfaces", new ArrayList<>(interfaces)));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", Names.API_GROUP + "/" + Names.API_VERSION);
    o.put("kind", "MetalLoadBalancerClass");
    o.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
    o.put("spec", spec);
    return o;
  }

  /** Checks one pool entry as the prompt reads it; null when fine. */
  static String entryProblem(String entry) {
    try {
      PoolEntry.parse(entry);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
