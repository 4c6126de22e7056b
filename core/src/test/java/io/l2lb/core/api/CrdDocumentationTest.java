package io.l2lb.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of our CRDs carries a description, so `kubectl explain` documents it. */
class CrdDocumentationTest {
  private static final Path CRDS =
      Path.of(System.getProperty("l2lb.manifests.dir", "../manifests/crds"));

  static Stream<String> crds() {
    return Stream.of(
        "metalloadbalancerclasses.network.deckhouse.io-v1.yml",
        "l2announcements.internal.network.deckhouse.io-v1.yml");
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyFieldIsDescribed(String file) throws IOException {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CRDS.resolve(file).toFile());
    JsonNode root = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties");
    List<String> undocumented = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      walk(top, root.get(top), undocumented);
    }
    assertThat(undocumented).as("fields without a description in %s", file).isEmpty();
  }

  private static void walk(String path, JsonNode schema, List<String> undocumented) {
    if (!schema.hasNonNull("description")) {
      undocumented.add(path);
    }
    if (schema.has("items") && schema.get("items").has("properties")) {
      schema = schema.get("items");
    }
    JsonNode properties = schema.get("properties");
    // Conditions are metav1.Condition, documented upstream.
    if (properties == null || path.endsWith(".conditions")) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      walk(path + "." + field.getKey(), field.getValue(), undocumented);
    }
  }
}
