package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.l2lb.core.Names;
import io.l2lb.testkit.KubeApiTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances: the standby keeps warm caches and writes nothing; a SIGTERM'd leader
 * hands the Lease back at once; a crashed one is replaced once its Lease runs out; a restart
 * rebuilds everything from the objects. None of it changes an announcement or a Service status.
 */
class HandoverIT extends KubeApiTestBase {

  OperatorHarness h;
  String id;

  @BeforeEach
  void cluster() {
    h = new OperatorHarness(cluster, namespace);
    id = Integer.toHexString(namespace.hashCode() & 0xfffff);
    for (int i = 0; i < 3; i++) {
      h.node("ho-" + i + "-" + id, Map.of("node-role", "ho-" + id));
    }
    h.createClass("ho-" + id, true, Map.of("node-role", "ho-" + id), "192.0.2.160-192.0.2.190");
    fixtures.service("web").annotation(Names.Annotations.EXTERNAL_IPS_COUNT, "3").create();
    fixtures.service("api").create();
    fixtures
        .service("dns")
        .annotation(Names.Annotations.LOAD_BALANCER_IPS, "192.0.2.190,192.0.2.189")
        .create();
  }

  @AfterEach
  void cleanUp() {
    h.close();
  }

  /** Every announcement's and Service's resourceVersion, and the class's. */
  Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>(h.announcementVersions());
    for (String s : new String[] {"web", "api", "dns"}) {
      v.put("service/" + s, h.service(s).getMetadata().getResourceVersion());
    }
    v.put("class", h.getClass("ho-" + id).getMetadata().getResourceVersion());
    return v;
  }

  void awaitSettled() {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(h.announcements()).hasSize(6);
              assertThat(h.ingress("web")).hasSize(3);
              assertThat(h.ingress("api")).hasSize(1);
              assertThat(h.ingress("dns")).containsExactly("192.0.2.189", "192.0.2.190");
            });
  }

  /**
   * Waits for three seconds in a row without a write. The operator may still be finishing what it
   * started (a class status deferred by the one-second count pacing, Events), so the quiet window
   * may begin late; it must come within 20 s.
   */
  static void quiet(L2lbOperator o) {
    AtomicLong last = new AtomicLong(o.metrics().writesTotal());
    AtomicLong since = new AtomicLong(System.nanoTime());
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long writes = o.metrics().writesTotal();
              if (writes != last.getAndSet(writes)) {
                since.set(System.nanoTime());
                return false;
              }
              return System.nanoTime() - since.get() >= Duration.ofSeconds(3).toNanos();
            });
  }

  @Test
  void handOverAndRestartChangeNothing() {
    L2lbOperator a = h.startLeader("operator-a");
    L2lbOperator b = h.start("operator-b");
    awaitSettled();
    quiet(a);
    Map<String, String> before = versions();
    assertThat(b.leading()).isFalse();
    assertThat(b.ready()).as("a standby with synced caches is ready").isTrue();
    assertThat(b.passes()).as("a standby does not reconcile").isZero();
    assertThat(b.metrics().writesTotal()).isZero();

    // SIGTERM: the Lease is handed back, b leads long before a's 4 s lease would run out
    long t0 = System.nanoTime();
    a.shutdown();
    await().atMost(Duration.ofSeconds(3)).until(b::leading);
    long handOverMillis = (System.nanoTime() - t0) / 1_000_000;
    await().atMost(Duration.ofSeconds(10)).until(() -> b.passes() >= 1);
    quiet(b);
    assertThat(b.metrics().writesTotal()).as("the new leader writes nothing").isZero();
    assertThat(versions()).isEqualTo(before);
    System.out.printf("hand-over after SIGTERM: new leader after %d ms%n", handOverMillis);

    // a crash: c takes over when b's Lease has run out
    L2lbOperator c = h.start("operator-c");
    await().atMost(Duration.ofSeconds(10)).until(c::ready);
    b.close();
    await().atMost(Duration.ofSeconds(15)).until(c::leading);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.passes() >= 1);
    quiet(c);
    assertThat(c.metrics().writesTotal()).isZero();
    assertThat(versions()).isEqualTo(before);
    assertThat(h.lease(Names.Components.OPERATOR_LEADER_LEASE).getSpec().getHolderIdentity())
        .isEqualTo("operator-c");

    // and it still works: a change after the hand-overs is picked up
    fixtures.service("late").create();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.ingress("late").size() == 1);
  }

  @Test
  void restartWithoutLeaderElectionRebuildsFromTheObjects() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("POD_NAMESPACE", namespace);
    env.put("L2LB_LEADER_ELECTION", "false");
    env.put("L2LB_METRICS_PORT", "0");
    L2lbOperator first =
        h.start(OperatorConfig.parse(java.util.List.of(), env), cluster.kubeconfigYaml());
    awaitSettled();
    quiet(first);
    Map<String, String> before = versions();
    first.shutdown();
    L2lbOperator second =
        h.start(OperatorConfig.parse(java.util.List.of(), env), cluster.kubeconfigYaml());
    await().atMost(Duration.ofSeconds(10)).until(() -> second.passes() >= 1);
    quiet(second);
    assertThat(second.metrics().writesTotal()).isZero();
    assertThat(versions()).isEqualTo(before);
  }
}
