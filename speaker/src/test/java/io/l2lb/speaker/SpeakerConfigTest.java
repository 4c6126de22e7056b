package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpeakerConfigTest {

  static SpeakerConfig parse(List<String> args, Map<String, String> env) {
    return SpeakerConfig.parse(args, env);
  }

  @Test
  void defaultsNeedOnlyTheNodeName() {
    SpeakerConfig c = parse(List.of(), Map.of("NODE_NAME", "front-0"));
    assertThat(c.nodeName()).isEqualTo("front-0");
    assertThat(c.leaseNamespace()).isEqualTo("l2lb-system");
    assertThat(c.leaseInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.garpInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.garpDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.refreshInterval()).isZero();
    assertThat(c.metricsPort()).isEqualTo(7472);
    assertThat(c.kubeconfig()).isEmpty();
    assertThat(c.defaultInterface()).isEmpty();
  }

  @Test
  void flagsOverrideTheEnvironment() {
    SpeakerConfig c =
        parse(
            List.of(
                "--node-name=front-1",
                "--lease-interval",
                "500ms",
                "--lease-duration=2",
                "--refresh-interval=1m",
                "--metrics-port=0",
                "--interface",
                "bond0"),
            Map.of("NODE_NAME", "front-0", "POD_NAMESPACE", "lb", "L2LB_GARP_DURATION", "3s"));
    assertThat(c.nodeName()).isEqualTo("front-1");
    assertThat(c.leaseNamespace()).isEqualTo("lb");
    assertThat(c.leaseInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.garpDuration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.metricsPort()).isZero();
    assertThat(c.defaultInterface()).isEqualTo(Optional.of("bond0"));
  }

  @Test
  void aMissingNodeNameSaysWhereToGetIt() {
    assertThatThrownBy(() -> parse(List.of(), Map.of()))
        .hasMessageContaining("NODE_NAME is not set")
        .hasMessageContaining("spec.nodeName")
        .hasMessageContaining("--node-name");
  }

  @Test
  void malformedValuesNameTheVariableAndTheFix() {
    Map<String, String> env = Map.of("NODE_NAME", "n", "L2LB_LEASE_INTERVAL", "soon");
    assertThatThrownBy(() -> parse(List.of(), env))
        .hasMessageContaining("L2LB_LEASE_INTERVAL")
        .hasMessageContaining("'soon'")
        .hasMessageContaining("500ms");
    assertThatThrownBy(
            () ->
                parse(
                    List.of("--lease-interval=3s", "--lease-duration=3s"),
                    Map.of("NODE_NAME", "n")))
        .hasMessageContaining("longer than L2LB_LEASE_INTERVAL");
    assertThatThrownBy(() -> parse(List.of("--lease-duration=2500ms"), Map.of("NODE_NAME", "n")))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> parse(List.of("--metrics-port=70000"), Map.of("NODE_NAME", "n")))
        .hasMessageContaining("L2LB_METRICS_PORT");
    assertThatThrownBy(
            () -> parse(List.of("--kubeconfig=/nonexistent/kc"), Map.of("NODE_NAME", "n")))
        .hasMessageContaining("/nonexistent/kc")
        .hasMessageContaining("in-cluster");
    assertThatThrownBy(() -> parse(List.of("--lease-intervall=1s"), Map.of("NODE_NAME", "n")))
        .hasMessageContaining("unknown flag --lease-intervall")
        .hasMessageContaining("usage:");
    assertThatThrownBy(() -> parse(List.of("front-0"), Map.of("NODE_NAME", "n")))
        .hasMessageContaining("unexpected argument 'front-0'");
  }

  @Test
  void usageListsEveryFlagWithItsVariable() {
    String usage = SpeakerConfig.usage();
    for (SpeakerConfig.Option o : SpeakerConfig.OPTIONS) {
      assertThat(usage).contains("--" + o.flag(), "$" + o.env());
    }
  }
}
