package io.l2lb.e2e.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The demo's "IP → node, before and after" table; moved IPs are marked. */
public final class IpTable {
  private IpTable() {}

  public static List<String> render(Map<String, String> before, Map<String, String> after) {
    TreeSet<String> ips = new TreeSet<>(before.keySet());
    ips.addAll(after.keySet());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"IP", "BEFORE", "AFTER", ""});
    for (String ip : ips) {
      String b = before.getOrDefault(ip, "-");
      String a = after.getOrDefault(ip, "-");
      rows.add(new String[] {ip, b, a, Objects.equals(b, a) ? "" : "<- moved"});
    }
    int[] widths = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]).append(" ".repeat(widths[i] - r[i].length()));
        if (i < r.length - 1) {
          line.append("  ");
        }
      }
      out.add(line.toString().stripTrailing());
    }
    return out;
  }
}
