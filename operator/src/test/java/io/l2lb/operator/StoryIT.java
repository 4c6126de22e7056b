package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.l2lb.core.Names;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.testkit.KubeApiTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The product story on a real API server: three front nodes and a worker, a class over
 * 192.0.2.100-192.0.2.150 selecting the front nodes, a Service asking for three IPs. Each way a
 * node can stop being a candidate moves exactly that node's IP to another front node and leaves the
 * other two announcements untouched; when the node recovers, one IP per node again.
 */
class StoryIT extends KubeApiTestBase {

  static final Duration SETTLE = Duration.ofSeconds(20);

  /** How front-0 fails, and how it recovers. */
  enum Failure {
    LEASE_EXPIRED((h, n) -> h.speakerCrash(n), (h, n) -> h.speakerUp(n)),
    LEASE_DELETED((h, n) -> h.speakerStop(n), (h, n) -> h.speakerUp(n)),
    NOT_READY((h, n) -> h.fixtures.nodeReady(n, false), (h, n) -> h.fixtures.nodeReady(n, true)),
    READY_UNKNOWN(
        (h, n) -> h.fixtures.node(n).readyUnknown().update(),
        (h, n) -> h.fixtures.nodeReady(n, true)),
    NETWORK_UNAVAILABLE(
        (h, n) -> h.fixtures.networkUnavailable(n, true),
        (h, n) -> h.fixtures.networkUnavailable(n, false)),
    EXCLUSION_LABEL(
        (h, n) -> h.fixtures.node(n).excludedFromExternalLoadBalancers().update(),
        (h, n) -> h.fixtures.node(n).withoutLabel(Names.Labels.EXCLUDE_FROM_LB).update()),
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

    Failure(BiConsumer<OperatorHarness, String> fail, BiConsumer<OperatorHarness, String> recover) {
      this.fail = fail;
      this.recover = recover;
    }
  }

  OperatorHarness h;
  String id;
  List<String> front;
  String worker;
  String className;

  @BeforeEach
  void cluster() {
    h = new OperatorHarness(cluster, namespace);
    id = namespace.substring(namespace.lastIndexOf('-') + 1) + namespace.hashCode() % 1000;
    id = id.replace("-", "");
    String role = "front-" + id;
    front = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String n = "front-" + i + "-" + id;
      h.node(n, Map.of("node-role", role));
      front.add(n);
    }
    worker = "worker-0-" + id;
    h.node(worker, Map.of("node-role", "worker-" + id));
    className = "front-" + id;
    h.createClass(className, true, Map.of("node-role", role), "192.0.2.100-192.0.2.150");
  }

  @AfterEach
  void cleanUp() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void onlyTheFailedNodesIpMovesAndComesBack(Failure failure) {
    boolean local = failure == Failure.LOCAL_ENDPOINT_LOST;
    var svc =
        fixtures
            .service("app")
            .selector("app", "nginx")
            .port(80)
            .annotation(Names.Annotations.EXTERNAL_IPS_COUNT, "3");
    if (local) {
      svc.externalTrafficPolicyLocal();
    }
    svc.create();
    if (local) {
      for (int i = 0; i < front.size(); i++) {
        fixtures
            .pod("nginx-" + front.get(i))
            .onNode(front.get(i))
            .label("app", "nginx")
            .ip("10.244." + i + ".10")
            .ready()
            .create();
      }
      fixtures.syncEndpointSlice("app");
    }
    L2lbOperator operator = h.startLeader("operator-a");

    // three IPs, three distinct front nodes, all in status
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              Map<String, String> p = h.placement("app");
              assertThat(p).hasSize(3);
              assertThat(new HashSet<>(p.values())).containsExactlyInAnyOrderElementsOf(front);
              assertThat(h.ingress("app")).containsExactlyElementsOf(p.keySet());
              Condition c = h.condition("app", Names.Conditions.ALL_PUBLIC_IPS_ASSIGNED);
              assertThat(c).isNotNull();
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage()).isEqualTo("3 of 3 public IPs were assigned");
            });
    Map<String, String> before = h.placement("app");
    assertThat(before.keySet())
        .allMatch(ip -> ip.startsWith("192.0.2.1") && ip.compareTo("192.0.2.150") <= 0);
    assertThat(h.service("app").getStatus().getLoadBalancer().getIngress())
        .allMatch(i -> "VIP".equals(i.getIpMode()));
    assertThat(h.condition("app", Names.Conditions.SERVICE_CLASS).getMessage())
        .isEqualTo("bound to MetalLoadBalancerClass " + className);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              MetalLoadBalancerClass c = h.getClass(className);
              assertThat(c.getStatus().getAddresses().getTotal()).isEqualTo(51);
              assertThat(c.getStatus().getAddresses().getAllocated()).isEqualTo(3);
              assertThat(c.getStatus().getAddresses().getFree()).isEqualTo(48);
              assertThat(c.getStatus().getNodes().getSelected()).isEqualTo(3);
              assertThat(c.getStatus().getNodes().getReady()).isEqualTo(3);
              assertThat(h.events("app", Names.Events.IP_ALLOCATED)).hasSize(1);
            });
    assertThat(h.events("app", Names.Events.IP_ALLOCATED).get(0).getMessage())
        .startsWith("3 public IPs allocated from class " + className + ": ")
        .contains(before.keySet());
    for (String n : front) {
      assertThat(h.fixtures.getNode(n).getMetadata().getLabels())
          .containsEntry(Names.Labels.MEMBER, "true");
    }
    assertThat(h.fixtures.getNode(worker).getMetadata().getLabels())
        .doesNotContainKey(Names.Labels.MEMBER);

    // a quiet period: Lease renewals go on, nothing is written
    Map<String, String> versions = h.announcementVersions();
    String serviceVersion = h.service("app").getMetadata().getResourceVersion();
    long writes = operator.metrics().writesTotal();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> operator.metrics().writesTotal() == writes);
    assertThat(h.announcementVersions()).isEqualTo(versions);
    assertThat(h.service("app").getMetadata().getResourceVersion()).isEqualTo(serviceVersion);

    // front-0 fails: only its IP moves, to front-1 or front-2
    String failed = front.get(0);
    String moved =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals(failed))
            .findFirst()
            .get()
            .getKey();
    failure.fail.accept(h, failed);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> assertThat(h.placement("app").get(moved)).isIn(front.get(1), front.get(2)));
    Map<String, String> after = h.announcementVersions();
    for (String name : versions.keySet()) {
      if (!name.endsWith(io.l2lb.operator.plan.AnnouncementNamesTestAccess.slug(moved))) {
        assertThat(after.get(name)).as("untouched: " + name).isEqualTo(versions.get(name));
      }
    }
    assertThat(h.ingress("app")).containsExactlyElementsOf(before.keySet());
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(h.events("app", Names.Events.FAILED_OVER))
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getMessage())
                                .contains(moved + " failed over from " + failed)));

    // front-0 recovers: one IP per node again
    failure.recover.accept(h, failed);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              Map<String, String> p = h.placement("app");
              assertThat(p.keySet()).isEqualTo(before.keySet());
              Set<String> nodes = new HashSet<>(p.values());
              assertThat(nodes).containsExactlyInAnyOrderElementsOf(front);
            });
    assertThat(h.ingress("app")).containsExactlyElementsOf(before.keySet());
  }
}
