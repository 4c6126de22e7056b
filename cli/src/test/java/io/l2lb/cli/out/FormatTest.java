package io.l2lb.cli.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Durations;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** -o, durations, and YAML/JSON rendering. */
class FormatTest {
  @Test
  void formats() {
    assertThat(Format.parse(null)).isEqualTo(Format.TABLE);
    assertThat(Format.parse("WIDE")).isEqualTo(Format.WIDE);
    assertThat(Format.parse(null, Format.YAML, Format.JSON)).isEqualTo(Format.YAML);
    assertThatThrownBy(() -> Format.parse("wide", Format.TABLE, Format.JSON))
        .isInstanceOfSatisfying(CliError.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("--output wide: not a format of this command; use table, json");
  }

  @Test
  void durations() {
    assertThat(Durations.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("--x", "1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("--x", "7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(Durations.parse("--x", "2h")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> Durations.parse("--x", "5 s")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("--x", "")).hasMessageContaining("not a duration");
    assertThat(Durations.age(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Durations.age(Duration.ofSeconds(305))).isEqualTo("5m5s");
    assertThat(Durations.age(Duration.ofHours(5).plusMinutes(3))).isEqualTo("5h3m");
    assertThat(Durations.age(Duration.ofDays(3))).isEqualTo("3d");
  }

  @Test
  void yamlAndJson() {
    assertThat(Printer.render(Map.of("a", java.util.List.of("x")), Format.YAML))
        .isEqualTo("a:\n- x\n");
    assertThat(Printer.render(Map.of("a", 1L), Format.JSON)).isEqualTo("{\n    \"a\": 1\n}\n");
  }
}
