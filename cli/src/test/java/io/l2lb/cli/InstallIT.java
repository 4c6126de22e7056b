package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.l2lb.core.Names.Components;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code install} / {@code uninstall} with the bundled manifests. No controller-manager runs here,
 * so the test marks the DaemonSet rolled out itself when the rollout wait is tested.
 */
class InstallIT extends CliTestBase {

  private DaemonSet speaker() {
    return client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .get();
  }

  @Test
  void dryRunYamlPrintsTheBundleInApplyOrderWithoutACluster() {
    java.util.Map<String, String> env = env();
    env.put("KUBECONFIG", "/does/not/exist");
    Result r = runWith(env, "", "install", "--dry-run", "-o", "yaml");
    assertThat(r.code()).as("%s", r).isZero();
    String out = r.out();
    int ns = out.indexOf("kind: Namespace");
    int crd = out.indexOf("kind: \"CustomResourceDefinition\"");
    int rbac = out.indexOf("kind: ClusterRole");
    int ds = out.indexOf("kind: DaemonSet");
    assertThat(ns).isNotNegative().isLessThan(crd);
    assertThat(crd).isLessThan(rbac);
    assertThat(rbac).isLessThan(ds);
    assertThat(out)
        .contains("# crds/metalloadbalancerclasses.network.deckhouse.io-v1.yml")
        .contains("# speaker/daemonset.yaml");
  }

  @Test
  void serverDryRunStoresNothing() {
    client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .delete();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> speaker() == null);
    Result r = run("install", "--dry-run");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("daemonset/l2lb-speaker serverside-applied (server dry run)");
    assertThat(speaker()).isNull();
  }

  @Test
  void installAppliesEverythingAndWaitsForTheRollout() throws Exception {
    client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .delete();
    client
        .apps()
        .deployments()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.OPERATOR)
        .delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                speaker() == null
                    && client
                            .apps()
                            .deployments()
                            .inNamespace(Components.NAMESPACE)
                            .withName(Components.OPERATOR)
                            .get()
                        == null);
    Running install = runAsync("install", "--timeout", "30s");
    // play the Deployment controller (no kube-controller-manager here) once install waits for
    // it, then the DaemonSet controller once install waits for that: each report comes after
    // its "waiting" line, whatever the timing
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> install.errSoFar().contains("deployment/l2lb-operator: waiting for the rollout"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Deployment d =
                  client
                      .apps()
                      .deployments()
                      .inNamespace(Components.NAMESPACE)
                      .withName(Components.OPERATOR)
                      .get();
              int replicas = d.getSpec().getReplicas();
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .build());
              client
                  .apps()
                  .deployments()
                  .inNamespace(Components.NAMESPACE)
                  .resource(d)
                  .updateStatus();
            });
    // and the DaemonSet controller
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> install.errSoFar().contains("daemonset/l2lb-speaker: waiting for the rollout"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              DaemonSet d = speaker();
              d.setStatus(
                  new DaemonSetStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withDesiredNumberScheduled(1)
                      .withCurrentNumberScheduled(1)
                      .withUpdatedNumberScheduled(1)
                      .withNumberAvailable(1)
                      .withNumberReady(1)
                      .withNumberMisscheduled(0)
                      .build());
              client
                  .apps()
                  .daemonSets()
                  .inNamespace(Components.NAMESPACE)
                  .resource(d)
                  .updateStatus();
            });
    Result r = install.result().get();
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("namespace/" + Components.NAMESPACE + " serverside-applied")
        .contains(
            "customresourcedefinition/metalloadbalancerclasses.network.deckhouse.io serverside-applied")
        .contains("clusterrole/l2lb-speaker serverside-applied")
        .contains("daemonset/l2lb-speaker serverside-applied")
        .contains("l2lb is installed: `kubectl l2lb status` shows its health");
    assertThat(r.out().indexOf("customresourcedefinition/"))
        .isLessThan(r.out().indexOf("clusterrole/"));
    assertThat(r.err())
        .contains("daemonset/l2lb-speaker: waiting for the rollout")
        .contains("daemonset/l2lb-speaker: rolled out");
    assertThat(speaker().getMetadata().getManagedFields())
        .anySatisfy(m -> assertThat(m.getManager()).isEqualTo("kubectl-l2lb"));
  }

  @Test
  void rolloutThatNeverHappensTimesOutWithTheReason() {
    // fresh workloads: no controller has seen them (a status another test played would count)
    client
        .apps()
        .daemonSets()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.SPEAKER)
        .delete();
    client
        .apps()
        .deployments()
        .inNamespace(Components.NAMESPACE)
        .withName(Components.OPERATOR)
        .delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                speaker() == null
                    && client
                            .apps()
                            .deployments()
                            .inNamespace(Components.NAMESPACE)
                            .withName(Components.OPERATOR)
                            .get()
                        == null);
    Result r = run("install", "--timeout", "2s");
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    // the first workload in apply order is the operator's Deployment
    assertThat(r.err())
        .contains(
            "deployment/l2lb-operator: waiting for the rollout (not yet observed by its controller)")
        .contains(
            "error: deployment/l2lb-operator did not roll out in time: its controller has not seen it (is kube-controller-manager running?)");
    Result nowait = run("install", "--wait=false");
    assertThat(nowait.code()).as("%s", nowait).isZero();
    assertThat(nowait.out()).doesNotContain("l2lb is installed");
  }

  @Test
  void uninstallKeepsTheCrdsAndClassesUnlessAll() {
    assertThat(run("install", "--wait=false").code()).isZero();
    Result r = run("uninstall");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("daemonset/l2lb-speaker deleted")
        .contains("clusterrole/l2lb-speaker deleted")
        .contains(
            "customresourcedefinition/metalloadbalancerclasses.network.deckhouse.io kept (pass --all to delete it too)");
    assertThat(client.rbac().clusterRoles().withName("l2lb-speaker").get()).isNull();
    assertThat(cluster.crd("MetalLoadBalancerClass")).isNotNull();
    Result again = run("uninstall");
    assertThat(again.out()).contains("clusterrole/l2lb-speaker not found (already gone)");
  }
}
