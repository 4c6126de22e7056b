package io.l2lb.speaker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HotPathWarmupTest {

  /** It answers every synthetic request (it checks that itself) and stays cheap. */
  @Test
  void answersEverySyntheticRequestQuickly() {
    assertThat(HotPathWarmup.run(HotPathWarmup.DEFAULT_ROUNDS)).isLessThan(Duration.ofSeconds(10));
  }
}
