package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Cluster;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Durations;
import io.l2lb.cli.Errors;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.cli.out.Table;
import io.l2lb.cli.out.Term;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Components;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code status}: is l2lb healthy here? CRDs installed and established, the operator available and
 * which replica leads, each member node's speaker with its Lease age, every class with its pool
 * usage. Exit 1 when anything is unhealthy.
 */
@Command(
    name = "status",
    description = "Show the health of l2lb in the cluster (exit 1 when unhealthy).",
    mixinStandardHelpOptions = true)
public final class StatusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format f = ctx.format(Format.TABLE, Format.JSON, Format.YAML);
    Api api = ctx.api();
    Clock clock = Clock.systemUTC();
    List<String> problems = new ArrayList<>();
    Map<String, Object> doc = new LinkedHashMap<>();

    // CRDs
    Map<String, Object> crds = new LinkedHashMap<>();
    for (String crd : List.of(Res.CLASS_CRD, Res.ANNOUNCEMENT_CRD)) {
      Map<String, Object> o = api.getOrNull(Res.crd(crd));
      String state =
          o == null ? "missing" : condition(o, "Established") ? "established" : "not established";
      crds.put(crd, state);
      if (!"established".equals(state)) {
        problems.add("CRD " + crd + " is " + state);
      }
    }
    doc.put("crds", crds);
    if (crds.containsValue("missing")) {
      if (f.structured()) {
        doc.put("healthy", false);
        doc.put("problems", problems);
        ctx.out().print(Printer.render(doc, f));
      }
      throw CliError.runtime(Errors.NOT_INSTALLED);
    }

    // operator
    Map<String, Object> operator = new LinkedHashMap<>();
    Map<String, Object> dep =
        api.getOrNull(Res.deployment(Components.NAMESPACE, Components.OPERATOR));
    if (dep == null) {
      operator.put("state", "not installed");
      problems.add(
          "operator Deployment " + Components.NAMESPACE + "/" + Components.OPERATOR + " not found");
    } else {
      long want = num(Json.at(dep, "spec", "replicas"), 1);
      long available = num(Json.at(dep, "status", "availableReplicas"), 0);
      operator.put("replicas", want);
      operator.put("available", available);
      operator.put(
          "version",
          Json.str(dep, "spec", "template", "metadata", "labels", Components.VERSION_LABEL));
      if (available < 1) {
        problems.add("operator: no replica available (0 of " + want + ")");
      }
    }
    Map<String, Object> leader =
        api.getOrNull(Res.leases(Components.NAMESPACE) + "/" + Components.OPERATOR_LEADER_LEASE);
    if (leader != null
        && Json.str(leader, "spec", "holderIdentity") != null
        && Cluster.fresh(leader, clock)) {
      operator.put("leader", Json.str(leader, "spec", "holderIdentity"));
      operator.put("leaderRenewed", age(Cluster.leaseAge(leader, clock)));
    } else {
      operator.put("leader", null);
      if (dep != null) {
        problems.add(
            "operator: no replica holds the leader Lease " + Components.OPERATOR_LEADER_LEASE);
      }
    }
    doc.put("operator", operator);

    // the speaker DaemonSet, then the speaker of each member node
    Map<String, Object> daemonSet = new LinkedHashMap<>();
    Map<String, Object> ds = api.getOrNull(Res.daemonSet(Components.NAMESPACE, Components.SPEAKER));
    if (ds == null) {
      daemonSet.put("state", "not installed");
      problems.add(
          "speaker DaemonSet " + Components.NAMESPACE + "/" + Components.SPEAKER + " not found");
    } else {
      daemonSet.put("desired", num(Json.at(ds, "status", "desiredNumberScheduled"), 0));
      daemonSet.put("available", num(Json.at(ds, "status", "numberAvailable"), 0));
      daemonSet.put(
          "version",
          Json.str(ds, "spec", "template", "metadata", "labels", Components.VERSION_LABEL));
    }
    doc.put("speakerDaemonSet", daemonSet);
    Map<String, Map<String, Object>> leases = new LinkedHashMap<>();
    for (Map<String, Object> l : api.list(Res.leases(Components.NAMESPACE))) {
      leases.put(Json.str(l, "metadata", "name"), l);
    }
    List<Map<String, Object>> speakers = new ArrayList<>();
    String selector = Api.query(Names.Labels.MEMBER + "=true");
    for (Map<String, Object> n : api.list(Res.NODES + "?labelSelector=" + selector)) {
      String node = Json.str(n, "metadata", "name");
      Map<String, Object> lease = leases.get(Names.speakerLeaseName(node));
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("node", node);
      if (lease == null) {
        s.put("lease", "missing");
        s.put("healthy", false);
        problems.add("speaker on " + node + ": no Lease " + Names.speakerLeaseName(node));
      } else {
        boolean fresh = Cluster.fresh(lease, clock);
        s.put("lease", age(Cluster.leaseAge(lease, clock)));
        s.put("healthy", fresh);
        if (!fresh) {
          problems.add(
              "speaker on "
                  + node
                  + ": Lease not renewed for "
                  + age(Cluster.leaseAge(lease, clock)));
        }
      }
      speakers.add(s);
    }
    doc.put("speakers", speakers);

    // classes
    List<Map<String, Object>> classes = new ArrayList<>();
    for (Map<String, Object> c : api.list(Res.CLASSES)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", Json.str(c, "metadata", "name"));
      m.put("default", Boolean.TRUE.equals(Json.at(c, "spec", "isDefault")));
      m.put("total", Json.at(c, "status", "addresses", "total"));
      m.put("allocated", Json.at(c, "status", "addresses", "allocated"));
      m.put("free", Json.at(c, "status", "addresses", "free"));
      m.put("nodesSelected", Json.at(c, "status", "nodes", "selected"));
      m.put("nodesReady", Json.at(c, "status", "nodes", "ready"));
      m.put("valid", conditionText(c, Names.Conditions.VALID));
      m.put("ready", conditionText(c, Names.Conditions.READY));
      classes.add(m);
    }
    doc.put("classes", classes);
    doc.put("healthy", problems.isEmpty());
    doc.put("problems", problems);

    if (f.structured()) {
      ctx.out().print(Printer.render(doc, f));
    } else {
      print(ctx, crds, operator, daemonSet, speakers, classes, problems);
    }
    if (!problems.isEmpty()) {
      throw CliError.runtime(
          "l2lb is unhealthy: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
    }
  }

  private static void print(
      Ctx ctx,
      Map<String, Object> crds,
      Map<String, Object> operator,
      Map<String, Object> daemonSet,
      List<Map<String, Object>> speakers,
      List<Map<String, Object>> classes,
      List<String> problems) {
    var out = ctx.out();
    boolean c = ctx.colour();
    crds.forEach((k, v) -> out.println("CRD " + k + ": " + v));
    if (operator.containsKey("state")) {
      out.println("Operator: " + operator.get("state"));
    } else {
      out.println(
          "Operator: "
              + operator.get("available")
              + "/"
              + operator.get("replicas")
              + " available"
              + (operator.get("version") == null ? "" : ", version " + operator.get("version"))
              + ", leader "
              + (operator.get("leader") == null
                  ? "none"
                  : operator.get("leader")
                      + " (renewed "
                      + operator.get("leaderRenewed")
                      + " ago)"));
    }
    if (daemonSet.containsKey("state")) {
      out.println("Speaker DaemonSet: " + daemonSet.get("state"));
    } else {
      out.println(
          "Speaker DaemonSet: "
              + daemonSet.get("available")
              + "/"
              + daemonSet.get("desired")
              + " available"
              + (daemonSet.get("version") == null ? "" : ", version " + daemonSet.get("version")));
    }
    out.println();
    if (speakers.isEmpty()) {
      out.println("Speakers: no member nodes (label " + Names.Labels.MEMBER + "=true)");
    } else {
      Table t = new Table("NODE", "SPEAKER", "LEASE RENEWED");
      for (Map<String, Object> s : speakers) {
        boolean ok = Boolean.TRUE.equals(s.get("healthy"));
        t.row(
            s.get("node"),
            new Table.Cell(ok ? "ok" : "down", ok ? Term.GREEN : Term.RED),
            "missing".equals(s.get("lease")) ? "no lease" : s.get("lease") + " ago");
      }
      out.print(t.render(ctx.term().width(), c));
    }
    out.println();
    if (classes.isEmpty()) {
      out.println("Classes: none (create one with `kubectl l2lb create class`)");
    } else {
      Table t =
          new Table("CLASS", "DEFAULT", "ALLOCATED", "FREE", "TOTAL", "NODES", "VALID", "READY");
      for (Map<String, Object> m : classes) {
        t.row(
            m.get("name"),
            Boolean.TRUE.equals(m.get("default")) ? "yes" : "",
            dash(m.get("allocated")),
            dash(m.get("free")),
            dash(m.get("total")),
            dash(m.get("nodesReady")) + "/" + dash(m.get("nodesSelected")),
            dash(m.get("valid")),
            dash(m.get("ready")));
      }
      out.print(t.render(ctx.term().width(), c));
    }
    if (!problems.isEmpty()) {
      out.println();
      for (String p : problems) {
        out.println((c ? Term.RED + "problem:" + Term.RESET : "problem:") + " " + p);
      }
    }
  }

  private static String dash(Object o) {
    return o == null ? "-" : String.valueOf(o);
  }

  private static long num(Object o, long dflt) {
    return o instanceof Number n ? n.longValue() : dflt;
  }

  private static String age(Duration d) {
    return d == null ? "never" : Durations.age(d);
  }

  static boolean condition(Map<String, Object> o, String type) {
    for (Object c : Json.list(o, "status", "conditions")) {
      if (type.equals(Json.str(c, "type"))) {
        return "True".equals(Json.str(c, "status"));
      }
    }
    return false;
  }

  private static String conditionText(Map<String, Object> o, String type) {
    for (Object c : Json.list(o, "status", "conditions")) {
      if (type.equals(Json.str(c, "type"))) {
        return ("True".equals(Json.str(c, "status")) ? "True" : "False")
            + " ("
            + Json.str(c, "reason")
            + ")";
      }
    }
    return null;
  }
}
