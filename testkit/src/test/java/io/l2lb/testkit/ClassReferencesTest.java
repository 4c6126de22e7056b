package io.l2lb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassReferencesTest {

  /** Uses each type in one way only, so each way of referring is checked on its own. */
  @SuppressWarnings("unused")
  static class Sample {
    java.util.concurrent.Phaser fieldTypeOnly;

    void parameterTypeOnly(java.util.zip.Adler32 a) {}

    java.util.zip.CRC32C returnTypeOnly() {
      return null;
    }

    List<java.util.BitSet> typeArgumentOnly() {
      return null;
    }

    Object call() {
      return java.util.UUID.randomUUID();
    }

    Object arrayOnly() {
      return new java.util.zip.Deflater[0];
    }

    String literalOnly() {
      return "Ljava/util/zip/Inflater; java.util.zip.Inflater";
    }
  }

  static byte[] classFile(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void seesEveryWayOfReferringToAClassButNotStringLiterals() throws IOException {
    Set<String> refs = ClassReferences.referencesOf(classFile(Sample.class));

    assertThat(refs)
        .contains(
            "java.util.concurrent.Phaser",
            "java.util.zip.Adler32",
            "java.util.zip.CRC32C",
            "java.util.BitSet",
            "java.util.UUID",
            "java.util.zip.Deflater")
        .doesNotContain("java.util.zip.Inflater", Sample.class.getName());
  }

  @Test
  void scansADirectoryAndAJar() {
    Map<String, Set<String>> testkit =
        ClassReferences.scan(ClassReferences.locationOf(ClassReferences.class));
    assertThat(testkit).containsKey(TestCluster.class.getName());
    assertThat(testkit.get(TestCluster.class.getName()))
        .contains("io.fabric8.kubernetes.client.KubernetesClient");

    Map<String, Set<String>> jar = ClassReferences.scan(ClassReferences.locationOf(Test.class));
    assertThat(jar).containsKey(Test.class.getName());
  }
}
