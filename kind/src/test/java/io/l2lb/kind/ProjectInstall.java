package io.l2lb.kind;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.nio.file.Path;
import java.util.List;

/**
 * How l2lb gets into a kind cluster in the kind suites.
 *
 * <p>{@link #install} is the one step to switch when packaging lands (issue 11): today it applies
 * the checked-in manifests with kubectl (the namespace, manifests/crds, manifests/speaker); then it
 * becomes {@code kubectl l2lb install} (which ships exactly the manifests/ kustomization, operator
 * Deployment included).
 *
 * <p>{@link #labelSpeakerNodesAsTheOperatorWould} stands in for the operator, which labels the
 * nodes a class selects as members (the speaker DaemonSet's nodeSelector). Drop the call once the
 * operator is installed and a class selects the front nodes.
 */
final class ProjectInstall {
  private ProjectInstall() {}

  static void install(KindCluster cluster) {
    long t0 = System.nanoTime();
    Path root = RepoRoot.get();
    cluster
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(Names.Components.NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    cluster
        .kubectl(
            "apply",
            "-f",
            root.resolve("manifests/crds").toString(),
            "-f",
            root.resolve("manifests/speaker").toString())
        .orFail();
    KindCluster.log(
        cluster.name(),
        "installed manifests/crds + manifests/speaker (kubectl apply) in "
            + KindCluster.seconds(t0));
  }

  static void labelSpeakerNodesAsTheOperatorWould(KindCluster cluster, List<String> nodes) {
    for (String node : nodes) {
      cluster
          .client()
          .nodes()
          .withName(node)
          .edit(
              n -> {
                n.getMetadata().getLabels().put(Names.Labels.MEMBER, "true");
                return n;
              });
    }
    KindCluster.log(cluster.name(), "labelled " + nodes + " " + Names.Labels.MEMBER + "=true");
  }
}
