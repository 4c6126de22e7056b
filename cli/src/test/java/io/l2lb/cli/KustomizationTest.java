package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomize subset `install` applies: image rewriting as kustomize's images transformer does it
 * (KustomizationIT compares with the real kustomize inside kubectl), and refusal of any field it
 * does not implement.
 */
class KustomizationTest {

  public static Stream<Arguments> rewrites() {
    return Stream.of(
        // entry (name, newName, newTag, digest), image, result
        Arguments.of(img("r/a", null, "2", null), "r/a:1", "r/a:2"),
        Arguments.of(img("r/a", null, "2", null), "r/a", "r/a:2"),
        Arguments.of(img("r/a", "x/b", null, null), "r/a:1", "x/b:1"),
        Arguments.of(img("r/a", "x/b", "3", null), "r/a:1", "x/b:3"),
        Arguments.of(img("r/a", null, "2", "sha256:ab"), "r/a:1", "r/a:2@sha256:ab"),
        Arguments.of(img("r/a", null, null, "sha256:ab"), "r/a:1", "r/a@sha256:ab"),
        Arguments.of(img("r/a", "x/b", null, null), "r/a:1@sha256:cd", "x/b:1@sha256:cd"),
        Arguments.of(img("r/a", null, "2", null), "r/a:1@sha256:cd", "r/a:2"),
        Arguments.of(img("r/a", null, "2", null), "r/a@sha256:cd", "r/a:2"),
        Arguments.of(img("r/a", null, "2", null), "r/ab:1", "r/ab:1"),
        Arguments.of(img("host:5000/r/a", null, "2", null), "host:5000/r/a:1", "host:5000/r/a:2"),
        Arguments.of(img("host:5000/r/a", null, "2", null), "host:5000/r/a", "host:5000/r/a:2"));
  }

  private static Kustomization.Image img(String n, String nn, String t, String d) {
    return new Kustomization.Image(n, nn, t, d);
  }

  @ParameterizedTest
  @MethodSource("rewrites")
  void imagesAreRewrittenAsKustomizeDoes(Kustomization.Image entry, String image, String want) {
    Kustomization k = new Kustomization(List.of("x.yaml"), List.of(entry));
    assertThat(k.image(image)).isEqualTo(want);
  }

  @Test
  void containersAndInitContainersAtAnyDepthOnly() {
    Kustomization k = new Kustomization(List.of("x.yaml"), List.of(img("r/a", null, "2", null)));
    Map<String, Object> cronJob =
        Map.of(
            "kind",
            "CronJob",
            "metadata",
            Map.of("annotations", Map.of("image", "r/a:1")),
            "spec",
            Map.of(
                "jobTemplate",
                Map.of(
                    "spec",
                    Map.of(
                        "template",
                        Map.of(
                            "spec",
                            Map.of(
                                "initContainers",
                                List.of(Map.of("name", "i", "image", "r/a:1")),
                                "containers",
                                List.of(
                                    Map.of("name", "c", "image", "r/a:1", "env", List.of()))))))));
    Map<String, Object> out = k.transform(cronJob);
    assertThat(Kustomization.imagesOf(out)).containsExactly("r/a:2", "r/a:2");
    assertThat(out.get("metadata")).isEqualTo(Map.of("annotations", Map.of("image", "r/a:1")));
  }

  @Test
  void fieldsItDoesNotImplementAreRefusedByName() {
    assertThatThrownBy(() -> Kustomization.parse("resources: [a.yaml]\npatches: []\n", "k.yaml"))
        .hasMessageContaining("k.yaml: `patches` is not supported by kubectl l2lb install");
    assertThatThrownBy(() -> Kustomization.parse("resources: [crds/]\n", "k.yaml"))
        .hasMessageContaining("resource crds/ is not a YAML file");
    assertThatThrownBy(
            () ->
                Kustomization.parse(
                    "resources: [a.yaml]\nimages: [{name: a, newTagg: b}]\n", "k.yaml"))
        .hasMessageContaining("`newTagg` is not supported");
    assertThat(Kustomization.parse("resources: [./a.yaml, b.yml]\n", "k").resources())
        .containsExactly("a.yaml", "b.yml");
  }

  @Test
  void aChangedImageKeepsTheFilesTextAndComments() {
    String part =
        "# a comment\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
            + "  template:\n    spec:\n      containers:\n        - name: c\n"
            + "          image: \"r/a:1\"  \n          args: [image: r/a:1]\n";
    @SuppressWarnings("unchecked")
    Map<String, Object> raw =
        (Map<String, Object>)
            new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(part);
    Kustomization k = new Kustomization(List.of("x.yaml"), List.of(img("r/a", null, "2", null)));
    String yaml = Manifests.yamlOf(part, raw, k.transform(raw));
    assertThat(yaml)
        .startsWith("# a comment\n")
        .contains("image: r/a:2\n")
        .contains("[image: r/a:1]");
    assertThat(Manifests.yamlOf(part, raw, raw)).isEqualTo(part.strip() + "\n");
  }
}
