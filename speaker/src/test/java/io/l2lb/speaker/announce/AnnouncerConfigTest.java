package io.l2lb.speaker.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnnouncerConfigTest {

  @Test
  void defaultsMatchTheIssue() {
    AnnouncerConfig c = AnnouncerConfig.defaults();
    assertThat(c.garpInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.garpDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.refreshInterval()).isZero();
    assertThat(c.followUpBursts()).isEqualTo(5);
  }

  static Stream<Arguments> invalid() {
    Duration s = Duration.ofSeconds(1);
    return Stream.of(
        Arguments.of("zero interval", Duration.ZERO, s, Duration.ZERO, s),
        Arguments.of("negative duration", s, s.negated(), Duration.ZERO, s),
        Arguments.of("negative refresh", s, s, s.negated(), s),
        Arguments.of("zero check timeout", s, s, Duration.ZERO, Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsNonsense(
      String name, Duration interval, Duration duration, Duration refresh, Duration timeout) {
    assertThatThrownBy(() -> new AnnouncerConfig(interval, duration, refresh, timeout))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
