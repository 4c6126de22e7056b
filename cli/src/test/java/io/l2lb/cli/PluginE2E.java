package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin (cli/target/kubectl-l2lb: the launcher script and the jar) run through the
 * real kubectl binary, found by kubectl's plugin discovery on PATH; the launcher's start-up cache
 * is built in the background after the first run and used by the next.
 */
class PluginE2E extends CliTestBase {

  record Proc(int code, String out, String err) {}

  private static Path kubectl() {
    Path k8s = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s");
    try (Stream<Path> s = Files.list(k8s)) {
      Path dir =
          s.filter(p -> p.getFileName().toString().endsWith("-linux-amd64"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
      return dir.resolve("kubectl");
    } catch (IOException e) {
      throw new IllegalStateException(
          "no kubectl under " + k8s + ": run scripts/install-k8s-binaries.sh", e);
    }
  }

  private static Path dist() {
    Path d = Path.of(System.getProperty("l2lb.cli.dist", "target/kubectl-l2lb"));
    assertThat(d.resolve("kubectl-l2lb")).as("the packaged launcher (mvn package)").isExecutable();
    assertThat(d.resolve("kubectl-l2lb.jar")).isRegularFile();
    return d;
  }

  private Proc kubectl(Path home, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(kubectl().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("PATH", dist().toAbsolutePath() + ":" + System.getenv("PATH"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", home.toString());
    env.remove("XDG_CACHE_HOME");
    Path out = Files.createTempFile("e2e", ".out");
    Path err = Files.createTempFile("e2e", ".err");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS))
        .as("kubectl %s finished", String.join(" ", args))
        .isTrue();
    return new Proc(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void kubectlFindsThePluginAndItsCompletion() throws Exception {
    announce(namespace, "web", "192.0.2.10", "front-0", "front", true, null);
    Path home = Files.createTempDirectory("plugin-home");

    Proc plugins = kubectl(home, "plugin", "list");
    assertThat(plugins.out()).contains(dist().toAbsolutePath().resolve("kubectl-l2lb").toString());

    Proc version = kubectl(home, "l2lb", "version");
    assertThat(version.code()).as("%s", version).isZero();
    assertThat(version.out())
        .startsWith("Client:   " + Version.CLIENT + "\n")
        .contains("Operator: ");

    // the first run started building the start-up cache in the background; it lands shortly
    Path cacheDir = home.resolve(".cache/l2lb/cli");
    Awaitility.await("start-up cache in " + cacheDir)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Files.isDirectory(cacheDir)
                    && cachedFiles(cacheDir).stream()
                        .anyMatch(f -> f.endsWith(".aot") || f.endsWith(".jsa")));
    assertThat(cachedFiles(cacheDir)).noneMatch(f -> f.endsWith(".tmp") || f.endsWith(".conf"));

    Proc where = kubectl(home, "l2lb", "where", "-A");
    assertThat(where.code()).as("%s", where).isZero();
    assertThat(where.out())
        .startsWith("NAMESPACE ")
        .contains(namespace + "   web       192.0.2.10   front-0   announced");
    assertThat(where.err()).isEmpty();

    Proc bad = kubectl(home, "l2lb", "where", "--nope");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("error: Unknown option: '--nope'");

    // the commands that use fabric8's model print nothing but their own output
    Path classFile = Files.createTempFile("class", ".yaml");
    Files.writeString(
        classFile,
        "apiVersion: network.deckhouse.io/v1alpha1\nkind: MetalLoadBalancerClass\n"
            + "metadata: {name: e2e}\nspec: {addressPool: [198.18.90.0/28]}\n");
    Proc validate = kubectl(home, "l2lb", "validate", "--offline", "-f", classFile.toString());
    assertThat(validate.code()).as("%s", validate).isZero();
    assertThat(validate.err()).isEqualTo("0 errors, 0 warnings in 1 class (without the cluster)\n");
    Proc simulate = kubectl(home, "l2lb", "simulate", "failover", "--node", "nope", "-A");
    assertThat(simulate.code()).as("%s", simulate).isEqualTo(2);
    assertThat(simulate.err())
        .startsWith("error: --node: no such node: nope")
        .doesNotContain("SLF4J");

    // the jar itself bundles manifests/ as it is in the repository
    Proc bundle = kubectl(home, "l2lb", "install", "--dry-run", "-o", "yaml");
    assertThat(bundle.code()).as("%s", bundle).isZero();
    Path repo = io.l2lb.testkit.RepoRoot.get().resolve("manifests");
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !p.getFileName().toString().equals(Manifests.KUSTOMIZATION))
              .toList()) {
        assertThat(bundle.out()).contains("# " + repo.relativize(f));
        for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
          if (doc.contains("kind:")) {
            assertThat(bundle.out()).as("%s in the jar", f).contains(doc.strip());
          }
        }
      }
    }

    // kubectl >= 1.26 completes plugin arguments through kubectl_complete-l2lb on PATH
    Proc complete = kubectl(home, "__complete", "l2lb", "wh");
    assertThat(complete.out()).startsWith("where\n").contains(":4");
  }

  private static List<String> cachedFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
