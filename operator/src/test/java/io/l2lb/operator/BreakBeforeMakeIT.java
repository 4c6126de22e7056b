package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.testkit.KubeApiTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Break-before-make on a real API server: a move off a node whose speaker is alive is released
 * there first, and placed on the new node only once that speaker reports {@code announcing: false}
 * (a {@link FakeSpeaker} per node plays the speakers' side of the API), or the release timeout runs
 * out; a move off a dead node is one write. Every state each object goes through is recorded from a
 * watch, whose events for one object arrive in resourceVersion order.
 */
class BreakBeforeMakeIT extends KubeApiTestBase {

  static final Duration SETTLE = Duration.ofSeconds(20);

  /** One observed version of an announcement: node label, spec.nodeName, status.announcing. */
  record Seen(long atNanos, String label, String spec, Boolean announcing) {
    boolean releasing() {
      return label != null && !label.equals(spec);
    }
  }

  /** Ways front-0 stops being a candidate while its speaker lives on, and how it recovers. */
  enum LiveFailure {
    EXCLUSION_LABEL(
        (h, n) -> h.fixtures.node(n).excludedFromExternalLoadBalancers().update(),
        (h, n) -> h.fixtures.node(n).withoutLabel(Names.Labels.EXCLUDE_FROM_LB).update()),
    NOT_READY((h, n) -> h.fixtures.nodeReady(n, false), (h, n) -> h.fixtures.nodeReady(n, true)),
    NETWORK_UNAVAILABLE(
        (h, n) -> h.fixtures.networkUnavailable(n, true),
        (h, n) -> h.fixtures.networkUnavailable(n, false)),
    RELABELLED(
        (h, n) -> h.fixtures.node(n).label("node-role", "elsewhere").update(),
        (h, n) -> h.fixtures.node(n).label("node-role", roleOf(n)).update()),
    LOCAL_ENDPOINT_LOST(
        (h, n) -> {
          h.fixtures.podReady("nginx-" + n, false);
          h.fixtures.syncEndpointSlice("app");
        },
        (h, n) -> {
          h.fixtures.podReady("nginx-" + n, true);
          h.fixtures.syncEndpointSlice("app");
        });

    final BiConsumer<OperatorHarness, String> fail;
    final BiConsumer<OperatorHarness, String> recover;

    LiveFailure(
        BiConsumer<OperatorHarness, String> fail, BiConsumer<OperatorHarness, String> recover) {
      this.fail = fail;
      this.recover = recover;
    }
  }

  static String roleOf(String node) {
    return "bbm-" + node.substring(node.lastIndexOf('-') + 1);
  }

  OperatorHarness h;
  String id;
  List<String> front;
  Map<String, FakeSpeaker> speakers = new HashMap<>();
  Map<String, List<Seen>> seen = new HashMap<>();
  SharedIndexInformer<L2Announcement> watch;

  @BeforeEach
  void cluster() {
    h = new OperatorHarness(cluster, namespace);
    id = Integer.toHexString(namespace.hashCode() & 0xfffff);
    front = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String n = "bbm-" + i + "-" + id;
      h.node(n, Map.of("node-role", "bbm-" + id));
      front.add(n);
    }
    h.createClass("bbm-" + id, true, Map.of("node-role", "bbm-" + id), "192.0.2.100-192.0.2.150");
    watch =
        client
            .resources(L2Announcement.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(L2Announcement a) {
                    record(a);
                  }

                  @Override
                  public void onUpdate(L2Announcement o, L2Announcement a) {
                    record(a);
                  }

                  @Override
                  public void onDelete(L2Announcement a, boolean unknown) {}
                });
  }

  synchronized void record(L2Announcement a) {
    String label =
        a.getMetadata().getLabels() == null
            ? null
            : a.getMetadata().getLabels().get(Names.Labels.ANNOUNCEMENT_NODE);
    Boolean announcing = a.getStatus() == null ? null : a.getStatus().getAnnouncing();
    Seen s = new Seen(System.nanoTime(), label, a.getSpec().getNodeName(), announcing);
    List<Seen> list = seen.computeIfAbsent(a.getMetadata().getName(), k -> new ArrayList<>());
    Seen last = list.isEmpty() ? null : list.get(list.size() - 1);
    if (last == null
        || !Objects.equals(last.label(), label)
        || !Objects.equals(last.spec(), s.spec())
        || !Objects.equals(last.announcing(), announcing)) {
      list.add(s);
    }
  }

  synchronized List<Seen> history(String name) {
    return List.copyOf(seen.getOrDefault(name, List.of()));
  }

  @AfterEach
  void cleanUp() {
    if (watch != null) {
      watch.close();
    }
    speakers.values().forEach(FakeSpeaker::close);
    h.close();
  }

  void speakers(Duration releaseDelay) {
    for (String n : front) {
      speakers.put(n, new FakeSpeaker(client, namespace, n, releaseDelay));
    }
  }

  L2lbOperator operator(String identity, String releaseTimeout) {
    return h.startLeader(identity, Map.of("L2LB_RELEASE_TIMEOUT", releaseTimeout));
  }

  /** The Service's three IPs on three nodes, every speaker reporting it announces. */
  Map<String, String> threeIps(boolean local) {
    var svc =
        fixtures
            .service("app")
            .selector("app", "nginx")
            .port(80)
            .annotation(Names.Annotations.EXTERNAL_IPS_COUNT, "3");
    if (local) {
      svc.externalTrafficPolicyLocal();
      for (int i = 0; i < front.size(); i++) {
        fixtures
            .pod("nginx-" + front.get(i))
            .onNode(front.get(i))
            .label("app", "nginx")
            .ip("10.244." + i + ".10")
            .ready()
            .create();
      }
    }
    svc.create();
    if (local) {
      fixtures.syncEndpointSlice("app");
    }
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              assertThat(new HashSet<>(h.placement("app").values()))
                  .containsExactlyInAnyOrderElementsOf(front);
              assertThat(h.announcements())
                  .allSatisfy(
                      a -> {
                        // the fake speaker may not have written a status yet: retried, no NPE
                        assertThat(a.getStatus()).isNotNull();
                        assertThat(a.getStatus().getAnnouncing()).isTrue();
                      });
            });
    return h.placement("app");
  }

  static String ipOn(Map<String, String> placement, String node) {
    return placement.entrySet().stream()
        .filter(e -> e.getValue().equals(node))
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  String objectOf(String ip) {
    return h.announcementsOf("app").stream()
        .filter(a -> a.getSpec().getIp().equals(ip))
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getName();
  }

  /**
   * The history of one move from {@code from}: released there (label from, spec elsewhere), the
   * release reported, and only then the label on the new node.
   */
  static void assertReleasedBeforePlaced(List<Seen> history, String from) {
    int released = -1;
    int placed = -1;
    int firstStep = -1;
    for (int i = 0; i < history.size(); i++) {
      Seen s = history.get(i);
      if (firstStep < 0 && s.releasing() && from.equals(s.label())) {
        firstStep = i;
      }
      if (firstStep >= 0 && released < 0 && s.releasing() && Boolean.FALSE.equals(s.announcing())) {
        released = i;
      }
      if (firstStep >= 0 && placed < 0 && !s.releasing() && !from.equals(s.label())) {
        placed = i;
      }
    }
    assertThat(firstStep).as("released on %s first: %s", from, history).isNotNegative();
    assertThat(placed).as("then placed elsewhere: %s", history).isPositive();
    assertThat(released)
        .as("the old speaker reported the release before the new node got it: %s", history)
        .isNotNegative()
        .isLessThan(placed);
    for (Seen s : history.subList(0, placed)) {
      assertThat(s.label())
          .as("no other node's speaker saw it before the release: %s", history)
          .isIn(from, null);
    }
  }

  @ParameterizedTest
  @EnumSource(LiveFailure.class)
  void aMoveOffANodeWhoseSpeakerLivesWaitsForItsRelease(LiveFailure failure) {
    speakers(Duration.ofMillis(700));
    operator("operator", "20s");
    Map<String, String> before = threeIps(failure == LiveFailure.LOCAL_ENDPOINT_LOST);
    String failed = front.get(0);
    String ip = ipOn(before, failed);
    String name = objectOf(ip);
    Map<String, String> versions = h.announcementVersions();

    failure.fail.accept(h, failed);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              L2Announcement a = h.fixtures.getAnnouncement(name);
              assertThat(a.getMetadata().getLabels().get(Names.Labels.ANNOUNCEMENT_NODE))
                  .isIn(front.get(1), front.get(2));
            });
    assertReleasedBeforePlaced(history(name), failed);
    long firstStep =
        history(name).stream().filter(Seen::releasing).findFirst().orElseThrow().atNanos();
    long secondStep =
        history(name).stream()
            .filter(s -> !s.releasing() && !failed.equals(s.label()) && s.atNanos() > firstStep)
            .findFirst()
            .orElseThrow()
            .atNanos();
    assertThat(Duration.ofNanos(secondStep - firstStep))
        .as("waited for the (700 ms late) report, not for the 20 s timeout")
        .isBetween(Duration.ofMillis(600), Duration.ofSeconds(10));
    Map<String, String> after = h.announcementVersions();
    versions.forEach(
        (n, v) -> {
          if (!n.equals(name)) {
            assertThat(after.get(n)).as("untouched: %s", n).isEqualTo(v);
          }
        });
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(h.events("app", Names.Events.FAILED_OVER))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(ip + " failed over from")));

    // recovery: the spread restore moves an IP off a live node too, in two steps
    String doubled = h.placement("app").get(ip);
    failure.recover.accept(h, failed);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(new HashSet<>(h.placement("app").values()))
                    .containsExactlyInAnyOrderElementsOf(front));
    String restored = ipOn(h.placement("app"), failed);
    await()
        .atMost(SETTLE)
        .until(
            () ->
                failed.equals(
                    h.fixtures
                        .getAnnouncement(objectOf(restored))
                        .getMetadata()
                        .getLabels()
                        .get(Names.Labels.ANNOUNCEMENT_NODE)));
    List<Seen> restore = history(objectOf(restored));
    // the move to front-0 came from the node that held two of the Service's IPs
    assertReleasedBeforePlaced(
        restore.subList(indexOfLastPlacedOn(restore, doubled), restore.size()), doubled);
  }

  static int indexOfLastPlacedOn(List<Seen> history, String node) {
    for (int i = history.size() - 1; i >= 0; i--) {
      Seen s = history.get(i);
      if (node.equals(s.label()) && node.equals(s.spec())) {
        return i;
      }
    }
    throw new AssertionError("never placed on " + node + ": " + history);
  }

  @Test
  void withoutAReportTheMoveCompletesWhenTheReleaseTimesOut() {
    speakers(null); // live, but never reports a release
    operator("operator", "2s");
    Map<String, String> before = threeIps(false);
    String failed = front.get(0);
    String name = objectOf(ipOn(before, failed));

    h.fixtures.node(failed).excludedFromExternalLoadBalancers().update();
    await()
        .atMost(SETTLE)
        .until(
            () ->
                !failed.equals(
                    h.fixtures
                        .getAnnouncement(name)
                        .getMetadata()
                        .getLabels()
                        .get(Names.Labels.ANNOUNCEMENT_NODE)));
    List<Seen> history = history(name);
    Seen first = history.stream().filter(Seen::releasing).findFirst().orElseThrow();
    Seen placed = history.get(history.size() - 1);
    assertThat(placed.releasing()).isFalse();
    assertThat(history).noneMatch(s -> s.releasing() && Boolean.FALSE.equals(s.announcing()));
    assertThat(Duration.ofNanos(placed.atNanos() - first.atNanos()))
        .as("the 2 s release timeout, on a timer: %s", history)
        .isBetween(Duration.ofMillis(1800), Duration.ofMillis(4000));
  }

  @Test
  void aMoveOffADeadNodeIsOneWrite() {
    speakers(Duration.ofMillis(700));
    operator("operator", "20s");
    Map<String, String> before = threeIps(false);
    String failed = front.get(0);
    String name = objectOf(ipOn(before, failed));

    speakers.get(failed).close();
    h.speakerCrash(failed); // its Lease runs out
    await()
        .atMost(SETTLE)
        .until(() -> !failed.equals(h.placement("app").get(ipOn(before, failed))));
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(history(name).get(history(name).size() - 1).label())
                    .isNotEqualTo(failed));
    assertThat(history(name))
        .as("never released on a dead node: straight to the new one")
        .noneMatch(Seen::releasing);
  }

  @Test
  void aRestartedOperatorFinishesAMoveFromTheObjects() {
    speakers(null);
    L2lbOperator first = operator("operator-a", "30s");
    Map<String, String> before = threeIps(false);
    String failed = front.get(0);
    String name = objectOf(ipOn(before, failed));

    h.fixtures.node(failed).excludedFromExternalLoadBalancers().update();
    await().atMost(SETTLE).until(() -> history(name).stream().anyMatch(Seen::releasing));
    String target = h.fixtures.getAnnouncement(name).getSpec().getNodeName();
    first.shutdown();

    L2lbOperator second = operator("operator-b", "30s");
    await().atMost(SETTLE).until(() -> second.passes() >= 1);
    assertThat(h.fixtures.getAnnouncement(name).getMetadata().getLabels())
        .as("still waiting for the old speaker")
        .containsEntry(Names.Labels.ANNOUNCEMENT_NODE, failed);
    speakers.get(failed).answerReleases(Duration.ZERO);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(h.fixtures.getAnnouncement(name).getMetadata().getLabels())
                    .containsEntry(Names.Labels.ANNOUNCEMENT_NODE, target));
    assertReleasedBeforePlaced(history(name), failed);
  }
}
