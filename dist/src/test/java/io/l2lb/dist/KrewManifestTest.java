package io.l2lb.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * krew/l2lb.yaml as krew reads it (KrewE2E has krew itself and its validate-krew-manifest check
 * it): the four platforms, one archive each, named after the release version, the placeholder sum
 * where this machine cannot build the archive, and the version the build's pom says.
 */
class KrewManifestTest {
  static final String PLACEHOLDER = "0".repeat(64);
  private final Path root = RepoRoot.get();

  @SuppressWarnings("unchecked")
  private Map<String, Object> manifest() throws IOException {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(root.resolve("krew/l2lb.yaml")));
  }

  /** The release version: the reactor's version without -SNAPSHOT. */
  static String release(Path root) throws IOException {
    Matcher m =
        Pattern.compile("<version>([^<]+)</version>")
            .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(m.find()).as("the root pom's own <version>").isTrue();
    return "v" + m.group(1).replace("-SNAPSHOT", "");
  }

  @Test
  @SuppressWarnings("unchecked")
  void fourPlatformsEachWithItsArchiveTheLauncherAndTheLicense() throws IOException {
    Map<String, Object> m = manifest();
    assertThat(m.get("apiVersion")).isEqualTo("krew.googlecontainertools.github.com/v1alpha2");
    assertThat(m.get("kind")).isEqualTo("Plugin");
    assertThat(((Map<String, Object>) m.get("metadata")).get("name")).isEqualTo("l2lb");
    Map<String, Object> spec = (Map<String, Object>) m.get("spec");
    String version = (String) spec.get("version");
    assertThat(version).isEqualTo(release(root));
    List<Map<String, Object>> platforms = (List<Map<String, Object>>) spec.get("platforms");
    assertThat(platforms)
        .extracting(
            p ->
                ((Map<String, Object>) ((Map<String, Object>) p.get("selector")).get("matchLabels"))
                    .toString())
        .containsExactly(
            "{os=linux, arch=amd64}",
            "{os=linux, arch=arm64}",
            "{os=darwin, arch=amd64}",
            "{os=darwin, arch=arm64}");
    for (Map<String, Object> p : platforms) {
      Map<String, Object> labels =
          (Map<String, Object>) ((Map<String, Object>) p.get("selector")).get("matchLabels");
      String platform = labels.get("os") + "_" + labels.get("arch");
      assertThat((String) p.get("uri"))
          .isEqualTo(
              "https://github.com/l2lb/l2lb/releases/download/"
                  + version
                  + "/kubectl-l2lb_"
                  + version
                  + "_"
                  + platform
                  + ".tar.gz");
      assertThat(p.get("sha256"))
          .as("%s: the checked-in manifest carries the placeholder; builds fill it in", platform)
          .isEqualTo(PLACEHOLDER);
      assertThat(p.get("bin")).isEqualTo("kubectl-l2lb");
      assertThat(p.get("files")).isEqualTo(List.of(Map.of("from", "*", "to", ".")));
    }
    assertThat(root.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    // every version the text names (caveats' store path, URIs) is the release's
    Matcher v =
        Pattern.compile("\\bv\\d+\\.\\d+\\.\\d+\\b")
            .matcher(Files.readString(root.resolve("krew/l2lb.yaml")));
    while (v.find()) {
      assertThat(v.group()).isEqualTo(version);
    }
  }
}
