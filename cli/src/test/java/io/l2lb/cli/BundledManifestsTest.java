package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `install` ships what manifests/ holds: the bundled copy (the build copies it into the jar's
 * resources) must equal the repository's files, file by file; new files (the operator's) are picked
 * up without a code change, and the apply order puts them in place by kind.
 */
class BundledManifestsTest {
  @Test
  void bundleEqualsTheRepositoryManifests() throws IOException {
    Path repo = RepoRoot.get().resolve("manifests");
    List<String> files;
    try (Stream<Path> s = Files.walk(repo)) {
      files =
          s.filter(Files::isRegularFile)
              .map(p -> repo.relativize(p).toString())
              .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
              .sorted()
              .toList();
    }
    assertThat(Manifests.files()).isEqualTo(files).isNotEmpty();
    for (String f : files) {
      assertThat(Manifests.text(f)).as(f).isEqualTo(Files.readString(repo.resolve(f)));
    }
  }

  @Test
  void theKustomizationNamesEveryShippedFileOnce() throws IOException {
    Path repo = RepoRoot.get().resolve("manifests");
    List<String> files;
    try (Stream<Path> s = Files.walk(repo)) {
      files =
          s.filter(Files::isRegularFile)
              .map(p -> repo.relativize(p).toString())
              .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
              .filter(n -> !n.equals(Manifests.KUSTOMIZATION))
              .sorted()
              .toList();
    }
    List<String> resources = Manifests.kustomization().resources();
    assertThat(resources)
        .as("manifests/kustomization.yaml resources: every manifest file, each once")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(files);
    assertThat(Manifests.docs())
        .extracting(Manifests.Doc::file)
        .doesNotContain(Manifests.KUSTOMIZATION);
  }

  @Test
  void everyWorkloadImageIsSetByTheKustomizationAndTheFilesDefaultsAgree() {
    Kustomization k = Manifests.kustomization();
    List<String> images = new java.util.ArrayList<>();
    for (Manifests.Doc d : Manifests.docs()) {
      images.addAll(Kustomization.imagesOf(d.object()));
    }
    assertThat(images).as("images of the shipped workloads").hasSize(2);
    for (Kustomization.Image entry : k.images()) {
      assertThat(images)
          .as("kustomization images: %s names an image of the manifests", entry.name())
          .anyMatch(
              i ->
                  Kustomization.Ref.parse(i)
                      .name()
                      .equals(entry.newName() == null ? entry.name() : entry.newName()));
    }
    for (String f : k.resources()) {
      for (String part : Manifests.text(f).split("(?m)^---\\s*$")) {
        for (String image :
            Kustomization.imagesOf(
                new org.snakeyaml.engine.v2.api.Load(
                        org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                    .loadFromString(part.isBlank() ? "{}" : part))) {
          assertThat(k.images())
              .as("%s names %s: the kustomization's images: must set it (the one place)", f, image)
              .anyMatch(e -> e.rewrite(image) != null);
          assertThat(k.image(image))
              .as(
                  "%s names %s as its default; manifests/kustomization.yaml sets %s: make them"
                      + " agree",
                  f, image, k.image(image))
              .isEqualTo(image);
        }
      }
    }
  }

  @Test
  void applyOrderIsNamespaceCrdsRbacWorkloads() {
    List<Manifests.Doc> docs = Manifests.docs();
    List<Integer> ranks = docs.stream().map(d -> Manifests.rank(d.kind())).toList();
    assertThat(ranks).isSorted();
    assertThat(docs)
        .extracting(Manifests.Doc::kind)
        .contains("CustomResourceDefinition", "ClusterRole", "DaemonSet");
  }

  @Test
  void restPaths() {
    assertThat(
            Manifests.path(
                java.util.Map.of(
                    "apiVersion",
                    "apps/v1",
                    "kind",
                    "DaemonSet",
                    "metadata",
                    java.util.Map.of("name", "l2lb-speaker", "namespace", "l2lb-system"))))
        .isEqualTo("/apis/apps/v1/namespaces/l2lb-system/daemonsets/l2lb-speaker");
    assertThat(
            Manifests.path(
                java.util.Map.of(
                    "apiVersion",
                    "rbac.authorization.k8s.io/v1",
                    "kind",
                    "ClusterRole",
                    "metadata",
                    java.util.Map.of("name", "x"))))
        .isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles/x");
    assertThat(
            Manifests.path(
                java.util.Map.of(
                    "apiVersion",
                    "v1",
                    "kind",
                    "ServiceAccount",
                    "metadata",
                    java.util.Map.of("name", "x", "namespace", "n"))))
        .isEqualTo("/api/v1/namespaces/n/serviceaccounts/x");
    assertThat(Manifests.plural("NetworkPolicy")).isEqualTo("networkpolicies");
  }
}
