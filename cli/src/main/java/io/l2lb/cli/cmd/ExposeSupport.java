package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.Durations;
import io.l2lb.cli.Res;
import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.Json;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.Problem;
import io.l2lb.core.validation.ServiceAnnotations;
import io.l2lb.core.validation.ServiceRequest;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks, the class choice and the wait both expose commands share. */
final class ExposeSupport {
  private ExposeSupport() {}

  /** The class to use: --class (must exist), else the default class (must exist). */
  static Map<String, Object> chooseClass(Api api, ExposeOptions o) {
    List<Map<String, Object>> classes = api.list(Res.CLASSES);
    List<String> names =
        classes.stream().map(c -> Json.str(c, "metadata", "name")).sorted().toList();
    if (o.className != null) {
      for (Map<String, Object> c : classes) {
        if (o.className.equals(Json.str(c, "metadata", "name"))) {
          return c;
        }
      }
      throw CliError.runtime(
          "metalloadbalancerclass \""
              + o.className
              + "\" not found (classes: "
              + (names.isEmpty()
                  ? "none: create one with `kubectl l2lb create class`"
                  : String.join(", ", names))
              + ")");
    }
    List<Map<String, Object>> defaults =
        classes.stream().filter(c -> Boolean.TRUE.equals(Json.at(c, "spec", "isDefault"))).toList();
    if (defaults.isEmpty()) {
      throw CliError.usage(
          "no default MetalLoadBalancerClass: pass --class NAME (classes: "
              + (names.isEmpty()
                  ? "none: create one with `kubectl l2lb create class`"
                  : String.join(", ", names))
              + ")");
    }
    return defaults.stream()
        .min((a, b) -> Json.str(a, "metadata", "name").compareTo(Json.str(b, "metadata", "name")))
        .orElseThrow();
  }

  /** The annotations to set, checked against the class pool the way the operator checks them. */
  static Map<String, String> annotations(ExposeOptions o, Map<String, Object> cls) {
    if (o.ips == null && o.ipList.isEmpty()) {
      throw CliError.usage("missing --ips N (how many public IPs the Service gets)");
    }
    if (o.ips != null && o.ips < 1) {
      throw CliError.usage("--ips " + o.ips + ": a LoadBalancer Service needs at least 1 IP");
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Annotations.EXTERNAL_IPS_COUNT, String.valueOf(o.ips != null ? o.ips : o.ipList.size()));
    if (!o.ipList.isEmpty()) {
      a.put(Annotations.LOAD_BALANCER_IPS, String.join(",", o.ipList));
    }
    String className = Json.str(cls, "metadata", "name");
    List<String> poolEntries = new ArrayList<>();
    Json.list(cls, "spec", "addressPool").forEach(e -> poolEntries.add(String.valueOf(e)));
    AddressPool pool = AddressPool.parseLenient(poolEntries).pool();
    ServiceRequest r = ServiceAnnotations.parse(a, className, pool);
    if (!r.valid()) {
      List<String> msgs = r.problems().stream().map(Problem::message).toList();
      boolean syntax =
          msgs.stream().anyMatch(m -> m.contains("is not an IPv4") || m.contains("listed twice"));
      throw new CliError(
          syntax ? CliError.USAGE : CliError.FINDINGS,
          (o.ipList.isEmpty() ? "--ips " + o.ips : "--ip " + String.join(",", o.ipList))
              + ": "
              + String.join("; ", msgs));
    }
    // The operator gives a count above the pool what exists (and says so in the Service's
    // conditions); asked here, before anything is written, the user can still choose.
    if (o.ips != null && pool.size().compareTo(BigInteger.valueOf(o.ips)) < 0) {
      throw new CliError(
          CliError.FINDINGS,
          "--ips "
              + o.ips
              + ": asks for "
              + o.ips
              + " IPs but the pool of class "
              + className
              + " has only "
              + pool.size()
              + (pool.size().equals(BigInteger.ONE) ? " address" : " addresses")
              + "; lower --ips or add addresses to spec.addressPool of MetalLoadBalancerClass "
              + className);
    }
    return a;
  }

  /** After the change: the result, or the wait for the operator and the DNS records. */
  static void finish(
      Ctx ctx,
      Api api,
      String ns,
      String svc,
      int wanted,
      ExposeOptions o,
      Format f,
      Map<String, Object> service,
      String verb) {
    if (o.wait == null) {
      if (f.structured()) {
        ctx.out().print(Printer.render(service, f));
      } else {
        ctx.out()
            .println(
                "service/"
                    + svc
                    + " "
                    + verb
                    + ": asks for "
                    + wanted
                    + " public IP"
                    + (wanted == 1 ? "" : "s")
                    + " (`kubectl l2lb where "
                    + svc
                    + "` shows where they are announced)");
      }
      return;
    }
    Duration timeout = Durations.parse("--wait", o.wait);
    Instant deadline = Instant.now().plus(timeout);
    String last = null;
    Map<String, Object> current = service;
    while (true) {
      List<String> ips = ingress(current);
      String progress = ips.size() + " of " + wanted + " public IPs assigned";
      String why = condition(current);
      String line = progress + (why == null || ips.size() >= wanted ? "" : " (" + why + ")");
      if (!line.equals(last)) {
        ctx.err().println("service/" + svc + ": " + line);
        ctx.err().flush();
        last = line;
      }
      if (ips.size() >= wanted) {
        print(ctx, ns, svc, ips, o, f, current);
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw CliError.runtime(
            "timed out after "
                + o.wait
                + " waiting for service/"
                + svc
                + ": "
                + progress
                + (why == null
                    ? " (is the l2lb operator running? `kubectl l2lb status`)"
                    : ": " + why));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliError.runtime("interrupted");
      }
      current = api.get(Res.service(ns, svc));
    }
  }

  static List<String> ingress(Map<String, Object> svc) {
    List<String> ips = new ArrayList<>();
    for (Object i : Json.list(svc, "status", "loadBalancer", "ingress")) {
      String ip = Json.str(i, "ip");
      if (ip != null && !ip.isEmpty()) {
        ips.add(ip);
      }
    }
    return ips;
  }

  private static String condition(Map<String, Object> svc) {
    for (Object c : Json.list(svc, "status", "conditions")) {
      if (Names.Conditions.ALL_PUBLIC_IPS_ASSIGNED.equals(Json.str(c, "type"))) {
        return Json.str(c, "message");
      }
    }
    return null;
  }

  private static void print(
      Ctx ctx,
      String ns,
      String svc,
      List<String> ips,
      ExposeOptions o,
      Format f,
      Map<String, Object> current) {
    if (f.structured()) {
      ctx.out().print(Printer.render(current, f));
      return;
    }
    String name = o.dnsName != null ? o.dnsName : svc + "." + ns + ".example.com";
    if (!name.endsWith(".")) {
      name += ".";
    }
    ctx.out()
        .println(
            "service/"
                + svc
                + " has "
                + ips.size()
                + " public IP"
                + (ips.size() == 1 ? "" : "s")
                + ": "
                + String.join(", ", ips));
    ctx.out()
        .println(
            "DNS records to publish"
                + (o.dnsName == null ? " (replace the name with yours):" : ":"));
    for (String ip : ips) {
      boolean v6 = IpAddress.tryParse(ip).map(a -> a.family().bits() == 128).orElse(false);
      ctx.out().println(name + "\t300\tIN\t" + (v6 ? "AAAA" : "A") + "\t" + ip);
    }
  }
}
