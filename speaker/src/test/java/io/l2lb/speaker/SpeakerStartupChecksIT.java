package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged program's start-up checks: each deployment mistake ends the process at once with its
 * own exit code and a message saying what to change. Runs the shipped jar as a child process;
 * privileges are taken away with util-linux {@code setpriv}. Needs root, setpriv and libpcap; fails
 * without them.
 */
class SpeakerStartupChecksIT {

  record Outcome(int exit, String output) {}

  @TempDir static Path tmp;
  static Path jar;

  @BeforeAll
  static void requirements() throws IOException {
    Path built = Path.of(System.getProperty("l2lb.speaker.jar", "target/l2lb-speaker-all.jar"));
    assertThat(built)
        .as("the packaged jar (mvn verify builds it before this phase)")
        .isRegularFile();
    assertThat(Files.readString(Path.of("/proc/self/status")))
        .as("these checks run as root")
        .containsPattern("Uid:\\s+0\\s");
    assertThat(Path.of("/usr/bin/setpriv")).as("util-linux setpriv").isExecutable();
    // a copy an unprivileged user can read (the build directory may sit below /root)
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = Files.copy(built, tmp.resolve("speaker.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /**
   * Runs {@code prefix... java [jvmArgs] -jar speaker.jar args} with a clean environment and no
   * ~/.kube.
   */
  static Outcome run(List<String> prefix, List<String> jvmArgs, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Duser.home=" + tmp);
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("KUBE")
                    || k.equals("NODE_NAME")
                    || k.startsWith("L2LB_")
                    || k.startsWith("JAVA_TOOL")
                    || k.startsWith("JDK_JAVA"));
    env.put("HOME", tmp.toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 60 s: " + cmd);
    }
    return new Outcome(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  static Outcome run(String... args) throws Exception {
    return run(List.of(), List.of(), args);
  }

  @Test
  void helpPrintsEverySettingAndExitsZero() throws Exception {
    Outcome o = run("--help");
    assertThat(o.exit()).as(o.output()).isZero();
    assertThat(o.output())
        .contains("--node-name", "$NODE_NAME", "$POD_NAMESPACE", "$L2LB_LEASE_INTERVAL");
  }

  @Test
  void missingNodeNameExits2() throws Exception {
    Outcome o = run();
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.CONFIG.code);
    assertThat(o.output()).contains("NODE_NAME is not set", "spec.nodeName");
    Outcome bad = run("--node-name=n", "--garp-interval=fast");
    assertThat(bad.exit()).as(bad.output()).isEqualTo(ExitCode.CONFIG.code);
    assertThat(bad.output()).contains("L2LB_GARP_INTERVAL", "'fast'");
  }

  @Test
  void rootWithoutNetRawExits3() throws Exception {
    Outcome o =
        run(
            List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw"),
            List.of(),
            "--node-name=n");
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_NET_RAW.code);
    assertThat(o.output())
        .contains("running as root but without CAP_NET_RAW", "capabilities.add: [NET_RAW]");
  }

  @Test
  void anUnprivilegedUserExits3() throws Exception {
    Outcome o =
        run(
            List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
            List.of(),
            "--node-name=n");
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_NET_RAW.code);
    assertThat(o.output()).contains("not root (euid 65534) and no CAP_NET_RAW");
  }

  /**
   * Non-root with CAP_NET_RAW passes that check and stops at the next one (no API server
   * configured).
   */
  @Test
  void anUnprivilegedUserWithNetRawPassesThePrivilegeCheck() throws Exception {
    Outcome o =
        run(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=+net_raw",
                "--ambient-caps=+net_raw"),
            List.of(),
            "--node-name=n");
    assertThat(o.output()).doesNotContain("CAP_NET_RAW");
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_KUBE_CONFIG.code);
    assertThat(o.output())
        .contains("no Kubernetes API server to talk to", "KUBERNETES_SERVICE_HOST");
  }

  @Test
  void missingLibpcapExits4NamingThePackages() throws Exception {
    Outcome o =
        run(
            List.of(),
            List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8"),
            "--node-name=n");
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_LIBPCAP.code);
    assertThat(o.output())
        .contains("libpcap cannot be loaded", "apt-get install libpcap0.8", "dnf install libpcap");
  }

  @Test
  void aMissingInterfaceExits5ListingTheExistingOnes() throws Exception {
    Outcome o = run("--node-name=n", "--interface=nosuch0");
    assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_INTERFACE.code);
    assertThat(o.output()).contains("interface nosuch0", "not found", "interfaces here:", "lo");
  }

  @Test
  void aTakenMetricsPortExits7() throws Exception {
    Path kubeconfig =
        Files.writeString(
            tmp.resolve("unreachable.kubeconfig"),
            "apiVersion: v1\nkind: Config\n"
                + "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]\n"
                + "users: [{name: u, user: {token: t}}]\n"
                + "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Outcome o =
          run(
              "--node-name=n",
              "--kubeconfig=" + kubeconfig,
              "--metrics-address=127.0.0.1",
              "--metrics-port=" + taken.getLocalPort());
      assertThat(o.exit()).as(o.output()).isEqualTo(ExitCode.NO_METRICS_PORT.code);
      assertThat(o.output())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort(), "L2LB_METRICS_PORT");
    }
  }
}
