package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Cluster;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Main;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.cli.out.Table;
import io.l2lb.cli.out.Term;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.placement.FailoverSimulation;
import io.l2lb.core.placement.FailoverSimulation.Step;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code simulate failover --node N [SERVICE|-A]}: core's placement engine on the live snapshot
 * (read through the operator's edge conversions), then with the nodes failed. Reads only: it writes
 * nothing to the cluster.
 */
@Command(
    name = "failover",
    description = {
      "Show where each IP would go if these nodes failed (the operator's engine on the live state; writes nothing).",
      "Lists the moved IPs, Services that would lose every IP, and nodes that would take several IPs of one Service."
    },
    mixinStandardHelpOptions = true)
public final class SimulateFailoverCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      required = true,
      split = ",",
      paramLabel = "NODE",
      description = "Node(s) that fail.")
  List<String> nodes = new ArrayList<>();

  @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this Service (in -n).")
  String service;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format();
    boolean all = ctx.global().allNamespaces;
    if (all && service != null) {
      throw CliError.usage("give a SERVICE or -A, not both");
    }
    String ns = all ? null : ctx.namespace();
    Snapshot snapshot = new Cluster(ctx.api()).snapshot(Clock.systemUTC());
    FailoverSimulation.Report report;
    try {
      report = FailoverSimulation.simulate(snapshot, new LinkedHashSet<>(nodes));
    } catch (IllegalArgumentException e) {
      throw CliError.usage("--node: " + e.getMessage());
    }
    List<Step> steps = new ArrayList<>();
    for (Step s : report.steps()) {
      if ((ns == null || s.service().namespace().equals(ns))
          && (service == null || s.service().name().equals(service))) {
        steps.add(s);
      }
    }
    steps.sort(java.util.Comparator.comparing(Step::service).thenComparing(Step::ip));
    if (service != null && steps.isEmpty()) {
      throw CliError.runtime("service " + ns + "/" + service + " holds no l2lb IPs");
    }
    // Services that would lose every IP; nodes that would take several IPs of one Service
    Map<ServiceKey, List<Step>> byService = new TreeMap<>();
    steps.forEach(s -> byService.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s));
    List<String> lostAll = new ArrayList<>();
    List<String> crowded = new ArrayList<>();
    for (Map.Entry<ServiceKey, List<Step>> e : byService.entrySet()) {
      boolean hadAny = e.getValue().stream().anyMatch(s -> s.before() != null);
      boolean keepsAny = e.getValue().stream().anyMatch(s -> s.after() != null);
      if (hadAny && !keepsAny) {
        lostAll.add(e.getKey().toString());
      }
      Map<String, Integer> perNode = new TreeMap<>();
      e.getValue()
          .forEach(
              s -> {
                if (s.after() != null) perNode.merge(s.after(), 1, Integer::sum);
              });
      perNode.forEach(
          (node, n) -> {
            if (n > 1) crowded.add(node + " would hold " + n + " IPs of " + e.getKey());
          });
    }
    if (f.structured()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("failedNodes", new ArrayList<>(nodes));
      List<Map<String, Object>> items = new ArrayList<>();
      for (Step s : steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", s.service().namespace());
        m.put("service", s.service().name());
        m.put("ip", s.ip().toString());
        m.put("class", s.className());
        m.put("before", s.before());
        m.put("after", s.after());
        m.put("moved", s.moved());
        items.add(m);
      }
      doc.put("ips", items);
      doc.put("servicesLosingEveryIP", lostAll);
      doc.put("nodesWithSeveralIPsOfOneService", crowded);
      ctx.out().print(Printer.render(doc, f));
      return;
    }
    if (steps.isEmpty()) {
      ctx.out()
          .println(
              "No l2lb IPs"
                  + (ns == null ? "" : " in namespace " + ns + " (try -A)")
                  + ": nothing would move.");
      return;
    }
    Table t =
        all
            ? new Table("NAMESPACE", "SERVICE", "IP", "BEFORE", "AFTER", "")
            : new Table("SERVICE", "IP", "BEFORE", "AFTER", "");
    Set<String> failed = Set.copyOf(nodes);
    int moved = 0;
    for (Step s : steps) {
      String note;
      String colour = null;
      if (!s.moved()) {
        note = "";
      } else if (s.after() == null) {
        note = "LOST";
        colour = Term.RED;
      } else {
        note = "moved";
        colour = Term.YELLOW;
      }
      if (s.moved()) {
        moved++;
      }
      List<Object> cells = new ArrayList<>();
      if (all) {
        cells.add(s.service().namespace());
      }
      cells.add(s.service().name());
      cells.add(s.ip().toString());
      cells.add(
          new Table.Cell(
              s.before() == null ? "<none>" : s.before(),
              s.before() != null && failed.contains(s.before()) ? Term.RED : null));
      cells.add(new Table.Cell(s.after() == null ? "<none>" : s.after(), colour));
      cells.add(new Table.Cell(note, colour));
      t.row(cells.toArray());
    }
    ctx.out().print(t.render(ctx.term().width(), ctx.colour()));
    ctx.out().println();
    ctx.out()
        .println(
            "If "
                + String.join(", ", nodes)
                + (nodes.size() == 1 ? " fails" : " fail")
                + ": "
                + moved
                + " of "
                + steps.size()
                + " IPs move.");
    for (String s : lostAll) {
      ctx.out()
          .println(
              "Service " + s + " would lose every public IP (no other node can announce them).");
    }
    for (String c : crowded) {
      ctx.out().println("Node " + c + " (fewer nodes than IPs left for it).");
    }
  }
}
