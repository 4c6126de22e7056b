package io.l2lb.kind;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The built images (scripts/images.sh) as the manifests run them: user, entrypoint and environment
 * of each image's config, and the speaker image started the way the DaemonSet starts it (its JVM
 * flags, NET_RAW as the only capability, read-only root, /tmp a tmpfs) gets through its start-up
 * checks (NET_RAW in CapEff, libpcap loaded).
 */
class ImagesKindE2E {

  private static final String SUITE = "ImagesKindE2E";
  private static DockerClient docker;
  private static ProjectImages images;
  private static Container speakerInManifest;

  @BeforeAll
  static void engineAndImages() {
    docker = KindPrerequisites.docker(SUITE);
    images = ProjectImages.load();
    KindPrerequisites.requireImages(SUITE, docker, List.of(images.speaker()));
    DaemonSet ds =
        ShippedManifests.load(RepoRoot.get())
            .find(DaemonSet.class, Names.Components.SPEAKER)
            .orElseThrow();
    speakerInManifest = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void speakerImageConfigIsWhatTheDaemonSetExpects() {
    ContainerConfig config = docker.inspectImageCmd(images.speaker()).exec().getConfig();
    assertThat(config.getUser()).as("USER (NET_RAW is effective only for uid 0)").isEqualTo("0:0");
    assertThat(Arrays.asList(config.getEntrypoint()))
        .as("image ENTRYPOINT = DaemonSet command")
        .isEqualTo(speakerInManifest.getCommand());
    Map<String, String> env = env(config);
    assertThat(env)
        .as("image env: the JVM flags belong to the DaemonSet (JDK_JAVA_OPTIONS), not the image")
        .doesNotContainKeys("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");
    assertThat(env.get("PATH")).as("PATH finds java").contains("/usr/bin");
  }

  @Test
  void speakerImageHoldsLibpcapAndAJre17ThatTakesTheShippedFlags() {
    try (GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(images.speaker()))
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.withEntrypoint("sh", "-c")
                        .withCmd(
                            "ldconfig -p | grep -F libpcap.so && java -version 2>&1"
                                + " && echo FLAGS-OK"))
            .withEnv("JDK_JAVA_OPTIONS", manifestEnv("JDK_JAVA_OPTIONS"))
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
      c.start();
      String logs = c.getLogs();
      assertThat(logs).as("libpcap in the image").contains("libpcap.so.0.8");
      assertThat(logs).as("Java 17").contains("openjdk version \"17.");
      assertThat(logs).as("JVM accepts the DaemonSet's JDK_JAVA_OPTIONS").contains("FLAGS-OK");
    }
  }

  @Test
  void speakerStartsInItsImageWithOnlyNetRawAndAReadOnlyRoot() {
    // As the DaemonSet runs it: drop ALL + add NET_RAW, uid 0, read-only root, /tmp writable
    // and executable like its emptyDir (JNA maps its native stub from there; Docker's tmpfs
    // default is noexec, which fails with "failed to map segment from shared object").
    // No API server here, so the test stops it after the start-up checks have passed.
    try (GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(images.speaker()))
            .withEnv("NODE_NAME", "kind-e2e-image-check")
            .withEnv("POD_NAMESPACE", Names.Components.NAMESPACE)
            .withEnv("JDK_JAVA_OPTIONS", manifestEnv("JDK_JAVA_OPTIONS"))
            .withTmpFs(Map.of("/tmp", "rw,exec,size=16m"))
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withCapDrop(Capability.ALL)
                        .withCapAdd(Capability.NET_RAW)
                        .withReadonlyRootfs(true)
                        .withNetworkMode("none"))
            .waitingFor(
                Wait.forLogMessage("(?s).*libpcap version.*", 1)
                    .withStartupTimeout(Duration.ofSeconds(90)))) {
      c.start();
      assertThat(c.getLogs())
          .as("start-up checks passed: NET_RAW found, libpcap loaded")
          .contains("libpcap version")
          .doesNotContain("start-up check failed");
    }
  }

  @Test
  void operatorImageRunsAsANumericNonRootUser() {
    Path jar = RepoRoot.get().resolve("operator/target/l2lb-operator.jar");
    InspectImageResponse image;
    try {
      image = docker.inspectImageCmd(images.operator()).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(
          images.operator()
              + " not built: "
              + (Files.exists(jar)
                  ? "run scripts/images.sh operator"
                  : "build "
                      + jar
                      + " (./mvnw -pl operator -am package -DskipTests), then scripts/images.sh operator"));
    }
    ContainerConfig config = image.getConfig();
    assertThat(ImageNamesTest.uid(config.getUser())).as("operator USER").isGreaterThan(0L);
    assertThat(Arrays.asList(config.getEntrypoint()))
        .isEqualTo(Dockerfiles.entrypoint(Dockerfiles.of(RepoRoot.get(), "operator")));
    assertThat(env(config)).doesNotContainKeys("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
  }

  private static String manifestEnv(String name) {
    return speakerInManifest.getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("DaemonSet sets no " + name));
  }

  private static Map<String, String> env(ContainerConfig config) {
    return config.getEnv() == null
        ? Map.of()
        : Arrays.stream(config.getEnv())
            .map(kv -> kv.split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : ""));
  }
}
