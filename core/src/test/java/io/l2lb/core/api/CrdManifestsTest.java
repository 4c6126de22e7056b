package io.l2lb.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in manifests/crds/ are what users apply; they must be exactly what the crd-generator
 * makes from the Java types in this package. Run with {@code -Dl2lb.updateManifests=true} to
 * rewrite the checked-in copies.
 */
class CrdManifestsTest {
  private static final Path GENERATED =
      Path.of(System.getProperty("l2lb.generated.crds.dir", "target/classes/META-INF/fabric8"));
  private static final Path CHECKED_IN =
      Path.of(System.getProperty("l2lb.manifests.dir", "../manifests/crds"));

  @Test
  void checkedInCrdsMatchTheGeneratedOnes() throws IOException {
    List<Path> generated;
    try (Stream<Path> files = Files.list(GENERATED)) {
      generated = files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
    }
    assertThat(generated).as("CRDs generated into %s", GENERATED).hasSize(2);

    if (Boolean.getBoolean("l2lb.updateManifests")) {
      Files.createDirectories(CHECKED_IN);
      for (Path crd : generated) {
        Files.copy(crd, CHECKED_IN.resolve(crd.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Path crd : generated) {
      Path copy = CHECKED_IN.resolve(crd.getFileName());
      assertThat(copy)
          .as(
              "%s is missing or differs from the CRD generated from the Java types;"
                  + " run ./mvnw -pl core test -Dl2lb.updateManifests=true and commit manifests/crds/",
              copy)
          .exists();
      assertThat(Files.readString(copy))
          .as(
              "%s differs from the CRD generated from the Java types;"
                  + " run ./mvnw -pl core test -Dl2lb.updateManifests=true and commit manifests/crds/",
              copy)
          .isEqualTo(Files.readString(crd));
    }
  }
}
