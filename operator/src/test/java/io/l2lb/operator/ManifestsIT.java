package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.l2lb.core.Names;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.KubeApiTestBase;
import io.l2lb.testkit.RepoRoot;
import io.l2lb.testkit.ShippedRbac;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped manifests: the API server accepts them ({@code kubectl apply --dry-run=server}), and
 * the RBAC is enough: an operator that runs with exactly the ServiceAccount's permissions (a token
 * of it) places IPs, fails over, writes every status, label and Event, and hands its Lease back.
 */
class ManifestsIT extends KubeApiTestBase {

  static Path dir() {
    return RepoRoot.get().resolve("manifests/operator");
  }

  @Test
  void theApiServerAcceptsTheManifests() throws Exception {
    Fixtures.ensureNamespace(client, Names.Components.NAMESPACE);
    Path kubeconfig = cluster.writeKubeconfig(Files.createTempFile("admin", ".kubeconfig"));
    Process p =
        new ProcessBuilder(
                cluster.binaryDir().resolve("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "apply",
                "--dry-run=server",
                "-f",
                dir().toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("deployment.apps/l2lb-operator created (server dry run)")
        .contains("clusterrole.rbac.authorization.k8s.io/l2lb-operator created (server dry run)");

    Deployment d = (Deployment) load("deployment.yaml").get(0);
    assertThat(d.getMetadata().getName()).isEqualTo(Names.Components.OPERATOR);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var pod = d.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels()).containsKey(Names.Components.VERSION_LABEL);
    var c = pod.getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getResources().getLimits()).containsKey("memory");
  }

  static List<HasMetadata> load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(dir().resolve(file))) {
      return client.load(in).items();
    }
  }

  @Test
  void theShippedRbacIsEnough() throws Exception {
    String token =
        ShippedRbac.install(
            client, "manifests/operator/rbac.yaml", Names.Components.OPERATOR, namespace);
    String yaml =
        ShippedRbac.kubeconfigYaml(
            client.getConfiguration().getMasterUrl(),
            client.getConfiguration().getCaCertFile(),
            token);
    try (OperatorHarness h = new OperatorHarness(cluster, namespace)) {
      String id = Integer.toHexString(namespace.hashCode() & 0xfffff);
      for (int i = 0; i < 2; i++) {
        h.node("rbac-" + i + "-" + id, Map.of("node-role", "rbac-" + id));
      }
      String cls = "rbac-" + id;
      h.createClass(cls, true, Map.of("node-role", "rbac-" + id), "192.0.2.240-192.0.2.249");
      fixtures
          .service("app")
          .annotation(Names.Annotations.EXTERNAL_IPS_COUNT, "2")
          .externalTrafficPolicyLocal()
          .selector("app", "x")
          .create();
      fixtures
          .endpointSlice("app")
          .readyEndpoint("10.0.0.1", "rbac-0-" + id)
          .readyEndpoint("10.0.0.2", "rbac-1-" + id)
          .apply();
      L2lbOperator o = h.start(h.config("rbac-operator"), yaml);
      await().atMost(Duration.ofSeconds(20)).until(o::leading);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(h.ingress("app")).hasSize(2);
                assertThat(h.events("app", Names.Events.IP_ALLOCATED)).hasSize(1);
                assertThat(h.getClass(cls).getStatus().getAddresses().getAllocated()).isEqualTo(2);
                assertThat(h.fixtures.getNode("rbac-0-" + id).getMetadata().getLabels())
                    .containsEntry(Names.Labels.MEMBER, "true");
              });
      var renewed = h.lease(Names.Components.OPERATOR_LEADER_LEASE).getSpec().getRenewTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .alias("the leader renews its Lease with these permissions")
          .until(
              () ->
                  !renewed.equals(
                      h.lease(Names.Components.OPERATOR_LEADER_LEASE).getSpec().getRenewTime()));
      h.speakerStop("rbac-0-" + id);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(h.events("app", Names.Events.FAILED_OVER)).hasSize(1));
      client.services().inNamespace(namespace).withName("app").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> h.announcements().isEmpty());
      assertThat(o.leading()).isTrue();
      o.shutdown();
      assertThat(h.lease(Names.Components.OPERATOR_LEADER_LEASE).getSpec().getHolderIdentity())
          .as("handed back on shutdown")
          .isNull();
      assertThat(
              o.metrics().registry().scrape().stream()
                  .filter(m -> m.getMetadata().getName().equals("l2lb_operator_api_write_errors"))
                  .flatMap(m -> m.getDataPoints().stream())
                  .count())
          .as("no write was refused")
          .isZero();
    }
  }
}
