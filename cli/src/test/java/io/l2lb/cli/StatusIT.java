package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.l2lb.cli.kube.Json;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Components;
import io.l2lb.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status} and {@code version}: the test plays controller-manager (Deployment status), the
 * operator (leader Lease) and the speakers (their Leases).
 */
class StatusIT extends CliTestBase {
  private Fixtures sys;
  private String member;

  @BeforeEach
  void l2lbRunning() {
    sys = fixtures.in(Components.NAMESPACE);
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(Components.NAMESPACE)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(Components.OPERATOR)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(2)
                    .withNewSelector()
                    .addToMatchLabels(Components.NAME_LABEL, Components.OPERATOR)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels(Components.NAME_LABEL, Components.OPERATOR)
                    .addToLabels(Components.VERSION_LABEL, "1.2.3")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("operator")
                    .withImage("l2lb-operator")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .createOr(x -> x.update());
    d.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withReplicas(2)
            .withAvailableReplicas(2)
            .withReadyReplicas(2)
            .withUpdatedReplicas(2)
            .withObservedGeneration(d.getMetadata().getGeneration())
            .build());
    client.apps().deployments().inNamespace(Components.NAMESPACE).resource(d).updateStatus();
    io.fabric8.kubernetes.api.model.apps.DaemonSet ds =
        client
            .apps()
            .daemonSets()
            .inNamespace(Components.NAMESPACE)
            .resource(
                new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder()
                    .withNewMetadata()
                    .withName(Components.SPEAKER)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels(Components.NAME_LABEL, Components.SPEAKER)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels(Components.NAME_LABEL, Components.SPEAKER)
                    .addToLabels(Components.VERSION_LABEL, "1.2.3")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("speaker")
                    .withImage("l2lb-speaker")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .createOr(x -> x.update());
    ds.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder()
            .withDesiredNumberScheduled(1)
            .withNumberAvailable(1)
            .withCurrentNumberScheduled(1)
            .withNumberMisscheduled(0)
            .withNumberReady(1)
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .build());
    client.apps().daemonSets().inNamespace(Components.NAMESPACE).resource(ds).updateStatus();
    sys.lease(Components.OPERATOR_LEADER_LEASE)
        .holder("l2lb-operator-7d9f-abcde")
        .durationSeconds(15)
        .renewedNow()
        .apply();
    member = "m-" + id;
    createNode(member, Map.of(Names.Labels.MEMBER, "true"));
    sys.lease(Names.speakerLeaseName(member))
        .holder(member)
        .durationSeconds(30)
        .renewedNow()
        .apply();
    createClass("st-" + id, List.of("198.18.50.0/28"), Map.of(), false);
  }

  @AfterEach
  void removeOperator() {
    client
        .apps()
        .deployments()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.OPERATOR)
        .delete();
    client
        .leases()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.OPERATOR_LEADER_LEASE)
        .delete();
    client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .delete();
  }

  @Test
  void missingSpeakerDaemonSetIsAProblem() {
    client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .delete();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .apps()
                        .daemonSets()
                        .inNamespace(Components.NAMESPACE)
                        .withName(Components.SPEAKER)
                        .get()
                    == null);
    Result r = run("status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("Speaker DaemonSet: not installed")
        .contains("problem: speaker DaemonSet l2lb-system/l2lb-speaker not found");
  }

  @Test
  void healthyInstallationExitsZero() {
    Result r = run("status");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("CRD metalloadbalancerclasses.network.deckhouse.io: established")
        .contains("CRD l2announcements.internal.network.deckhouse.io: established")
        .contains(
            "Operator: 2/2 available, version 1.2.3, leader l2lb-operator-7d9f-abcde (renewed ")
        .contains("Speaker DaemonSet: 1/1 available, version 1.2.3")
        .containsPattern(member + "\\s+ok\\s+\\d+s ago")
        .contains("st-" + id);
    Result json = run("status", "-o", "json");
    Map<String, Object> doc = Json.parseObject(json.out());
    assertThat(doc).containsEntry("healthy", true);
    assertThat(Json.str(doc, "operator", "leader")).isEqualTo("l2lb-operator-7d9f-abcde");
  }

  @Test
  void staleSpeakerLeaseAndNoAvailableOperatorAreUnhealthy() {
    sys.lease(Names.speakerLeaseName(member))
        .holder(member)
        .durationSeconds(1)
        .renewedAgo(java.time.Duration.ofMinutes(5))
        .apply();
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(Components.NAMESPACE)
            .withName(Components.OPERATOR)
            .get();
    d.getStatus().setAvailableReplicas(0);
    client.apps().deployments().inNamespace(Components.NAMESPACE).resource(d).updateStatus();
    Result r = run("status");
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.out())
        .containsPattern(member + "\\s+down\\s+5m\\d*s? ago")
        .contains("problem: operator: no replica available (0 of 2)")
        .contains("problem: speaker on " + member + ": Lease not renewed for 5m");
    assertThat(r.err()).isEqualTo("error: l2lb is unhealthy: 2 problems\n");
  }

  @Test
  void versionReadsTheWorkloadLabels() {
    Result r = run("version");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .isEqualTo("Client:   " + Version.CLIENT + "\nOperator: 1.2.3\nSpeaker:  1.2.3\n");
    Result json = run("version", "-o", "json");
    assertThat(Json.parseObject(json.out()))
        .containsEntry("operator", "1.2.3")
        .containsEntry("client", Version.CLIENT);
    Result client = run("version", "--client");
    assertThat(client.out()).isEqualTo("Client:   " + Version.CLIENT + "\n");
  }

  @Test
  void versionOfAnUnreachableClusterSaysSoAndStillSucceeds() throws Exception {
    java.nio.file.Path cfg = java.nio.file.Files.createTempFile("unreachable", ".kubeconfig");
    writeFile(
        cfg,
        cluster
            .kubeconfigYaml()
            .replaceAll("server: https://127.0.0.1:\\d+", "server: https://127.0.0.1:1"));
    Result r = run("--kubeconfig", cfg.toString(), "version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Operator: unreachable").contains("Speaker:  unreachable");
    assertThat(r.err()).startsWith("warning: cannot reach the API server");
  }
}
