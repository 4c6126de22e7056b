package io.l2lb.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The images named in manifests/ are the ones images/images.env names and scripts/images.sh builds,
 * the manifests' commands are the images' entrypoints, and the capabilities and users the manifests
 * grant are the ones the images are built for. No Docker needed: this runs in the default build;
 * ImagesKindE2E checks the built images themselves.
 */
class ImageNamesTest {

  private final Path root = RepoRoot.get();
  private final ProjectImages images = ProjectImages.load(root);
  private final ShippedManifests manifests = ShippedManifests.load(root);

  @Test
  void everyImageInTheManifestsIsOneTheProjectBuilds() {
    List<String> named = new ArrayList<>();
    for (ShippedManifests.Template t : manifests.podTemplates()) {
      for (Container c : containers(t.template().getSpec())) {
        named.add(c.getImage());
        assertThat(images.shipped())
            .as(
                "%s %s/%s (%s) names image %s; the project builds only those in %s",
                t.kind(),
                t.name(),
                c.getName(),
                root.relativize(t.file()),
                c.getImage(),
                ProjectImages.FILE)
            .contains(c.getImage());
      }
    }
    assertThat(named).as("images named in manifests/").contains(images.speaker());
  }

  @Test
  void aKustomizationOverridesOnlyTheProjectsImagesAndToTheirTags() {
    List<Map<String, Object>> overrides = manifests.kustomizationImages();
    if (overrides.isEmpty()) {
      System.out.println(
          "ImageNamesTest: no kustomization with an images: list under manifests/ yet");
    }
    for (Map<String, Object> o : overrides) {
      String name = String.valueOf(o.get("name"));
      String newName = Objects.toString(o.get("newName"), name);
      String newTag = Objects.toString(o.get("newTag"), null);
      Optional<String> shipped =
          images.shipped().stream()
              .filter(i -> ProjectImages.repository(i).equals(ProjectImages.repository(name)))
              .findFirst();
      assertThat(shipped)
          .as("kustomization images: entry %s names no image of %s", o, ProjectImages.FILE)
          .isPresent();
      assertThat(newName)
          .as("kustomization newName of %s", name)
          .isEqualTo(ProjectImages.repository(shipped.get()));
      if (newTag != null) {
        assertThat(newTag)
            .as("kustomization newTag of %s (the tag in %s)", name, ProjectImages.FILE)
            .isEqualTo(ProjectImages.tag(shipped.get()));
      }
    }
  }

  @Test
  void speakerDaemonSetRunsTheSpeakerImageAsItIsBuilt() {
    DaemonSet ds =
        manifests
            .find(DaemonSet.class, Names.Components.SPEAKER)
            .orElseThrow(() -> new AssertionError("no DaemonSet l2lb-speaker in manifests/"));
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container speaker = only(pod);
    assertThat(speaker.getImage()).isEqualTo(images.speaker());
    List<String> entrypoint = Dockerfiles.entrypoint(Dockerfiles.of(root, "speaker"));
    assertThat(speaker.getCommand())
        .as("the DaemonSet's command is images/speaker/Dockerfile's ENTRYPOINT")
        .isEqualTo(entrypoint);
    assertThat(pod.getHostNetwork()).as("hostNetwork (ARP on the node's links)").isTrue();

    SecurityContext sc = speaker.getSecurityContext();
    assertThat(sc).as("speaker securityContext").isNotNull();
    assertThat(sc.getCapabilities().getDrop()).as("capabilities.drop").containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).as("capabilities.add").containsExactly("NET_RAW");
    assertThat(sc.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
    // NET_RAW reaches the effective set only for uid 0 (no ambient capabilities in Kubernetes)
    assertThat(sc.getRunAsUser()).as("runAsUser").isEqualTo(0L);
    assertThat(uid(Dockerfiles.user(Dockerfiles.of(root, "speaker")).orElse("0")))
        .as("USER of images/speaker/Dockerfile")
        .isEqualTo(0L);
  }

  @Test
  void operatorImageIsNonRootAndItsDeploymentAgrees() {
    Path dockerfile = Dockerfiles.of(root, "operator");
    String user =
        Dockerfiles.user(dockerfile)
            .orElseThrow(() -> new AssertionError(dockerfile + " sets no USER"));
    long uid = uid(user);
    assertThat(uid).as("numeric non-root USER in %s", dockerfile).isGreaterThan(0L);
    assertThat(Dockerfiles.entrypoint(dockerfile))
        .as("operator ENTRYPOINT")
        .containsExactly("java", "-jar", "/opt/l2lb/l2lb-operator.jar");

    Optional<Deployment> deployment = manifests.find(Deployment.class, Names.Components.OPERATOR);
    if (deployment.isEmpty()) {
      System.out.println(
          "ImageNamesTest: no Deployment l2lb-operator in manifests/ yet: its image, command and"
              + " securityContext are checked once it is there");
      return;
    }
    PodSpec pod = deployment.get().getSpec().getTemplate().getSpec();
    Container operator = only(pod);
    assertThat(operator.getImage()).isEqualTo(images.operator());
    if (operator.getCommand() != null && !operator.getCommand().isEmpty()) {
      assertThat(operator.getCommand()).isEqualTo(Dockerfiles.entrypoint(dockerfile));
    }
    Boolean nonRoot =
        Stream.of(
                operator.getSecurityContext() == null
                    ? null
                    : operator.getSecurityContext().getRunAsNonRoot(),
                pod.getSecurityContext() == null
                    ? null
                    : pod.getSecurityContext().getRunAsNonRoot())
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    assertThat(nonRoot).as("operator runAsNonRoot (container or pod)").isTrue();
    SecurityContext sc = operator.getSecurityContext();
    assertThat(sc).as("operator securityContext").isNotNull();
    assertThat(sc.getCapabilities().getDrop()).as("capabilities.drop").containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).as("capabilities.add").isNullOrEmpty();
    assertThat(sc.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
  }

  private static Container only(PodSpec pod) {
    assertThat(pod.getContainers()).hasSize(1);
    return pod.getContainers().get(0);
  }

  private static List<Container> containers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    return all;
  }

  /** "65532:65532" or "65532" -> 65532; a name fails (runAsNonRoot needs a numeric USER). */
  static long uid(String user) {
    String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    try {
      return Long.parseLong(u);
    } catch (NumberFormatException e) {
      throw new AssertionError("USER " + user + " is not numeric; the kubelet cannot verify it");
    }
  }
}
