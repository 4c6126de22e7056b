package io.l2lb.e2e.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's small live chart: successful requests per second per IP, one row per IP, one character
 * per second, scaled to the rate the client sends at; a failed second shows as {@code ·} so an
 * outage stands out even in a terminal without colour.
 *
 * <pre>
 * 192.0.2.100 front-1  ▇▇▇▇▇▇··▂▇▇▇▇  7/s
 * </pre>
 */
public final class TextChart {
  private static final char[] BARS = {'·', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

  private TextChart() {}

  /**
   * @param perSecond successes per second, per IP (every row the same length)
   * @param expectedPerSecond requests per second each IP gets (a full bar)
   * @param labels text after the IP on each row (e.g. the node serving it), may miss IPs
   * @param width at most this many seconds are shown (the newest)
   */
  public static List<String> render(
      Map<String, int[]> perSecond,
      double expectedPerSecond,
      Map<String, String> labels,
      int width) {
    List<String> rows = new ArrayList<>();
    int ipWidth = perSecond.keySet().stream().mapToInt(String::length).max().orElse(0);
    int labelWidth = labels.values().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, int[]> e : perSecond.entrySet()) {
      int[] counts = e.getValue();
      int from = Math.max(0, counts.length - width);
      StringBuilder row = new StringBuilder();
      row.append(pad(e.getKey(), ipWidth)).append(' ');
      row.append(pad(labels.getOrDefault(e.getKey(), ""), labelWidth)).append("  ");
      for (int i = from; i < counts.length; i++) {
        row.append(bar(counts[i], expectedPerSecond));
      }
      int last = counts.length == 0 ? 0 : counts[counts.length - 1];
      row.append("  ").append(last).append("/s");
      rows.add(row.toString());
    }
    return rows;
  }

  static char bar(int count, double expected) {
    if (count <= 0) {
      return BARS[0];
    }
    int level =
        (int) Math.ceil(Math.min(1.0, count / Math.max(expected, 1e-9)) * (BARS.length - 1));
    return BARS[Math.max(1, level)];
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
