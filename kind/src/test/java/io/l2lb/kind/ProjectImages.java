package io.l2lb.kind;

import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The image names and tags of {@code images/images.env}, the one place they are written down
 * (scripts source it, these tests read it as properties).
 */
record ProjectImages(
    String speaker,
    String operator,
    String base,
    String jre,
    String story,
    String kindNode,
    String kubernetesVersion,
    String kindVersion) {

  static final String FILE = "images/images.env";

  static ProjectImages load() {
    return load(RepoRoot.get());
  }

  static ProjectImages load(Path repoRoot) {
    Path file = repoRoot.resolve(FILE);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new ProjectImages(
        required(p, "L2LB_SPEAKER_IMAGE"),
        required(p, "L2LB_OPERATOR_IMAGE"),
        required(p, "L2LB_BASE_IMAGE"),
        required(p, "L2LB_JRE_IMAGE"),
        required(p, "L2LB_STORY_IMAGE"),
        required(p, "KIND_NODE_IMAGE"),
        required(p, "KIND_K8S_VERSION"),
        required(p, "KIND_VERSION"));
  }

  /** The images the project ships (the ones manifests may name). */
  List<String> shipped() {
    return List.of(speaker, operator);
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(FILE + ": " + key + " is missing or empty");
    }
    return v.trim();
  }

  /** "registry/repo:tag" without the tag. */
  static String repository(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }

  /** The tag of "registry/repo:tag" ("latest" when none). */
  static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }
}
