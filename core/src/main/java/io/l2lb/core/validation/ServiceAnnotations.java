package io.l2lb.core.validation;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses and checks the l2lb annotations of a Service against its class's pool. A count larger than
 * the pool is not an error here: the Service gets what exists, and allocation says so.
 */
public final class ServiceAnnotations {
  private ServiceAnnotations() {}

  /**
   * The largest count accepted: a guard against a typo that would hand a whole pool (and as many
   * objects) to one Service, now that a count above the pool gets what exists.
   */
  public static final int MAX_COUNT = 1024;

  /**
   * @param pool the bound class's pool, or null when the Service has no class (then only syntax is
   *     checked)
   */
  public static ServiceRequest parse(
      Map<String, String> annotations, String className, AddressPool pool) {
    List<Problem> problems = new ArrayList<>();
    OptionalInt count = parseCount(annotations.get(Annotations.EXTERNAL_IPS_COUNT), problems);
    List<IpAddress> ips =
        parseIps(annotations.get(Annotations.LOAD_BALANCER_IPS), className, pool, problems);

    if (count.isPresent() && !ips.isEmpty() && ips.size() != count.getAsInt()) {
      problems.add(
          Problem.error(
              Annotations.LOAD_BALANCER_IPS,
              "lists "
                  + ips.size()
                  + " IP"
                  + (ips.size() == 1 ? "" : "s")
                  + " but "
                  + Annotations.EXTERNAL_IPS_COUNT
                  + " asks for "
                  + count.getAsInt()
                  + "; list exactly "
                  + count.getAsInt()
                  + " IPs or set the count to "
                  + ips.size()));
    }
    String key = annotations.get(Annotations.SHARED_IP_KEY);
    key = key == null || key.isBlank() ? null : key.trim();
    return new ServiceRequest(count, ips, key, problems);
  }

  private static OptionalInt parseCount(String raw, List<Problem> problems) {
    if (raw == null) {
      return OptionalInt.empty();
    }
    String field = Annotations.EXTERNAL_IPS_COUNT;
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      problems.add(
          Problem.error(
              field,
              "value \""
                  + raw
                  + "\" is not an integer;"
                  + " set it to the number of public IPs the Service needs, e.g. \"3\""));
      return OptionalInt.empty();
    }
    if (value < 1) {
      problems.add(
          Problem.error(
              field,
              "value "
                  + value
                  + " is below 1; a LoadBalancer Service needs"
                  + " at least one public IP: set it to 1 or more, or remove the annotation (default 1)"));
      return OptionalInt.empty();
    }
    if (value > MAX_COUNT) {
      problems.add(
          Problem.error(
              field,
              "value "
                  + value
                  + " is above "
                  + MAX_COUNT
                  + ", the most public IPs one Service can have (each is an L2Announcement);"
                  + " set it to the number of IPs the Service needs"));
      return OptionalInt.empty();
    }
    return OptionalInt.of(value);
  }

  private static List<IpAddress> parseIps(
      String raw, String className, AddressPool pool, List<Problem> problems) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    String field = Annotations.LOAD_BALANCER_IPS;
    List<IpAddress> ips = new ArrayList<>();
    Set<IpAddress> seen = new HashSet<>();
    for (String part : raw.split(",", -1)) {
      String text = part.trim();
      if (text.isEmpty()) {
        problems.add(
            Problem.error(
                field,
                "has an empty entry in \""
                    + raw
                    + "\"; write IPs separated by"
                    + " single commas, e.g. \"192.0.2.10,192.0.2.11\""));
        continue;
      }
      Optional<IpAddress> ip = IpAddress.tryParse(text);
      if (ip.isEmpty()) {
        problems.add(
            Problem.error(
                field,
                "\""
                    + text
                    + "\" is not an IPv4 or IPv6 address;"
                    + " write addresses like 192.0.2.10 or 2001:db8::10"));
        continue;
      }
      if (!seen.add(ip.get())) {
        problems.add(Problem.error(field, ip.get() + " is listed twice; list each IP once"));
        continue;
      }
      if (pool != null && !pool.contains(ip.get())) {
        problems.add(
            Problem.error(
                field,
                ip.get()
                    + " is outside the pool of class "
                    + className
                    + " ("
                    + String.join(", ", pool.entries().stream().map(e -> e.text()).toList())
                    + "); pick addresses from that pool or add it to the class's spec.addressPool"));
        continue;
      }
      ips.add(ip.get());
    }
    return ips;
  }
}
