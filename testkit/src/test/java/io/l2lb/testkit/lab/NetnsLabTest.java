package io.l2lb.testkit.lab;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lab must refuse loudly, never skip, when it cannot run. Needs no root. */
class NetnsLabTest {

  @Test
  void missingToolIsNamedInTheFailure() {
    assertThatThrownBy(() -> NetnsLab.requirePrerequisites("l2lb-no-such-tool"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing command 'l2lb-no-such-tool'")
        .hasMessageContaining("apt-get install");
  }
}
