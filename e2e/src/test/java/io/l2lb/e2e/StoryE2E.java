package io.l2lb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.e2e.lab.Kubectl;
import io.l2lb.e2e.lab.StoryLab;
import io.l2lb.e2e.story.Story;
import io.l2lb.testkit.RepoRoot;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product story end to end, in the order the docs tell it, on the lab: real kube-apiserver, two
 * operator processes, three speakers on three front nodes, nginx on each, a client sending
 * round-robin to the three A records. Driven through {@code kubectl l2lb} via the real kubectl.
 *
 * <p>Asserts what the story promises (who serves what, that only the failed node's IP loses
 * requests, that nothing moves when nothing failed), never a latency target: those are in the
 * failover benchmark.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoryE2E {
  static final double RATE = 30; // requests per second, 10 per IP
  static StoryLab lab;
  static Story story;

  @BeforeAll
  static void start() {
    lab =
        StoryLab.start(
            StoryLab.Options.defaults(RepoRoot.get()).named("story"), System.out::println);
    story = new Story(lab, Kubectl.forLab(lab, RepoRoot.get()), System.out::println);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void aClassBindsTheFrontNodesToAPool() {
    Kubectl.Result r = story.createClass();
    assertThat(r.out()).contains("51 addresses").contains("front-0, front-1, front-2");
  }

  @Test
  @Order(2)
  void aServiceAsksForThreeIpsAndEachFrontNodeAnnouncesOne() {
    Kubectl.Result r = story.expose(3);
    assertThat(story.ips()).hasSize(3).allMatch(ip -> ip.startsWith("192.0.2.1"));
    assertThat(r.out()).contains("3 public IPs");
    Map<String, String> placement = story.awaitSpread(Duration.ofSeconds(30));
    assertThat(new HashSet<>(placement.values()))
        .containsExactlyInAnyOrder("front-0", "front-1", "front-2");

    story.startTraffic(RATE);
    assertThat(story.resolvedLine()).contains(String.join(",", story.ips()));
    for (String ip : story.ips()) {
      assertThat(story.trafficLog().servedBy(ip, Long.MAX_VALUE)).contains(placement.get(ip));
    }
  }

  @Test
  @Order(3)
  void aNodeFailsAndTheSimulatedNodeTakesItsIpOver() {
    Story.Failover f = story.nodeFailure("front-0");
    System.out.println("node failure: " + f);
    assertThat(f.predicted()).as("simulate failover names a node").isNotNull();
    assertThat(f.to()).isEqualTo(f.predicted()).isNotEqualTo("front-0");
    assertThat(f.servedBy()).isEqualTo(f.to());
    assertThat(f.failedElsewhere()).as("requests to the other IPs that failed").isZero();
    assertThat(f.after())
        .as("only front-0's IP moved")
        .containsAllEntriesOf(without(f.before(), f.ip()));
    assertThat(story.where().get(f.ip()).node()).isEqualTo(f.to());
  }

  @Test
  @Order(4)
  void theNodeRecoversAndEveryNodeHoldsOneIpAgain() {
    Story.Recovery r = story.recoverNode("front-0");
    System.out.println("recovery: " + r);
    assertThat(new HashSet<>(r.after().values()))
        .containsExactlyInAnyOrder("front-0", "front-1", "front-2");
  }

  @Test
  @Order(5)
  void nginxFailsUnderLocalPolicyAndOnlyItsIpMoves() {
    story.useLocalTrafficPolicy();
    Story.Failover f = story.nginxFailure("front-1");
    System.out.println("nginx failure: " + f);
    assertThat(f.to()).isNotEqualTo("front-1");
    assertThat(f.servedBy()).isEqualTo(f.to());
    assertThat(f.failedElsewhere()).isZero();
    assertThat(f.after()).containsAllEntriesOf(without(f.before(), f.ip()));
    Story.Recovery r = story.recoverNginx("front-1");
    System.out.println("recovery: " + r);
    assertThat(new HashSet<>(r.after().values()))
        .containsExactlyInAnyOrder("front-0", "front-1", "front-2");
  }

  @Test
  @Order(6)
  void anApiServerRestartLosesNoRequest() {
    Story.Steady s = story.restartApiServer();
    System.out.println(s);
    assertThat(s.requests()).isPositive();
    assertThat(s.failed()).isZero();
    assertThat(s.after()).isEqualTo(s.before());
    assertThat(s.changedAnnouncements()).isZero();
  }

  @Test
  @Order(7)
  void operatorRestartAndLeaderKillMoveNoIp() {
    Story.Steady s = story.restartAndKillOperators();
    System.out.println(s);
    assertThat(s.failed()).isZero();
    assertThat(s.after()).isEqualTo(s.before());
    assertThat(s.changedAnnouncements()).isZero();
  }

  @Test
  @Order(8)
  void aSpeakerRestartedWithinItsLeaseMovesNoIp() {
    Story.Steady s = story.restartSpeaker("front-2");
    System.out.println(s);
    assertThat(s.failed()).isZero();
    assertThat(s.after()).isEqualTo(s.before());
    assertThat(s.changedAnnouncements()).isZero();
  }

  static Map<String, String> without(Map<String, String> m, String key) {
    Map<String, String> copy = new java.util.TreeMap<>(m);
    copy.remove(key);
    return copy;
  }
}
