package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.api.MetalLoadBalancerClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interactive prompt of {@code create class}, driven in a real terminal: tmux runs the packaged
 * plugin, send-keys types, capture-pane reads the screen. Needs tmux (scripts/test.sh installs it);
 * without it the test fails.
 */
class PromptE2E extends CliTestBase {
  private final String session = "l2lb-prompt-" + ProcessHandle.current().pid();

  private static String tmux(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("tmux");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("tmux %s: %s", String.join(" ", args), out).isZero();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "tmux is needed for this test (apt-get install tmux; scripts/test.sh does it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String screen() {
    return tmux("capture-pane", "-p", "-t", session);
  }

  @AfterEach
  void killSession() {
    try {
      new ProcessBuilder("tmux", "kill-session", "-t", session)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // already gone
    }
  }

  @Test
  void whereWatchRedrawsInPlace() throws Exception {
    announce(namespace, "web", "192.0.2.10", "front-0", "front", true, null);
    Path dist =
        Path.of(System.getProperty("l2lb.cli.dist", "target/kubectl-l2lb")).toAbsolutePath();
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "20",
        "env KUBECONFIG="
            + kubeconfig
            + " L2LB_NO_CACHE=1 "
            + dist.resolve("kubectl-l2lb")
            + " where -n "
            + namespace
            + " --watch; sleep 30");
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> screen().contains("front-0"));
    io.l2lb.core.api.L2Announcement a =
        client
            .resources(io.l2lb.core.api.L2Announcement.class)
            .inNamespace(namespace)
            .withName("web-192-0-2-10")
            .get();
    a.getSpec().setNodeName("front-1");
    client
        .resources(io.l2lb.core.api.L2Announcement.class)
        .inNamespace(namespace)
        .resource(a)
        .update();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("front-1"));
    String screen = screen();
    assertThat(screen).doesNotContain("front-0");
    assertThat(screen.split("SERVICE", -1)).as("one table on the screen:\n%s", screen).hasSize(2);
  }

  @Test
  void asksForTheMissingOptionsAndCompletesNodeLabels() throws Exception {
    createNode("p-" + id, Map.of("zone-" + id, "edge"));
    String name = "prompt-" + id;
    classes.add(name);
    Path dist =
        Path.of(System.getProperty("l2lb.cli.dist", "target/kubectl-l2lb")).toAbsolutePath();
    Path done = Files.createTempFile("prompt", ".rc");
    String command =
        "env KUBECONFIG="
            + kubeconfig
            + " L2LB_NO_CACHE=1 "
            + dist.resolve("kubectl-l2lb")
            + " create class "
            + name
            + "; echo \"exit=$?\" > "
            + done;
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", command);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> screen().contains("Pool:"));
    // a bad entry is refused with the fix, then a good one
    tmux("send-keys", "-t", session, "198.18.70.20-198.18.70.10", "Enter");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> screen().contains("write the lower address first"));
    tmux("send-keys", "-t", session, "198.18.70.0/28", "Enter");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> screen().contains("Node selector:"));
    // TAB completes the label key (one key starts so), then its value
    tmux("send-keys", "-t", session, "zone-" + id.substring(0, 2), "Tab");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> screen().contains("zone-" + id + "="));
    tmux("send-keys", "-t", session, "Tab");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> screen().contains("zone-" + id + "=edge"));
    tmux("send-keys", "-t", session, "Enter");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("Interfaces"));
    tmux("send-keys", "-t", session, "Enter");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("[y/N]"));
    tmux("send-keys", "-t", session, "n", "Enter");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(done) > 0);
    assertThat(Files.readString(done)).isEqualTo("exit=0\n");
    MetalLoadBalancerClass c = client.resources(MetalLoadBalancerClass.class).withName(name).get();
    assertThat(c).isNotNull();
    assertThat(c.getSpec().getAddressPool()).containsExactly("198.18.70.0/28");
    assertThat(c.getSpec().getNodeSelector()).containsExactly(Map.entry("zone-" + id, "edge"));
    assertThat(c.getSpec().getIsDefault()).isFalse();
  }
}
