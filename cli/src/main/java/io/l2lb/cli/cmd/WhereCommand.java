package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Durations;
import io.l2lb.cli.Main;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.cli.out.Table;
import io.l2lb.cli.out.Term;
import io.l2lb.core.Names;
import io.l2lb.core.pool.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code where [SERVICE]}: which node announces each IP. One list call of L2Announcements (what the
 * operator writes per IP, with the speaker's status), so it is fast on any cluster size.
 */
@Command(
    name = "where",
    description = {
      "Show which node announces each public IP.",
      "STATE: announced (the node's speaker answers ARP/NDP), pending (placed, the speaker has not"
          + " confirmed yet), unplaced (no node can take it; the IP stays with the Service),"
          + " fenced (another MAC claimed it and the API did not confirm this node)."
    },
    mixinStandardHelpOptions = true)
public final class WhereCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this Service.")
  String service;

  @Option(
      names = {"-w", "--watch"},
      description =
          "Keep watching and redraw as placements change (ends after --request-timeout if given).")
  boolean watch;

  /** One row of the table. */
  public record Row(
      String namespace,
      String service,
      String ip,
      String node,
      String state,
      String mac,
      String iface,
      String since,
      String message) {

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("namespace", namespace);
      m.put("service", service);
      m.put("ip", ip);
      m.put("node", node);
      m.put("state", state);
      m.put("mac", mac);
      m.put("interface", iface);
      m.put("since", since);
      m.put("message", message);
      return m;
    }
  }

  @Override
  public void run() {
    Ctx ctx = Main.ctx(spec);
    Format format = ctx.format();
    boolean all = ctx.global().allNamespaces;
    if (all && service != null) {
      throw CliError.usage("give a SERVICE or -A, not both");
    }
    Api api = ctx.api();
    String ns = all ? null : ctx.namespace();
    String path = Res.announcements(ns);
    if (service != null) {
      path += "?labelSelector=" + Api.query(Names.Labels.ANNOUNCEMENT_SERVICE + "=" + service);
    }
    Map<String, Object> list = api.get(path);
    Map<String, Map<String, Object>> objects = new TreeMap<>();
    for (Map<String, Object> o : Json.items(list)) {
      objects.put(key(o), o);
    }
    List<Row> rows = rows(objects.values(), service);
    if (!watch) {
      if (rows.isEmpty() && service != null && !format.structured()) {
        explainNoIps(ctx, api, ns);
        return;
      }
      print(ctx, format, rows, all);
      return;
    }
    if (format.structured()) {
      throw CliError.usage("--watch prints tables only; drop -o " + ctx.global().output);
    }
    watch(ctx, api, path, Json.str(list, "metadata", "resourceVersion"), objects, format, all);
  }

  /**
   * Until --request-timeout (if given) or Ctrl-C. The API server ends every watch after a while
   * (--min-request-timeout, 30-60 min) and answers 410 Gone to a resourceVersion it no longer has:
   * then the objects are listed again and the watch resumes from there.
   */
  private void watch(
      Ctx ctx,
      Api api,
      String path,
      String resourceVersion,
      Map<String, Map<String, Object>> objects,
      Format format,
      boolean all) {
    boolean bounded = ctx.global().requestTimeout != null;
    java.time.Instant deadline =
        bounded ? java.time.Instant.now().plus(ctx.requestTimeout()) : null;
    String sep = path.contains("?") ? "&" : "?";
    String[] rv = {resourceVersion};
    Redraw screen = Redraw.open(ctx);
    try {
      screen.show(render(ctx, format, rows(objects.values(), service), all));
      while (true) {
        boolean[] gone = {false};
        String w = path + sep + "resourceVersion=" + rv[0] + "&allowWatchBookmarks=false";
        if (bounded) {
          long left = java.time.Duration.between(java.time.Instant.now(), deadline).toSeconds();
          if (left < 1) {
            return;
          }
          w += "&timeoutSeconds=" + left;
        }
        api.watch(
            w,
            event -> {
              String type = Json.str(event, "type");
              Map<String, Object> obj = Json.map(event, "object");
              if ("ERROR".equals(type)) {
                Object code = obj.get("code");
                if (code instanceof Number n && n.intValue() == 410) {
                  gone[0] = true;
                  return false;
                }
                throw CliError.runtime(
                    "watch ended by the API server: " + Json.str(obj, "message"));
              }
              String v = Json.str(obj, "metadata", "resourceVersion");
              if (v != null) {
                rv[0] = v;
              }
              if ("DELETED".equals(type)) {
                objects.remove(key(obj));
              } else if ("ADDED".equals(type) || "MODIFIED".equals(type)) {
                objects.put(key(obj), obj);
              }
              screen.show(render(ctx, format, rows(objects.values(), service), all));
              return true;
            });
        if (bounded && !java.time.Instant.now().isBefore(deadline)) {
          return;
        }
        if (gone[0] || !bounded) {
          // resume from a fresh list (after 410 Gone, or when the server ended the watch)
          Map<String, Object> list = api.get(path);
          objects.clear();
          for (Map<String, Object> o : Json.items(list)) {
            objects.put(key(o), o);
          }
          rv[0] = Json.str(list, "metadata", "resourceVersion");
          screen.show(render(ctx, format, rows(objects.values(), service), all));
        }
      }
    } finally {
      screen.close();
    }
  }

  private static String key(Map<String, Object> o) {
    return Json.str(o, "metadata", "namespace") + "/" + Json.str(o, "metadata", "name");
  }

  private void explainNoIps(Ctx ctx, Api api, String ns) {
    Map<String, Object> svc = api.getOrNull(Res.service(ns, service));
    if (svc == null) {
      throw CliError.runtime("service \"" + service + "\" not found in namespace " + ns);
    }
    String why = "";
    for (Object c : Json.list(svc, "status", "conditions")) {
      if (Names.Conditions.ALL_PUBLIC_IPS_ASSIGNED.equals(Json.str(c, "type"))) {
        why = ": " + Json.str(c, "message");
      }
    }
    if (!"LoadBalancer".equals(Json.str(svc, "spec", "type"))) {
      why =
          ": it is of type "
              + Json.str(svc, "spec", "type")
              + "; make it a load balancer with `kubectl l2lb expose svc "
              + service
              + " --ips N`";
    }
    ctx.err().println("No public IPs announced for service " + ns + "/" + service + why);
  }

  /** Rows from L2Announcement objects, sorted by namespace, service, IP. */
  public static List<Row> rows(Iterable<Map<String, Object>> announcements, String onlyService) {
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> a : announcements) {
      String svc = Json.str(a, "spec", "serviceRef", "name");
      if (onlyService != null && !onlyService.equals(svc)) {
        continue;
      }
      String node = Json.str(a, "spec", "nodeName");
      String message = Json.str(a, "status", "message");
      boolean announcing = Boolean.TRUE.equals(Json.at(a, "status", "announcing"));
      String state;
      if (node == null || node.isEmpty()) {
        state = "unplaced";
        node = null;
      } else if (message != null && message.startsWith("fenced")) {
        state = "fenced";
      } else if (announcing) {
        state = "announced";
      } else {
        state = "pending";
      }
      rows.add(
          new Row(
              Json.str(a, "metadata", "namespace"),
              svc,
              Json.str(a, "spec", "ip"),
              node,
              state,
              Json.str(a, "status", "mac"),
              Json.str(a, "status", "interface"),
              Json.str(a, "status", "since"),
              message));
    }
    rows.sort(
        Comparator.comparing(Row::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::service, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(r -> ipOrder(r.ip())));
    return rows;
  }

  private static IpAddress ipOrder(String ip) {
    Optional<IpAddress> a = IpAddress.tryParse(ip);
    return a.orElse(IpAddress.parse("255.255.255.255"));
  }

  private void print(Ctx ctx, Format format, List<Row> rows, boolean all) {
    if (format.structured()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("kind", "List");
      doc.put("items", rows.stream().map(Row::toMap).toList());
      ctx.out().print(Printer.render(doc, format));
      return;
    }
    if (rows.isEmpty()) {
      ctx.err()
          .println(
              all
                  ? "No public IPs announced in any namespace."
                  : "No public IPs announced in namespace " + ctx.namespace() + " (try -A).");
      return;
    }
    ctx.out().print(render(ctx, format, rows, all));
  }

  static String render(Ctx ctx, Format format, List<Row> rows, boolean all) {
    boolean wide = format == Format.WIDE;
    List<String> h = new ArrayList<>();
    if (all) {
      h.add("NAMESPACE");
    }
    h.addAll(List.of("SERVICE", "IP", "NODE", "STATE"));
    if (wide) {
      h.addAll(List.of("MAC", "INTERFACE", "SINCE", "MESSAGE"));
    }
    Table t = new Table(h.toArray(new String[0]));
    Instant now = Instant.now();
    for (Row r : rows) {
      List<Object> cells = new ArrayList<>();
      if (all) {
        cells.add(r.namespace());
      }
      cells.add(r.service());
      cells.add(r.ip());
      cells.add(r.node() == null ? "<none>" : r.node());
      cells.add(new Table.Cell(r.state(), stateColour(r.state())));
      if (wide) {
        cells.add(dash(r.mac()));
        cells.add(dash(r.iface()));
        cells.add(r.since() == null ? "-" : ago(r.since(), now));
        cells.add(dash(r.message()));
      }
      t.row(cells.toArray());
    }
    return t.render(ctx.term().width(), ctx.colour());
  }

  private static String stateColour(String state) {
    return switch (state) {
      case "announced" -> Term.GREEN;
      case "pending" -> Term.YELLOW;
      default -> Term.RED;
    };
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String ago(String rfc3339, Instant now) {
    try {
      return Durations.age(Duration.between(Instant.parse(rfc3339), now));
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }
}
