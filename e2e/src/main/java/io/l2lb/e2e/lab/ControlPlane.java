package io.l2lb.e2e.lab;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real control plane the lab owns outright: an {@code etcd} and a {@code kube-apiserver} process,
 * started from the binaries {@code scripts/install-k8s-binaries.sh} installs, with the lab's own
 * certificates ({@link Pki}) and fixed ports, so the API server can be stopped and started again on
 * the same address while etcd keeps the data (the "API server restart" step of the story). No
 * controller-manager, no scheduler: the lab plays kubelet itself.
 *
 * <p>The API server listens on every address, so processes in the lab's network namespaces reach it
 * through the root namespace's veth at {@code apiAddress}.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Path binaries;
  private final Pki.Material pki;
  private final int etcdPort;
  private final int etcdPeerPort;
  private final int apiPort;
  private final Path kubeconfig;
  private Process etcd;
  private Process apiServer;
  private KubernetesClient client;

  private ControlPlane(
      Path dir, Path binaries, Pki.Material pki, int etcdPort, int etcdPeerPort, int apiPort) {
    this.dir = dir;
    this.binaries = binaries;
    this.pki = pki;
    this.etcdPort = etcdPort;
    this.etcdPeerPort = etcdPeerPort;
    this.apiPort = apiPort;
    this.kubeconfig = dir.resolve("admin.kubeconfig");
  }

  /**
   * Starts etcd and kube-apiserver with their state in {@code dir} (created; emptied first).
   *
   * @param apiAddresses extra IP addresses the serving certificate must be valid for
   */
  public static ControlPlane start(Path dir, List<String> apiAddresses) {
    Path binaries = findBinaries();
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pki.Material pki = Pki.ensure(dir.resolve("pki"), apiAddresses);
    ControlPlane cp = new ControlPlane(dir, binaries, pki, freePort(), freePort(), freePort());
    try {
      cp.writeKubeconfig();
      cp.startEtcd();
      cp.startApiServer();
    } catch (RuntimeException e) {
      cp.close();
      throw e;
    }
    return cp;
  }

  /** The newest {@code <version>-linux-amd64} folder under {@code ~/.kubeapitest/k8s}. */
  public static Path findBinaries() {
    String base =
        Optional.ofNullable(System.getenv("KUBE_API_TEST_DIR"))
            .orElse(System.getProperty("user.home") + "/.kubeapitest");
    Path k8s = Path.of(base, "k8s");
    try (Stream<Path> dirs = Files.isDirectory(k8s) ? Files.list(k8s) : Stream.empty()) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("kube-apiserver")))
          .filter(d -> Files.isExecutable(d.resolve("etcd")))
          .max(Comparator.comparing(d -> versionKey(d.getFileName().toString())))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no etcd + kube-apiserver under "
                          + k8s
                          + ": run scripts/install-k8s-binaries.sh from the repository root"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String versionKey(String folder) {
    StringBuilder key = new StringBuilder();
    for (String part : folder.replaceAll("-.*", "").split("\\.")) {
      key.append(String.format("%06d", part.matches("\\d+") ? Integer.parseInt(part) : 0));
    }
    return key.toString();
  }

  public Path kubectl() {
    return binaries.resolve("kubectl");
  }

  public Path binaries() {
    return binaries;
  }

  public int apiPort() {
    return apiPort;
  }

  public Path caCert() {
    return pki.caCert();
  }

  /** Admin kubeconfig (client certificate in system:masters) for https://127.0.0.1:port. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public synchronized KubernetesClient client() {
    if (client == null) {
      Config config = Config.fromKubeconfig(readKubeconfig());
      config.setRequestTimeout(15_000);
      client = new KubernetesClientBuilder().withConfig(config).build();
    }
    return client;
  }

  public boolean apiServerRunning() {
    return apiServer != null && apiServer.isAlive();
  }

  /** Stops the API server (SIGTERM, then SIGKILL after 10 s); etcd and its data stay. */
  public synchronized void stopApiServer() {
    stop(apiServer, "kube-apiserver");
    apiServer = null;
  }

  /** Starts the API server again on the same port with the same certificates and data. */
  public synchronized void startApiServer() {
    List<String> cmd = new ArrayList<>();
    cmd.add(binaries.resolve("kube-apiserver").toString());
    cmd.add("--etcd-servers=http://127.0.0.1:" + etcdPort);
    cmd.add("--bind-address=0.0.0.0");
    cmd.add("--secure-port=" + apiPort);
    cmd.add("--cert-dir=" + dir.resolve("apiserver-certs"));
    cmd.add("--tls-cert-file=" + pki.serverCert());
    cmd.add("--tls-private-key-file=" + pki.serverKey());
    cmd.add("--client-ca-file=" + pki.caCert());
    cmd.add("--authorization-mode=RBAC");
    cmd.add("--service-account-issuer=https://kubernetes.default.svc");
    cmd.add("--service-account-key-file=" + pki.serviceAccountPub());
    cmd.add("--service-account-signing-key-file=" + pki.serviceAccountKey());
    // no token controller runs, so Pods must not need the default ServiceAccount's token
    cmd.add("--disable-admission-plugins=ServiceAccount");
    cmd.add("--service-cluster-ip-range=10.0.0.0/24");
    cmd.add("--allow-privileged=true");
    apiServer = launch(cmd, "kube-apiserver");
    awaitApiReady();
  }

  /**
   * Stops the kube-apiserver, leaves it down for {@code down} (the outage's length is the scenario,
   * not a wait for anything) and starts it again on the same port and storage.
   */
  public synchronized void restartApiServer(Duration down) {
    stopApiServer();
    try {
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the API server outage", e);
    }
    startApiServer();
  }

  private void startEtcd() {
    List<String> cmd =
        List.of(
            binaries.resolve("etcd").toString(),
            "--name=lab",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-cluster=lab=http://127.0.0.1:" + etcdPeerPort,
            // a throw-away lab: durability is not worth the fsync latency on a shared disk
            "--unsafe-no-fsync=true",
            "--log-level=warn");
    etcd = launch(cmd, "etcd");
    Awaitility.await("etcd healthy on 127.0.0.1:" + etcdPort)
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              requireAlive(etcd, "etcd");
              try (var s = new java.net.Socket("127.0.0.1", etcdPort)) {
                return true;
              }
            });
  }

  private void awaitApiReady() {
    long t0 = System.nanoTime();
    long deadline = t0 + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      requireAlive(apiServer, "kube-apiserver");
      try {
        String answer = client().raw("/readyz");
        if ("ok".equals(answer)) {
          LOG.info(
              "kube-apiserver ready on port {} in {} ms",
              apiPort,
              (System.nanoTime() - t0) / 1_000_000);
          return;
        }
        last = "/readyz said " + answer;
      } catch (RuntimeException e) {
        last = e.toString();
      }
      try {
        Thread.sleep(200); // polling a process that has no readiness notification
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kube-apiserver", e);
      }
    }
    throw new IllegalStateException(
        "kube-apiserver not ready on port "
            + apiPort
            + " after "
            + START_TIMEOUT.toSeconds()
            + " s: "
            + last
            + "; its log: "
            + dir.resolve("kube-apiserver.log"));
  }

  private void requireAlive(Process p, String what) {
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(
          what
              + " exited (code "
              + (p == null ? "?" : p.exitValue())
              + "); its log: "
              + dir.resolve(what + ".log"));
    }
  }

  private Process launch(List<String> cmd, String name) {
    try {
      File log = dir.resolve(name + ".log").toFile();
      return new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + cmd.get(0), e);
    }
  }

  private void writeKubeconfig() {
    String yaml =
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: l2lb-lab\n"
            + "  cluster:\n"
            + "    server: https://127.0.0.1:"
            + apiPort
            + "\n"
            + "    certificate-authority: "
            + pki.caCert()
            + "\n"
            + "users:\n"
            + "- name: l2lb-lab-admin\n"
            + "  user:\n"
            + "    client-certificate: "
            + pki.adminCert()
            + "\n"
            + "    client-key: "
            + pki.adminKey()
            + "\n"
            + "contexts:\n"
            + "- name: l2lb-lab\n"
            + "  context: {cluster: l2lb-lab, user: l2lb-lab-admin, namespace: default}\n"
            + "current-context: l2lb-lab\n";
    try {
      Files.writeString(kubeconfig, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readKubeconfig() {
    try {
      return Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stop(Process p, String what) {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        LOG.warn("{} ignored SIGTERM for 10 s; killing it", what);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    stop(apiServer, "kube-apiserver");
    stop(etcd, "etcd");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
