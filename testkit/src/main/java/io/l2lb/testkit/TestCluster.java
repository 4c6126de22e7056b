package io.l2lb.testkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd + kube-apiserver (fabric8 kube-api-test), a client for it, and the project's CRDs.
 *
 * <p>{@link #shared()} starts one per JVM (CRDs installed, stopped at JVM exit); tests isolate
 * themselves with unique namespaces and names. {@link #startDedicated()} gives a private one.
 *
 * <p>Binaries come from {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/}
 * (see {@code scripts/install-k8s-binaries.sh}). When they are missing the start fails with a clear
 * message; it never skips.
 *
 * <p>Settings (system property, else environment variable): {@code l2lb.k8s.version} / {@code
 * KUBE_API_TEST_API_SERVER_VERSION} (e.g. {@code 1.34.4} or {@code 1.34.*}; default: newest
 * installed), {@code KUBE_API_TEST_OFFLINE_MODE}, {@code KUBE_API_TEST_DIR}, {@code
 * KUBE_API_TEST_STARTUP_TIMEOUT} (ms). They are parsed here and handed to kube-api-test as typed
 * values, because kube-api-test 7.5.2 casts the raw environment strings to Boolean/Integer and
 * fails with a ClassCastException when e.g. {@code KUBE_API_TEST_OFFLINE_MODE=true} is set.
 */
public final class TestCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);
  public static final String INSTALL_HINT =
      "run scripts/install-k8s-binaries.sh from the repository root";
  public static final Duration CRD_TIMEOUT = Duration.ofSeconds(60);

  private static TestCluster shared;
  private static RuntimeException sharedFailure;

  private final KubeAPIServer server;
  private final KubernetesClient client;
  private final String kubeconfigYaml;
  private final Path binaryDir;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile List<CustomResourceDefinition> crds = List.of();

  private TestCluster(
      KubeAPIServer server, KubernetesClient client, String kubeconfigYaml, Path binaryDir) {
    this.server = server;
    this.client = client;
    this.kubeconfigYaml = kubeconfigYaml;
    this.binaryDir = binaryDir;
  }

  /** The per-JVM cluster with the repository's CRDs installed; started on first use. */
  public static synchronized TestCluster shared() {
    if (sharedFailure != null) {
      // fail every later test class at once, with the original cause, instead of retrying
      throw new IllegalStateException(
          "the shared test cluster failed to start earlier: " + sharedFailure.getMessage(),
          sharedFailure);
    }
    if (shared == null) {
      TestCluster c;
      try {
        c = startDedicated();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      try {
        c.installRepoCrds();
      } catch (RuntimeException e) {
        sharedFailure = e;
        c.close();
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "l2lb-testkit-apiserver-stop"));
      shared = c;
    }
    return shared;
  }

  /** A new etcd + kube-apiserver without CRDs; close it when done. */
  public static TestCluster startDedicated() {
    KubeAPIServerConfig config = config();
    Path binaries = preflight(config);
    long t0 = System.nanoTime();
    KubeAPIServer server = new KubeAPIServer(config);
    try {
      server.start();
    } catch (RuntimeException e) {
      safeStop(server);
      throw new IllegalStateException(
          "could not start etcd + kube-apiserver from "
              + (binaries != null ? binaries : config.getKubeAPITestDir())
              + " ("
              + INSTALL_HINT
              + "): "
              + e,
          e);
    }
    String yaml = server.getKubeConfigYaml();
    Config cfg = Config.fromKubeconfig(yaml);
    cfg.setRequestTimeout(30_000);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(cfg).build();
    TestCluster c = new TestCluster(server, client, yaml, binaries);
    LOG.info(
        "kube-apiserver {} ready at {} in {} ms (binaries {})",
        c.version(),
        cfg.getMasterUrl(),
        (System.nanoTime() - t0) / 1_000_000,
        binaries);
    return c;
  }

  static KubeAPIServerConfig config() {
    KubeAPIServerConfigBuilder b =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(
                setting("l2lb.kubeapitest.dir", KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR)
                    .orElse(
                        new File(
                                System.getProperty("user.home"),
                                KubeAPIServerConfigBuilder.DIRECTORY_NAME)
                            .getPath()))
            .withOfflineMode(
                setting(
                        "l2lb.kubeapitest.offline",
                        KubeAPIServerConfigBuilder.KUBE_API_TEST_OFFLINE_MODE)
                    .map(Boolean::parseBoolean)
                    .orElse(false))
            .withWaitForEtcdHealthCheckOnStartup(
                setting(
                        "l2lb.kubeapitest.waitForEtcd",
                        KubeAPIServerConfigBuilder.KUBE_API_TEST_WAIT_FOR_ETCD_HEALTH_CHECK)
                    .map(Boolean::parseBoolean)
                    .orElse(false))
            .withStartupTimeout(
                setting(
                        "l2lb.kubeapitest.startupTimeout",
                        KubeAPIServerConfigBuilder.KUBE_API_TEST_STARTUP_TIMEOUT)
                    .map(Integer::parseInt)
                    .orElse(120_000));
    setting("l2lb.k8s.version", KubeAPIServerConfigBuilder.KUBE_API_TEST_API_SERVER_VERSION)
        .map(v -> v.startsWith("v") ? v.substring(1) : v)
        .ifPresent(b::withApiServerVersion);
    return b.build();
  }

  private static Optional<String> setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
  }

  /**
   * Finds the binary directory the way kube-api-test does ({@code <dir>/k8s/<version><suffix>}) and
   * fails loudly when it is missing or incomplete. Returns null when kube-api-test may download.
   */
  static Path preflight(KubeAPIServerConfig config) {
    String suffix = Utils.platformSuffix(new OSInfo());
    Path k8s = Paths.get(config.getKubeAPITestDir(), BinaryManager.BINARY_LIST_DIR);
    String wanted = config.getApiServerVersion().orElse(null);
    List<String> versions = new ArrayList<>();
    String[] names = k8s.toFile().list((d, n) -> n.endsWith(suffix) && !n.startsWith("."));
    if (names != null) {
      Arrays.stream(names)
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .filter(v -> v.matches("\\d+(\\.\\d+)*"))
          .filter(
              v ->
                  wanted == null
                      || (Utils.isWildcardVersion(wanted)
                          ? v.startsWith(Utils.wildcardToPrefix(wanted) + ".")
                          : v.equals(wanted)))
          .forEach(versions::add);
    }
    versions.sort(Utils.SEMVER_COMPARATOR);
    Optional<Path> dir =
        versions.isEmpty()
            ? Optional.empty()
            : Optional.of(k8s.resolve(versions.get(versions.size() - 1) + suffix));
    String what =
        "kube-api-test binaries"
            + (wanted != null ? " for version " + wanted : "")
            + " under "
            + k8s;
    if (dir.isEmpty()) {
      if (config.isOfflineMode()) {
        throw new IllegalStateException(
            "missing " + what + " and offline mode is on: " + INSTALL_HINT);
      }
      LOG.warn(
          "no {}; kube-api-test will try to download them (if that fails: {})", what, INSTALL_HINT);
      return null;
    }
    for (String bin : List.of("etcd", "kube-apiserver", "kubectl")) {
      Path p = dir.get().resolve(bin);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new IllegalStateException("missing or non-executable " + p + ": " + INSTALL_HINT);
      }
    }
    return dir.get();
  }

  /** Installs {@code <repo root>/manifests/crds/*.yml} and waits until they are Established. */
  public List<CustomResourceDefinition> installRepoCrds() {
    return installCrds(Crds.files(Crds.repoCrdDir()));
  }

  public synchronized List<CustomResourceDefinition> installCrds(List<Path> files) {
    long t0 = System.nanoTime();
    List<CustomResourceDefinition> installed = Crds.install(client, files, CRD_TIMEOUT);
    List<CustomResourceDefinition> all = new ArrayList<>(crds);
    for (CustomResourceDefinition crd : installed) {
      all.removeIf(c -> c.getMetadata().getName().equals(crd.getMetadata().getName()));
      all.add(crd);
    }
    crds = List.copyOf(all);
    LOG.info(
        "installed {} CRDs in {} ms: {}",
        installed.size(),
        (System.nanoTime() - t0) / 1_000_000,
        installed.stream().map(c -> c.getMetadata().getName()).toList());
    return installed;
  }

  /** The installed CRD whose kind (or plural, or full name) is {@code kindOrName}. */
  public CustomResourceDefinition crd(String kindOrName) {
    return crds.stream()
        .filter(
            c ->
                kindOrName.equals(c.getSpec().getNames().getKind())
                    || kindOrName.equals(c.getSpec().getNames().getPlural())
                    || kindOrName.equals(c.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no installed CRD for "
                        + kindOrName
                        + "; installed: "
                        + crds.stream().map(c -> c.getMetadata().getName()).toList()));
  }

  public List<CustomResourceDefinition> crds() {
    return crds;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Kubeconfig (admin client certificate) for processes started by tests, e.g. operator or speaker.
   */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  public Path writeKubeconfig(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Directory holding etcd, kube-apiserver and kubectl (null if kube-api-test downloaded them). */
  public Path binaryDir() {
    return binaryDir;
  }

  /** {@code gitVersion} reported by the API server's /version, e.g. {@code v1.34.4}. */
  public String version() {
    return client.getKubernetesVersion().getGitVersion();
  }

  /** A fixture DSL bound to {@code namespace}. */
  public Fixtures fixtures(String namespace) {
    return new Fixtures(client, namespace);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      client.close();
    } finally {
      safeStop(server);
    }
  }

  private static void safeStop(KubeAPIServer server) {
    try {
      server.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping kube-apiserver/etcd: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "TestCluster[" + Objects.requireNonNullElse(binaryDir, "downloaded binaries") + "]";
  }
}
