package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

  @TempDir Path dir;

  Path procStatus(String uid, String capEff) throws IOException {
    return Files.writeString(
        dir.resolve("status"),
        "Name:\tjava\nUid:\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\nCapInh:\t0000000000000000\nCapEff:\t"
            + capEff
            + "\n");
  }

  @Test
  void capNetRawIsBit13OfCapEff() {
    assertThat(Preflight.hasCapability("0000000000002000", 13)).isTrue();
    assertThat(Preflight.hasCapability("000001ffffffffff", 13)).isTrue();
    assertThat(Preflight.hasCapability("00000000a80425fb", 13))
        .as("docker's default set has NET_RAW")
        .isTrue();
    assertThat(Preflight.hasCapability("0000000000001000", 13)).isFalse();
    assertThat(Preflight.hasCapability("0000000000000000", 13)).isFalse();
  }

  @Test
  void withNetRawTheCheckPasses() throws IOException {
    Preflight.requireNetRaw(procStatus("1000", "0000000000002000"), 1000);
    Preflight.requireNetRaw(procStatus("0", "000001ffffffffff"), 0);
  }

  @Test
  void notRootAndNoNetRawFailsWithTheFix() throws IOException {
    Path status = procStatus("1000", "0000000000000000");
    assertThatThrownBy(() -> Preflight.requireNetRaw(status, 1000))
        .isInstanceOfSatisfying(
            StartupCheckFailed.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NO_NET_RAW))
        .hasMessageContaining("not root (euid 1000) and no CAP_NET_RAW")
        .hasMessageContaining("NET_RAW")
        .hasMessageContaining("runAsUser: 0");
  }

  @Test
  void rootWithoutNetRawFailsToo() throws IOException {
    Path status = procStatus("0", "00000000a80005fb");
    assertThatThrownBy(() -> Preflight.requireNetRaw(status, 0))
        .hasMessageContaining("running as root but without CAP_NET_RAW");
  }

  @Test
  void theUidComesFromTheNativeCall() {
    // the test JVM's own euid through geteuid(); /proc is only the fallback
    long fromProc =
        Preflight.statusField(Path.of("/proc/self/status"), "Uid")
            .map(v -> Long.parseLong(v.trim().split("\\s+")[1]))
            .orElseThrow();
    assertThat(Preflight.effectiveUid(dir.resolve("missing"))).isEqualTo(fromProc);
  }
}
