package io.l2lb.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.testkit.KubeApiTestBase;
import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The krew archive this build made, installed as a user would: krew (built from the Go module proxy
 * by scripts/install-krew.sh) checks dist/target/krew/l2lb.yaml with validate-krew-manifest, then
 * `kubectl krew install --manifest=... --archive=...` into a temporary KREW_ROOT; the plugin then
 * runs through the real kubectl against the real test API server, on the runtime inside the archive
 * (PATH has no java, JAVA_HOME is unset), every kind of command once (read path, fabric8 model +
 * Jackson, completion, install dry run), then `kubectl krew uninstall`.
 */
class KrewE2E extends KubeApiTestBase {

  private static Path krew;
  private static Path validator;
  private static Path kubectlDir;
  private static Path kubeconfig;

  @BeforeAll
  static void tools() throws IOException {
    Path root = RepoRoot.get();
    Proc built =
        Proc.run(
            inherited(), root, List.of("bash", root.resolve("scripts/install-krew.sh").toString()));
    assertThat(built.code()).as("scripts/install-krew.sh: %s", built).isZero();
    krew = Path.of(built.out().strip());
    validator = krew.resolveSibling("validate-krew-manifest");
    assertThat(krew).isExecutable();
    assertThat(validator).isExecutable();
    kubectlDir = cluster.binaryDir();
    assertThat(kubectlDir).as("kubectl of the test control plane").isNotNull();
    kubeconfig = cluster.writeKubeconfig(Files.createTempFile("krew-e2e", ".kubeconfig"));
  }

  private static Map<String, String> inherited() {
    return new HashMap<>(System.getenv());
  }

  static Path distDir() {
    return Path.of(System.getProperty("l2lb.dist.dir", "target"));
  }

  static Path archive() throws IOException {
    try (Stream<Path> s = Files.list(distDir())) {
      List<Path> archives =
          s.filter(
                  p ->
                      p.getFileName().toString().matches("kubectl-l2lb_v.*_linux_amd64\\.tar\\.gz"))
              .toList();
      assertThat(archives).as("the linux_amd64 archive in %s (mvn package)", distDir()).hasSize(1);
      return archives.get(0);
    }
  }

  /** A PATH without any java: krew, kubectl and the few tools krew and the launcher call. */
  private static Path toolsDir(Path base) throws IOException {
    Path tools = Files.createDirectories(base.resolve("tools"));
    Files.createSymbolicLink(tools.resolve("kubectl-krew"), krew);
    Files.createSymbolicLink(tools.resolve("kubectl"), kubectlDir.resolve("kubectl"));
    for (String t :
        List.of(
            "sh",
            "bash",
            "readlink",
            "dirname",
            "sed",
            "ls",
            "awk",
            "cksum",
            "cut",
            "mkdir",
            "rm",
            "mv",
            "cat",
            "ln")) {
      Path found =
          Stream.of("/usr/bin", "/bin")
              .map(d -> Path.of(d, t))
              .filter(Files::isExecutable)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + t + " in /usr/bin or /bin"));
      Files.createSymbolicLink(tools.resolve(t), found);
    }
    return tools;
  }

  @Test
  void installedThroughKrewThePluginRunsOnItsOwnRuntime() throws Exception {
    Path base = Files.createTempDirectory("krew-e2e");
    Path krewRoot = base.resolve("krew-root");
    Path home = Files.createDirectories(base.resolve("home"));
    Path manifest = distDir().resolve("krew/l2lb.yaml");
    Path archive = archive();

    // the manifest the build wrote carries this archive's sha256 for linux/amd64
    String sha =
        Files.readString(archive.resolveSibling(archive.getFileName() + ".sha256")).strip();
    assertThat(sha).matches("[0-9a-f]{64}");
    assertThat(Files.readString(manifest)).contains("sha256: \"" + sha + "\"");

    Proc valid =
        Proc.run(
            inherited(),
            base,
            List.of(validator.toString(), "-manifest", manifest.toString(), "-skip-install"));
    assertThat(valid.code()).as("validate-krew-manifest: %s", valid).isZero();

    Map<String, String> env = new HashMap<>();
    env.put("PATH", krewRoot.resolve("bin") + ":" + toolsDir(base));
    env.put("HOME", home.toString());
    env.put("KREW_ROOT", krewRoot.toString());
    env.put("KREW_NO_UPGRADE_CHECK", "1");
    env.put("KUBECONFIG", kubeconfig.toString());

    Proc install =
        Proc.run(
            env,
            base,
            List.of(
                "kubectl", "krew", "install", "--manifest=" + manifest, "--archive=" + archive));
    assertThat(install.code()).as("kubectl krew install: %s", install).isZero();
    assertThat(install.err()).contains("Installed plugin: l2lb");
    String version = KrewManifestTest.release(RepoRoot.get());
    Path store = krewRoot.resolve("store/l2lb/" + version);
    assertThat(store.resolve("LICENSE")).isRegularFile();
    assertThat(store.resolve("runtime/bin/java")).isExecutable();
    assertThat(store.resolve("runtime/lib/server/classes.jsa"))
        .as("the runtime's class-data archive")
        .isRegularFile();
    assertThat(krewRoot.resolve("bin/kubectl-l2lb")).isSymbolicLink();

    // the JVM that runs is the archive's runtime
    Map<String, String> settings = new HashMap<>(env);
    settings.put("L2LB_JAVA_OPTS", "-XshowSettings:properties");
    Proc props = Proc.run(settings, base, List.of("kubectl", "l2lb", "version", "--client"));
    assertThat(props.code()).as("%s", props).isZero();
    assertThat(props.err()).contains("java.home = " + store.resolve("runtime"));

    announce("web", "192.0.2.10", "front-0");
    Proc ver = Proc.run(env, base, List.of("kubectl", "l2lb", "version"));
    assertThat(ver.code()).as("%s", ver).isZero();
    assertThat(ver.out()).startsWith("Client:   ").contains("Operator: ");

    Proc where = Proc.run(env, base, List.of("kubectl", "l2lb", "where", "-A"));
    assertThat(where.code()).as("%s", where).isZero();
    assertThat(where.out())
        .startsWith("NAMESPACE ")
        .containsPattern(namespace + "\\s+web\\s+192\\.0\\.2\\.10\\s+front-0\\s+announced");
    assertThat(where.err()).isEmpty();

    // the other paths the jlink runtime must carry: fabric8's model with Jackson (validate,
    // simulate), the status read, the server dry run of install, completion
    Path classFile = base.resolve("class.yaml");
    Files.writeString(
        classFile,
        "apiVersion: network.deckhouse.io/v1alpha1\nkind: MetalLoadBalancerClass\n"
            + "metadata: {name: krew-e2e}\nspec: {addressPool: [198.18.91.0/28]}\n");
    Proc validate =
        Proc.run(env, base, List.of("kubectl", "l2lb", "validate", "-f", classFile.toString()));
    assertThat(validate.code()).as("%s", validate).isZero();
    fixtures.node("krew-e2e-0").ready().create();
    try {
      Proc simulate =
          Proc.run(
              env,
              base,
              List.of(
                  "kubectl",
                  "l2lb",
                  "simulate",
                  "failover",
                  "--node",
                  "krew-e2e-0",
                  "-A",
                  "-o",
                  "json"));
      assertThat(simulate.code()).as("%s", simulate).isZero();
      assertThat(simulate.out()).contains("\"failedNodes\"");
    } finally {
      fixtures.deleteNode("krew-e2e-0");
    }
    // the write paths: a class (checked, then created), a Service exposed with it
    fixtures.service("db").clusterIP().create();
    try {
      Proc create =
          Proc.run(
              env,
              base,
              List.of(
                  "kubectl", "l2lb", "create", "class", "krew-e2e", "--pool", "198.18.92.0/28"));
      assertThat(create.code()).as("%s", create).isZero();
      assertThat(create.out())
          .contains("metalloadbalancerclass.network.deckhouse.io/krew-e2e created");
      Proc expose =
          Proc.run(
              env,
              base,
              List.of(
                  "kubectl",
                  "l2lb",
                  "-n",
                  namespace,
                  "expose",
                  "svc",
                  "db",
                  "--ips",
                  "2",
                  "--class",
                  "krew-e2e"));
      assertThat(expose.code()).as("%s", expose).isZero();
      assertThat(fixtures.getService("db").getSpec().getType()).isEqualTo("LoadBalancer");
    } finally {
      client.resources(io.l2lb.core.api.MetalLoadBalancerClass.class).withName("krew-e2e").delete();
    }
    Proc status = Proc.run(env, base, List.of("kubectl", "l2lb", "status", "-o", "json"));
    assertThat(status.code())
        .as("status exits 1 (no operator here), without a crash: %s", status)
        .isEqualTo(1);
    assertThat(status.err()).doesNotContain("unexpected failure");
    Proc dryRun = Proc.run(env, base, List.of("kubectl", "l2lb", "install", "--dry-run"));
    assertThat(dryRun.code()).as("%s", dryRun).isZero();
    // on this cluster the namespace does not exist: the server checks what it can
    assertThat(dryRun.out())
        .contains(
            "customresourcedefinition/metalloadbalancerclasses.network.deckhouse.io serverside-applied (server dry run)")
        .contains(
            "daemonset/l2lb-speaker not checked (server dry run): namespace l2lb-system does not exist yet (install creates it first)");

    // completion through kubectl, once kubectl_complete-l2lb is linked as the caveats say
    Proc link =
        Proc.run(
            env,
            base,
            List.of(
                "ln",
                "-sf",
                store.resolve("kubectl_complete-l2lb").toString(),
                krewRoot.resolve("bin").toString()));
    assertThat(link.code()).as("%s", link).isZero();
    Proc complete =
        Proc.run(
            env, base, List.of("kubectl", "__complete", "l2lb", "where", "-n", namespace, "w"));
    assertThat(complete.out()).as("%s", complete).startsWith("web\n").contains(":4");

    // the start-up cache the first runs built in the background, for this runtime
    Path cacheDir = home.resolve(".cache/l2lb/cli");
    Awaitility.await("AOT cache in " + cacheDir)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Files.isDirectory(cacheDir)
                    && list(cacheDir).stream().anyMatch(f -> f.endsWith(".aot")));

    // uninstall wants the local index that `kubectl krew update` clones (no network here): an
    // empty one is what krew checks for (a directory with .git/)
    Files.createDirectories(krewRoot.resolve("index/default/.git"));
    Files.createDirectories(krewRoot.resolve("index/default/plugins"));
    Proc uninstall = Proc.run(env, base, List.of("kubectl", "krew", "uninstall", "l2lb"));
    assertThat(uninstall.code()).as("%s", uninstall).isZero();
    assertThat(krewRoot.resolve("bin/kubectl-l2lb")).doesNotExist();
  }

  private void announce(String service, String ip, String node) {
    fixtures.service(service).create();
    fixtures
        .announcement(service + "-" + ip.replace('.', '-'))
        .ip(ip)
        .node(node)
        .service(service, "uid-" + service)
        .className("front")
        .announcing("02:00:00:00:00:01", "eth0")
        .create();
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    }
    return out;
  }
}
