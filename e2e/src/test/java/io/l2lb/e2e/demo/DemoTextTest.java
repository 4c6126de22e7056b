package io.l2lb.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemoTextTest {
  @Test
  void chartShowsAnOutageAsDots() {
    Map<String, int[]> perSecond = new TreeMap<>();
    perSecond.put("192.0.2.100", new int[] {7, 7, 0, 0, 2, 7});
    perSecond.put("192.0.2.101", new int[] {7, 7, 7, 7, 7, 7});
    List<String> rows =
        TextChart.render(
            perSecond, 7, Map.of("192.0.2.100", "front-2", "192.0.2.101", "front-1"), 60);
    assertThat(rows)
        .containsExactly("192.0.2.100 front-2  ██··▃█  7/s", "192.0.2.101 front-1  ██████  7/s");
  }

  @Test
  void chartKeepsOnlyTheNewestSeconds() {
    List<String> rows = TextChart.render(Map.of("a", new int[] {0, 0, 5, 5}), 5, Map.of(), 2);
    assertThat(rows).containsExactly("a   ██  5/s");
  }

  @Test
  void tableMarksMovedIps() {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("192.0.2.100", "front-0");
    before.put("192.0.2.101", "front-1");
    Map<String, String> after = Map.of("192.0.2.100", "front-2", "192.0.2.101", "front-1");
    assertThat(IpTable.render(before, after))
        .containsExactly(
            "IP           BEFORE   AFTER",
            "192.0.2.100  front-0  front-2  <- moved",
            "192.0.2.101  front-1  front-1");
  }
}
