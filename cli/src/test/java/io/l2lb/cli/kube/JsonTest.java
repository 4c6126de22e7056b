package io.l2lb.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesWhatTheApiServerSends() {
    Map<String, Object> o =
        Json.parseObject(
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\\\"y\\n\\u00e9\"},\"e\":-1.5e3,\"f\":12345678901234567890}");
    assertThat(o.get("a")).isEqualTo(1L);
    assertThat(Json.list(o, "b")).containsExactly(true, false, null);
    assertThat(Json.str(o, "c", "d")).isEqualTo("x\"y\né");
    assertThat(o.get("e")).isEqualTo(new BigDecimal("-1.5e3"));
    assertThat(o.get("f")).isEqualTo(new BigDecimal("12345678901234567890"));
    assertThat(Json.at(o, "c", "nope", "deeper")).isNull();
  }

  @Test
  void writesAndReadsBack() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "tab\there \"q\" \u0001");
    m.put("l", List.of(1L, "two", Map.of()));
    m.put("n", null);
    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    assertThat(Json.pretty(Map.of("k", List.of(1L))))
        .isEqualTo("{\n    \"k\": [\n        1\n    ]\n}\n");
  }

  @Test
  void rejectsBrokenJson() {
    assertThatThrownBy(() -> Json.parse("{\"a\":")).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> Json.parse("[1,2] x")).hasMessageContaining("trailing");
  }
}
