package io.l2lb.cli.cmd;

import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.cli.CliError;
import io.l2lb.cli.Cluster;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Errors;
import io.l2lb.cli.Findings;
import io.l2lb.cli.Main;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.KubeObjects;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.placement.ClassResolution;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.validation.ClassCheck;
import io.l2lb.core.validation.ClassValidator;
import io.l2lb.core.validation.ServiceAnnotations;
import io.l2lb.core.validation.ServiceRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code validate [-f FILE|DIR|-]... [class NAME...]}: the operator's checks on classes from files
 * and/or the cluster: pool syntax, overlaps (also with the cluster's classes), several defaults,
 * selectors that match no node, and demand against the pool (the IPs the Services ask for, and
 * their annotations). Findings name the object and the field; exit 3 when any is an error.
 */
@Command(
    name = "validate",
    description = {
      "Check MetalLoadBalancerClasses from files and/or the cluster, and the Services that use them.",
      "Without -f or names: every class in the cluster. Exit 3 when there are errors."
    },
    mixinStandardHelpOptions = true)
public final class ValidateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "YAML/JSON file, directory of them, or - for stdin (repeatable).")
  List<String> files = new ArrayList<>();

  @Option(names = "--offline", description = "Do not read the cluster (files only).")
  boolean offline;

  @Parameters(
      paramLabel = "class NAME",
      description = "Classes of the cluster to check: `class front edge`.")
  List<String> words = new ArrayList<>();

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format format = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    List<String> names = new ArrayList<>(words);
    if (!names.isEmpty()) {
      String first = names.remove(0);
      if (!List.of("class", "classes", "mlbc", "metalloadbalancerclass").contains(first)) {
        throw CliError.usage(
            "unexpected argument \""
                + first
                + "\": write `validate class NAME...` or `validate -f FILE`");
      }
      if (names.isEmpty()) {
        throw CliError.usage("`validate class` needs at least one class NAME");
      }
    }
    if (offline && !names.isEmpty()) {
      throw CliError.usage("--offline checks files only; drop the class names or --offline");
    }
    if (offline && files.isEmpty()) {
      throw CliError.usage("--offline needs -f FILE");
    }

    Map<String, Map<String, Object>> fileClasses = new LinkedHashMap<>();
    List<Map<String, Object>> fileServices = new ArrayList<>();
    for (String f : files) {
      for (Map<String, Object> doc : read(ctx, f)) {
        String kind = Json.str(doc, "kind");
        if ("MetalLoadBalancerClass".equals(kind)) {
          String n = Json.str(doc, "metadata", "name");
          if (n == null) {
            throw CliError.usage(f + ": a MetalLoadBalancerClass without metadata.name");
          }
          fileClasses.put(n, doc);
        } else if ("Service".equals(kind)) {
          fileServices.add(doc);
        }
      }
    }
    if (!files.isEmpty() && fileClasses.isEmpty() && fileServices.isEmpty()) {
      throw CliError.usage("no MetalLoadBalancerClass or Service in " + String.join(", ", files));
    }

    // the cluster's view, when it can be read
    Map<String, ClassInfo> classes = new TreeMap<>();
    List<NodeInfo> nodes = null;
    List<ServiceInfo> services = new ArrayList<>();
    if (!offline) {
      try {
        Cluster cluster = new Cluster(ctx.api());
        for (ClassInfo c : cluster.classes()) {
          classes.put(c.name(), c);
        }
        nodes = cluster.nodes(Clock.systemUTC());
        services.addAll(cluster.services());
      } catch (CliError | ApiException e) {
        if (files.isEmpty()) {
          throw e;
        }
        String why = e instanceof ApiException a ? Errors.describe(a) : e.getMessage();
        ctx.warn("checking the files only, without the cluster: " + why);
        nodes = null;
      }
    }
    for (String n : names) {
      if (!classes.containsKey(n)) {
        throw CliError.runtime(
            "metalloadbalancerclass \""
                + n
                + "\" not found (classes: "
                + (classes.isEmpty() ? "none" : String.join(", ", classes.keySet()))
                + ")");
      }
    }
    for (Map.Entry<String, Map<String, Object>> e : fileClasses.entrySet()) {
      classes.put(
          e.getKey(), ClassInfo.from(Cluster.typed(e.getValue(), MetalLoadBalancerClass.class)));
    }
    for (Map<String, Object> s : fileServices) {
      Service svc = Cluster.typed(s, Service.class);
      if (svc.getMetadata().getNamespace() == null) {
        svc.getMetadata().setNamespace(offline ? "default" : ctx.namespace());
      }
      if (KubeObjects.isLoadBalancer(svc)) {
        ServiceInfo info = KubeObjects.service(svc, Set.of());
        services.removeIf(x -> x.key().equals(info.key()));
        services.add(info);
      }
    }

    Set<String> report = new LinkedHashSet<>();
    report.addAll(fileClasses.keySet());
    report.addAll(names);
    if (report.isEmpty() && files.isEmpty()) {
      report.addAll(classes.keySet());
    }

    Findings findings = new Findings();
    Map<String, ClassCheck> checks =
        ClassValidator.checkAll(
            new ArrayList<>(classes.values()), nodes == null ? List.of() : nodes);
    for (String n : report) {
      for (var p : checks.get(n).problems()) {
        if (nodes == null && p.field().equals("spec.nodeSelector")) {
          continue; // no nodes known offline: nothing to say about selectors
        }
        findings.add("metalloadbalancerclass/" + n, p);
      }
    }
    demand(classes, checks, services, report, files.isEmpty() && names.isEmpty(), findings);

    findings.print(ctx, format);
    if (!format.structured()) {
      ctx.err()
          .println(
              findings.errors()
                  + " error"
                  + (findings.errors() == 1 ? "" : "s")
                  + ", "
                  + findings.warnings()
                  + " warning"
                  + (findings.warnings() == 1 ? "" : "s")
                  + " in "
                  + report.size()
                  + " class"
                  + (report.size() == 1 ? "" : "es")
                  + (nodes == null ? " (without the cluster)" : ""));
    }
    if (findings.errors() > 0) {
      throw new CliError(
          CliError.FINDINGS,
          "validation found " + findings.errors() + " error" + (findings.errors() == 1 ? "" : "s"));
    }
  }

  /**
   * Services bound to each reported class (by core's {@link ClassResolution}, the rule the operator
   * binds by: spec.loadBalancerClass, else the annotations, else the oldest default class): their
   * annotations, and their total demand against the pool. Services sharing a key share IPs and
   * count once. When the whole cluster is checked, a Service whose annotation names a class that
   * does not exist is an error too.
   */
  private static void demand(
      Map<String, ClassInfo> classes,
      Map<String, ClassCheck> checks,
      List<ServiceInfo> services,
      Set<String> report,
      boolean allServices,
      Findings findings) {
    String defaultClass = ClassResolution.defaultClass(classes.values());
    Map<String, Map<String, Integer>> wanted = new TreeMap<>();
    for (ServiceInfo s : services) {
      // validate reads no announcements: no held class (orphans of a deleted class are the
      // operator's to keep, not demand on any class)
      ClassResolution.Resolved resolved =
          ClassResolution.resolve(s, classes::containsKey, defaultClass, null);
      if (resolved.binding() == ClassResolution.Binding.UNBOUND && allServices) {
        resolved.problems().forEach(p -> findings.add("service/" + s.key(), p));
      }
      String cls =
          resolved.binding() == ClassResolution.Binding.BOUND ? resolved.className() : null;
      if (cls == null || !report.contains(cls)) {
        continue;
      }
      AddressPool pool = checks.get(cls).pool();
      ServiceRequest r = ServiceAnnotations.parse(s.annotations(), cls, pool);
      String object = "service/" + s.key();
      r.problems().forEach(p -> findings.add(object, p));
      String unit = r.sharedKey() != null ? "shared key " + r.sharedKey() : s.key().toString();
      wanted
          .computeIfAbsent(cls, x -> new LinkedHashMap<>())
          .merge(unit, r.wantedCount(), Math::max);
    }
    for (Map.Entry<String, Map<String, Integer>> e : wanted.entrySet()) {
      int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
      BigInteger size = checks.get(e.getKey()).pool().size();
      if (size.compareTo(BigInteger.valueOf(total)) < 0) {
        findings.error(
            "metalloadbalancerclass/" + e.getKey(),
            "spec.addressPool",
            "Services ask for "
                + total
                + " IPs ("
                + describe(e.getValue())
                + ") but the pool has "
                + size
                + "; add addresses to the pool or lower the Services' "
                + Annotations.EXTERNAL_IPS_COUNT);
      }
    }
  }

  private static String describe(Map<String, Integer> byUnit) {
    List<String> parts = new ArrayList<>();
    byUnit.forEach((k, v) -> parts.add(k + ": " + v));
    return String.join(", ", parts);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> read(Ctx ctx, String f) {
    List<String> texts = new ArrayList<>();
    List<String> origins = new ArrayList<>();
    try {
      if (f.equals("-")) {
        texts.add(new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8));
        origins.add("stdin");
      } else {
        Path p = Path.of(f);
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            for (Path x : s.sorted().toList()) {
              String n = x.getFileName().toString();
              if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) {
                texts.add(Files.readString(x));
                origins.add(x.toString());
              }
            }
          }
        } else if (Files.isRegularFile(p)) {
          texts.add(Files.readString(p));
          origins.add(f);
        } else {
          throw CliError.usage("-f " + f + ": no such file or directory");
        }
      }
    } catch (IOException e) {
      throw CliError.runtime("cannot read " + f + ": " + e.getMessage(), e);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(texts.get(i))) {
          if (d instanceof Map<?, ?> m) {
            if ("List".equals(m.get("kind")) || String.valueOf(m.get("kind")).endsWith("List")) {
              for (Object item : Json.list(m, "items")) {
                if (item instanceof Map) {
                  docs.add((Map<String, Object>) item);
                }
              }
            } else {
              docs.add((Map<String, Object>) m);
            }
          }
        }
      } catch (RuntimeException e) {
        throw CliError.usage(
            origins.get(i) + " is not valid YAML: " + e.getMessage().split("\n")[0]);
      }
    }
    return docs;
  }
}
