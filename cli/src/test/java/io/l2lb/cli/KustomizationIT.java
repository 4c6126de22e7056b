package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Components;
import io.l2lb.testkit.RepoRoot;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * manifests/kustomization.yaml against the real kustomize (inside kubectl) and the real API server:
 * `kubectl l2lb install` ships the same objects as `kubectl kustomize manifests/`, with the images
 * kustomize sets; `kubectl apply -k manifests/ --dry-run=server` (client- and server-side apply)
 * has every object accepted.
 */
class KustomizationIT extends CliTestBase {

  record Proc(int code, String out, String err) {}

  private Proc kubectl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(cluster.binaryDir().resolve("kubectl").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s", String.join(" ", args)).isTrue();
    Proc r =
        new Proc(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** kind/namespace/name to object, of a multi-document YAML stream. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> byRef(Iterable<?> objects) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Object o : objects) {
      if (o instanceof Map<?, ?> m) {
        Map<String, Object> obj = (Map<String, Object>) m;
        Map<String, Object> meta = (Map<String, Object>) obj.get("metadata");
        String ref =
            obj.get("kind") + "/" + meta.getOrDefault("namespace", "") + "/" + meta.get("name");
        assertThat(out.put(ref, (Map<String, Object>) normal(obj))).as("%s twice", ref).isNull();
      }
    }
    return out;
  }

  /** Numbers as Long: YAML and JSON readers pick Integer or Long differently. */
  static Object normal(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), normal(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(KustomizationIT::normal).toList();
    }
    return v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v;
  }

  /** The refs whose objects differ (a short message instead of two whole bundles). */
  static List<String> differences(
      Map<String, Map<String, Object>> a, Map<String, Map<String, Object>> b) {
    java.util.Set<String> all = new java.util.TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    return all.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).toList();
  }

  private static Iterable<Object> loadAll(String yaml) {
    return new Load(LoadSettings.builder().build()).loadAllFromString(yaml);
  }

  @Test
  void installShipsExactlyWhatKustomizeBuilds() throws Exception {
    Path manifests = RepoRoot.get().resolve("manifests");
    Proc built = kubectl("kustomize", manifests.toString());
    assertThat(built.code()).as("%s", built).isZero();
    Map<String, Map<String, Object>> kustomize = byRef(loadAll(built.out()));

    List<Object> bundled = new ArrayList<>();
    Manifests.docs().forEach(d -> bundled.add(d.object()));
    assertThat(differences(byRef(bundled), kustomize)).as("Manifests.docs vs kustomize").isEmpty();

    // and what the command prints, without a cluster, in both formats
    Map<String, String> env = env();
    env.put("KUBECONFIG", "/does/not/exist");
    Result yaml = runWith(env, "", "install", "--dry-run", "-o", "yaml");
    assertThat(yaml.code()).as("%s", yaml).isZero();
    assertThat(differences(byRef(loadAll(yaml.out())), kustomize))
        .as("-o yaml vs kustomize")
        .isEmpty();
    Result json = runWith(env, "", "install", "--dry-run", "-o", "json");
    assertThat(json.code()).as("%s", json).isZero();
    @SuppressWarnings("unchecked")
    List<Object> items = (List<Object>) io.l2lb.cli.kube.Json.parseObject(json.out()).get("items");
    assertThat(differences(byRef(items), kustomize)).as("-o json vs kustomize").isEmpty();
    assertThat(kustomize.keySet())
        .contains(
            "Namespace//" + Components.NAMESPACE,
            "Deployment/" + Components.NAMESPACE + "/" + Components.OPERATOR,
            "DaemonSet/" + Components.NAMESPACE + "/" + Components.SPEAKER);
  }

  static List<Arguments> images() {
    return KustomizationTest.rewrites().toList();
  }

  /**
   * The unit test's table of image rewrites, through the real kustomize, one kustomization each.
   */
  @ParameterizedTest
  @MethodSource("images")
  void imageRewritesAreKustomizes(Kustomization.Image entry, String image, String want)
      throws Exception {
    Path dir = Files.createTempDirectory("kustomize");
    Files.writeString(
        dir.resolve("d.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
            + "    spec:\n      containers: [{name: c, image: \""
            + image
            + "\"}]\n");
    StringBuilder k =
        new StringBuilder("resources: [d.yaml]\nimages:\n- name: " + entry.name() + "\n");
    if (entry.newName() != null) {
      k.append("  newName: ").append(entry.newName()).append('\n');
    }
    if (entry.newTag() != null) {
      k.append("  newTag: \"").append(entry.newTag()).append("\"\n");
    }
    if (entry.digest() != null) {
      k.append("  digest: ").append(entry.digest()).append('\n');
    }
    Files.writeString(dir.resolve(Manifests.KUSTOMIZATION), k.toString());
    Proc built = kubectl("kustomize", dir.toString());
    assertThat(built.code()).as("%s", built).isZero();
    List<String> kustomized = new ArrayList<>();
    loadAll(built.out()).forEach(o -> kustomized.addAll(Kustomization.imagesOf(o)));
    assertThat(kustomized).as("kustomize").containsExactly(want);
    List<String> ours = new ArrayList<>();
    Manifests.docs(dir).forEach(d -> ours.addAll(Kustomization.imagesOf(d.object())));
    assertThat(ours).as("Manifests.docs").containsExactly(want);
  }

  @Test
  void serverDryRunAcceptsEveryObjectClientAndServerSide() throws Exception {
    Path manifests = RepoRoot.get().resolve("manifests");
    int objects = byRef(loadAll(kubectl("kustomize", manifests.toString()).out())).size();
    // a dry run creates nothing, so the namespaced objects need their namespace to exist already
    if (client.namespaces().withName(Components.NAMESPACE).get() == null) {
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(Components.NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    boolean operatorBefore = operatorExists();
    for (List<String> mode :
        List.of(
            List.of("apply", "-k", manifests.toString(), "--dry-run=server"),
            List.of(
                "apply",
                "--server-side",
                "--field-manager=l2lb-dry-run-it",
                // testkit applied the CRDs as its own field manager; take them over, as install
                // does
                "--force-conflicts",
                "-k",
                manifests.toString(),
                "--dry-run=server"))) {
      Proc r = kubectl(mode.toArray(String[]::new));
      assertThat(r.code()).as("kubectl %s: %s", mode, r).isZero();
      // objects other tests made without kubectl apply (the CRDs, InstallIT's) get this warning
      assertThat(r.err().lines())
          .as("kubectl %s stderr", mode)
          .allMatch(l -> l.startsWith("Warning: ") && l.contains("last-applied-configuration"));
      List<String> lines = r.out().lines().toList();
      assertThat(lines).as("kubectl %s: one line per object", mode).hasSize(objects);
      assertThat(lines)
          .allMatch(l -> l.endsWith("(server dry run)"), "every line a server dry run");
    }
    assertThat(operatorExists()).as("the dry runs stored nothing").isEqualTo(operatorBefore);
  }

  private boolean operatorExists() {
    return client
            .apps()
            .deployments()
            .inNamespace(Components.NAMESPACE)
            .withName(Components.OPERATOR)
            .get()
        != null;
  }

  static String read(Path p) throws IOException {
    return Files.readString(p);
  }
}
