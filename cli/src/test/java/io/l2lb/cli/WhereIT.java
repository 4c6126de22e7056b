package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.cli.kube.Json;
import io.l2lb.core.api.L2Announcement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code where}: what the operator and the speakers wrote, as a table, JSON, YAML and a watch. */
class WhereIT extends CliTestBase {

  private void threeIps() {
    announce(namespace, "web", "192.0.2.10", "front-0", "front", true, null);
    announce(namespace, "web", "192.0.2.9", "front-1", "front", false, null);
    announce(namespace, "web", "192.0.2.11", null, "front", null, null);
    announce(
        namespace,
        "db",
        "2001:db8::5",
        "front-2",
        "front",
        false,
        "fenced: 02:00:00:00:00:99 claimed this IP and the API server did not confirm it is placed on front-2; re-checking every 10s");
  }

  @Test
  void tableOfOneNamespaceSortedByServiceAndIp() {
    threeIps();
    Result r = run("where", "-n", namespace);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "SERVICE   IP            NODE      STATE",
            "db        2001:db8::5   front-2   fenced",
            "web       192.0.2.9     front-1   pending",
            "web       192.0.2.10    front-0   announced",
            "web       192.0.2.11    <none>    unplaced");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    threeIps();
    Result r = run("where", "-A");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE ");
    assertThat(r.out()).contains(namespace + "   web ").contains(namespace + "   db ");
  }

  @Test
  void wideAddsMacInterfaceSinceAndMessage() {
    threeIps();
    Result r = run("where", "web", "-n", namespace, "-o", "wide");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .isEqualTo(
            "SERVICE   IP           NODE      STATE       MAC                 INTERFACE   SINCE   MESSAGE");
    assertThat(r.out())
        .contains("192.0.2.10   front-0   announced   02:00:00:00:00:01   eth0")
        .doesNotContain("db ");
  }

  @Test
  void jsonAndYamlCarryEveryField() {
    threeIps();
    Result json = run("where", "-n", namespace, "-o", "json");
    assertThat(json.code()).as("%s", json).isZero();
    List<Map<String, Object>> items = Json.items(Json.parseObject(json.out()));
    assertThat(items).hasSize(4);
    assertThat(items.get(0))
        .containsEntry("namespace", namespace)
        .containsEntry("service", "db")
        .containsEntry("state", "fenced")
        .containsEntry("node", "front-2");
    assertThat(items.get(3)).containsEntry("state", "unplaced").containsEntry("node", null);

    Result yaml = run("where", "-n", namespace, "-o", "yaml");
    assertThat(yaml.code()).isZero();
    assertThat(yaml.out())
        .startsWith("kind: List\nitems:\n")
        .contains("state: announced")
        .contains("mac: 02:00:00:00:00:01");
  }

  @Test
  void coloursOnlyAtATerminalAndNeverWithNoColor() {
    threeIps();
    io.l2lb.cli.out.Term tty = new io.l2lb.cli.out.Term(true, true, 200);
    java.util.function.Function<Map<String, String>, String> where =
        env -> {
          java.io.StringWriter out = new java.io.StringWriter();
          java.io.StringWriter err = new java.io.StringWriter();
          int code =
              Main.execute(
                  new String[] {"where", "-n", namespace},
                  new java.io.PrintWriter(out, true),
                  new java.io.PrintWriter(err, true),
                  new java.io.ByteArrayInputStream(new byte[0]),
                  env,
                  tty);
          assertThat(code).isZero();
          return out.toString();
        };
    assertThat(where.apply(env()))
        .contains("\u001b[32mannounced\u001b[0m")
        .contains("\u001b[31mfenced\u001b[0m");
    Map<String, String> noColor = env();
    noColor.put("NO_COLOR", "1");
    assertThat(where.apply(noColor)).doesNotContain("\u001b[");
    assertThat(run("where", "-n", namespace).out()).doesNotContain("\u001b[");
  }

  @Test
  void tablesFitTheTerminalWidth() {
    announce(
        namespace,
        "a-service-with-a-rather-long-name-for-a-narrow-terminal",
        "192.0.2.10",
        "front-0",
        "front",
        true,
        null);
    io.l2lb.cli.out.Term narrow = new io.l2lb.cli.out.Term(true, true, 50);
    java.io.StringWriter out = new java.io.StringWriter();
    Main.execute(
        new String[] {"where", "-n", namespace, "--no-color"},
        new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.ByteArrayInputStream(new byte[0]),
        env(),
        narrow);
    assertThat(out.toString().lines())
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(50));
    assertThat(out.toString()).contains("…").contains("192.0.2.10").contains("announced");
    assertThat(run("where", "-n", namespace).out())
        .contains("a-service-with-a-rather-long-name-for-a-narrow-terminal");
  }

  @Test
  void emptyNamespaceSaysSoOnStderr() {
    Result r = run("where", "-n", namespace);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("No public IPs announced in namespace " + namespace + " (try -A)");
  }

  @Test
  void serviceWithoutIpsExplainsWhy() {
    fixtures.service("waiting").create();
    client
        .services()
        .inNamespace(namespace)
        .withName("waiting")
        .editStatus(
            s -> {
              s.getStatus()
                  .setConditions(
                      List.of(
                          new io.fabric8.kubernetes.api.model.ConditionBuilder()
                              .withType("AllPublicIPsAssigned")
                              .withStatus("False")
                              .withReason("PoolExhausted")
                              .withMessage("0 of 3 public IPs were assigned")
                              .withLastTransitionTime("2026-01-01T00:00:00Z")
                              .build()));
              return s;
            });
    Result r = run("where", "waiting", "-n", namespace);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err())
        .contains(
            "No public IPs announced for service "
                + namespace
                + "/waiting: 0 of 3 public IPs were assigned");

    fixtures.service("plain").clusterIP().create();
    Result plain = run("where", "plain", "-n", namespace);
    assertThat(plain.err())
        .contains("it is of type ClusterIP")
        .contains("kubectl l2lb expose svc plain --ips N");
  }

  @Test
  void missingServiceIsAnError() {
    Result r = run("where", "nope", "-n", namespace);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("error: service \"nope\" not found in namespace " + namespace + "\n");
  }

  @Test
  void serviceAndAllNamespacesIsAUsageError() {
    Result r = run("where", "web", "-A");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("give a SERVICE or -A, not both");
  }

  @Test
  void watchRedrawsWhenAPlacementChanges() throws Exception {
    announce(namespace, "web", "192.0.2.10", "front-0", "front", true, null);
    Running watching = runAsync("where", "-n", namespace, "--watch", "--request-timeout", "5s");
    // the first frame is drawn from the list; the watch starts at that list's resourceVersion,
    // so the move below is seen however soon it follows
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> watching.outSoFar().contains("front-0"));
    L2Announcement a =
        client
            .resources(L2Announcement.class)
            .inNamespace(namespace)
            .withName("web-192-0-2-10")
            .get();
    a.getSpec().setNodeName("front-1");
    client.resources(L2Announcement.class).inNamespace(namespace).resource(a).update();
    Result r = watching.result().get();
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("192.0.2.10   front-0   announced")
        .contains("192.0.2.10   front-1   announced");
    assertThat(r.out().indexOf("front-0")).isLessThan(r.out().indexOf("front-1"));
  }
}
