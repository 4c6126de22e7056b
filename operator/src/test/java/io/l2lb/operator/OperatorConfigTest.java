package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OperatorConfigTest {

  @Test
  void defaults() {
    OperatorConfig c = OperatorConfig.parse(List.of(), Map.of("POD_NAME", "op-1"));
    assertThat(c.namespace()).isEqualTo("l2lb-system");
    assertThat(c.speakerNamespace()).isEqualTo("l2lb-system");
    assertThat(c.identity()).isEqualTo("op-1");
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.metricsPort()).isEqualTo(8080);
    assertThat(c.writeConcurrency()).isEqualTo(32);
  }

  @Test
  void flagsBeatEnvironment() {
    OperatorConfig c =
        OperatorConfig.parse(
            List.of("--namespace=x", "--retry-period", "500ms", "--leader-election=false"),
            Map.of("POD_NAMESPACE", "y"));
    assertThat(c.namespace()).isEqualTo("x");
    assertThat(c.retryPeriod()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.leaderElection()).isFalse();
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(List.of("--lease-duration=soon"), "L2LB_LEASE_DURATION / --lease-duration"),
        Arguments.of(List.of("--metrics-port=70000"), "L2LB_METRICS_PORT"),
        Arguments.of(List.of("--leader-election=maybe"), "use true or false"),
        Arguments.of(
            List.of("--renew-deadline=20s"), "retry-period < renew-deadline < lease-duration"),
        Arguments.of(List.of("--nope=1"), "unknown flag --nope"),
        Arguments.of(List.of("--log-level=loud"), "L2LB_LOG_LEVEL"),
        Arguments.of(List.of("--kubeconfig=/does/not/exist"), "not a readable file"));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void badSettingsNameTheVariableAndTheFix(List<String> args, String text) {
    assertThatThrownBy(() -> OperatorConfig.parse(args, Map.of()))
        .isInstanceOf(OperatorConfig.ConfigException.class)
        .hasMessageContaining(text);
  }
}
