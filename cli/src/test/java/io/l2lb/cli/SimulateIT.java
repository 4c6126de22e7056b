package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.l2lb.cli.kube.Json;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code simulate failover}: the operator's engine on the live state, and it writes nothing. */
class SimulateIT extends CliTestBase {
  private String a;
  private String b;
  private String c;
  private String front;
  private String solo;

  @BeforeEach
  void cluster() {
    a = "sa-" + id;
    b = "sb-" + id;
    c = "sc-" + id;
    front = "front-" + id;
    solo = "solo-" + id;
    Map<String, String> role = Map.of("role-" + id, "front");
    createNode(a, Map.of("role-" + id, "front", "only-" + id, "a"));
    createNode(b, role);
    createNode(c, role);
    Fixtures sys = fixtures.in(Names.Components.NAMESPACE);
    for (String n : List.of(a, b, c)) {
      sys.lease(Names.speakerLeaseName(n)).holder(n).durationSeconds(600).renewedNow().apply();
    }
    createClass(front, List.of("198.18.40.1-198.18.40.9"), role, false);
    createClass(solo, List.of("198.18.41.1-198.18.41.9"), Map.of("only-" + id, "a"), false);
    // what the operator would have done: web's three IPs on three nodes, db's one IP on a
    fixtures
        .service("web")
        .loadBalancerClass(front)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "3")
        .create();
    fixtures.service("web").ingress("198.18.40.1", "198.18.40.2", "198.18.40.3");
    announce(namespace, "web", "198.18.40.1", a, front, true, null);
    announce(namespace, "web", "198.18.40.2", b, front, true, null);
    announce(namespace, "web", "198.18.40.3", c, front, true, null);
    fixtures.service("db").loadBalancerClass(solo).create();
    fixtures.service("db").ingress("198.18.41.1");
    announce(namespace, "db", "198.18.41.1", a, solo, true, null);
  }

  @Test
  void showsMovedAndLostIpsAndCrowdedNodes() {
    Result r = run("simulate", "failover", "--node", a, "-n", namespace);
    assertThat(r.code()).as("%s", r).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("SERVICE   IP            BEFORE ");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).matches("db\\s+198\\.18\\.41\\.1\\s+" + a + "\\s+<none>\\s+LOST"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "web\\s+198\\.18\\.40\\.1\\s+" + a + "\\s+(" + b + "|" + c + ")\\s+moved"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).matches("web\\s+198\\.18\\.40\\.2\\s+" + b + "\\s+" + b + "\\s*"));
    assertThat(r.out())
        .contains("If " + a + " fails: 2 of 4 IPs move.")
        .contains("Service " + namespace + "/db would lose every public IP")
        .containsPattern("Node (" + b + "|" + c + ") would hold 2 IPs of " + namespace + "/web");
  }

  @Test
  void jsonForOneService() {
    Result r =
        run("simulate", "failover", "--node", a + "," + b, "web", "-n", namespace, "-o", "json");
    assertThat(r.code()).as("%s", r).isZero();
    Map<String, Object> doc = Json.parseObject(r.out());
    assertThat(Json.list(doc, "ips"))
        .hasSize(3)
        .allSatisfy(x -> assertThat(Json.str(x, "service")).isEqualTo("web"));
    assertThat(Json.list(doc, "ips"))
        .allSatisfy(x -> assertThat(Json.str(x, "after")).isEqualTo(c));
    assertThat(Json.list(doc, "nodesWithSeveralIPsOfOneService"))
        .containsExactly(c + " would hold 3 IPs of " + namespace + "/web");
  }

  @Test
  void unknownNodeIsAUsageError() {
    Result r = run("simulate", "failover", "--node", "ghost-" + id, "-n", namespace);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --node: no such node: ghost-" + id + "; known nodes: ");
  }

  @Test
  void writesNothing() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    List<Watch> watches = new ArrayList<>();
    Map<String, String> before = versions();
    try {
      watches.add(
          watch(
              events,
              "L2Announcement",
              () ->
                  client
                      .resources(L2Announcement.class)
                      .inAnyNamespace()
                      .list()
                      .getMetadata()
                      .getResourceVersion(),
              rv ->
                  client.resources(L2Announcement.class).inAnyNamespace().withResourceVersion(rv)));
      watches.add(
          watch(
              events,
              "MetalLoadBalancerClass",
              () ->
                  client
                      .resources(MetalLoadBalancerClass.class)
                      .list()
                      .getMetadata()
                      .getResourceVersion(),
              rv -> client.resources(MetalLoadBalancerClass.class).withResourceVersion(rv)));
      watches.add(
          watch(
              events,
              "Service",
              () -> client.services().inAnyNamespace().list().getMetadata().getResourceVersion(),
              rv -> client.services().inAnyNamespace().withResourceVersion(rv)));
      watches.add(
          watch(
              events,
              "Node",
              () -> client.nodes().list().getMetadata().getResourceVersion(),
              rv -> client.nodes().withResourceVersion(rv)));
      for (String[] args :
          new String[][] {
            {"simulate", "failover", "--node", a, "-A"},
            {"simulate", "failover", "--node", a + "," + b + "," + c, "-n", namespace, "-o", "yaml"}
          }) {
        Result r = run(args);
        assertThat(r.code()).as("%s", r).isZero();
      }
      // a marker write after the runs: once its event arrives, every earlier event has too
      client
          .services()
          .inNamespace(namespace)
          .withName("db")
          .edit(
              s -> {
                s.getMetadata().getLabels().put("marker", "1");
                return s;
              });
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !events.isEmpty());
    } finally {
      watches.forEach(Watch::close);
    }
    assertThat(events)
        .as("events during the simulation")
        .containsExactly("Service MODIFIED " + namespace + "/db");
    Map<String, String> after = versions();
    after.remove("service/" + namespace + "/db");
    before.remove("service/" + namespace + "/db");
    assertThat(after).isEqualTo(before);
  }

  private Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    client
        .resources(L2Announcement.class)
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            x -> v.put("l2a/" + x.getMetadata().getName(), x.getMetadata().getResourceVersion()));
    for (String n : List.of(front, solo)) {
      v.put(
          "class/" + n,
          client
              .resources(MetalLoadBalancerClass.class)
              .withName(n)
              .get()
              .getMetadata()
              .getResourceVersion());
    }
    for (String n : List.of(a, b, c)) {
      v.put("node/" + n, client.nodes().withName(n).get().getMetadata().getResourceVersion());
      v.put(
          "lease/" + n,
          client
              .leases()
              .inNamespace(Names.Components.NAMESPACE)
              .withName(Names.speakerLeaseName(n))
              .get()
              .getMetadata()
              .getResourceVersion());
    }
    client
        .services()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            x ->
                v.put(
                    "service/" + namespace + "/" + x.getMetadata().getName(),
                    x.getMetadata().getResourceVersion()));
    return v;
  }

  private <T extends HasMetadata> Watch watch(
      List<String> events,
      String kind,
      Supplier<String> listVersion,
      java.util.function.Function<String, io.fabric8.kubernetes.client.dsl.Watchable<T>> from) {
    return from.apply(listVersion.get())
        .watch(
            new Watcher<T>() {
              @Override
              public void eventReceived(Action action, T resource) {
                String ns = resource.getMetadata().getNamespace();
                events.add(
                    kind
                        + " "
                        + action
                        + " "
                        + (ns == null ? "" : ns + "/")
                        + resource.getMetadata().getName());
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }
}
