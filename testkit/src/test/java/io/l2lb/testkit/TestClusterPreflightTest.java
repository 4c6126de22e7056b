package io.l2lb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fast checks (no API server): binary lookup fails loudly, repo root and CRD files are found. */
class TestClusterPreflightTest {

  @TempDir Path home;

  private final String suffix = Utils.platformSuffix(new OSInfo());

  @Test
  void missingBinariesFailWithTheInstallHintInOfflineMode() {
    var config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(home.toString())
            .withOfflineMode(true)
            .build();
    assertThatThrownBy(() -> TestCluster.preflight(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("scripts/install-k8s-binaries.sh");
  }

  @Test
  void incompleteBinaryDirectoryFails() throws IOException {
    Path dir = Files.createDirectories(home.resolve("k8s").resolve("1.34.4" + suffix));
    executable(dir.resolve("kube-apiserver"));
    executable(dir.resolve("etcd"));
    var config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(home.toString())
            .withOfflineMode(true)
            .build();
    assertThatThrownBy(() -> TestCluster.preflight(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kubectl");
  }

  @Test
  void picksTheNewestVersionOrTheRequestedOneLikeKubeApiTest() throws IOException {
    for (String v : new String[] {"1.33.9", "1.34.4", "1.34.10"}) {
      Path dir = Files.createDirectories(home.resolve("k8s").resolve(v + suffix));
      for (String bin : new String[] {"etcd", "kube-apiserver", "kubectl"}) {
        executable(dir.resolve(bin));
      }
    }
    Files.createDirectories(home.resolve("k8s").resolve(".staging-abc"));
    var latest =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(home.toString())
            .withOfflineMode(true)
            .build();
    assertThat(TestCluster.preflight(latest).getFileName().toString())
        .isEqualTo("1.34.10" + suffix);
    var wildcard =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(home.toString())
            .withApiServerVersion("1.33.*")
            .withOfflineMode(true)
            .build();
    assertThat(TestCluster.preflight(wildcard).getFileName().toString())
        .isEqualTo("1.33.9" + suffix);
    var exact =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(home.toString())
            .withApiServerVersion("1.34.4")
            .withOfflineMode(true)
            .build();
    assertThat(TestCluster.preflight(exact).getFileName().toString()).isEqualTo("1.34.4" + suffix);
  }

  @Test
  void repoRootAndCrdsAreFound() {
    Path root = RepoRoot.get();
    assertThat(root.resolve("mvnw")).isRegularFile();
    assertThat(RepoRoot.walkUp(root.resolve("testkit").resolve("src"))).isEqualTo(root);
    assertThat(Crds.files(Crds.repoCrdDir()))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".yml"));
  }

  @Test
  void uniqueNamespaceNamesAreDistinctDnsLabels() {
    String prefix =
        "CrdValidationIT-rejectsInvalidPools[1] with a Very long display name, more than 63 chars";
    String a = Fixtures.uniqueNamespaceName(prefix);
    String b = Fixtures.uniqueNamespaceName(prefix);
    assertThat(a)
        .isNotEqualTo(b)
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .startsWith("crdvalidationit-rejectsinvalidpools-1-with");
    assertThat(Fixtures.uniqueNamespaceName("--")).matches("t-\\d+-[a-z0-9]+");
  }

  private static void executable(Path p) throws IOException {
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
