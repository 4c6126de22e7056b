package io.l2lb.speaker;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.l2lb.speaker.reconcile.HotPathWarmup;
import io.l2lb.speaker.wire.PcapPacketPort;
import io.l2lb.speaker.wire.SystemInterfaces;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker program: checks, then runs until SIGTERM. Settings: see {@link SpeakerConfig} ({@code
 * --help}); exit codes: {@link ExitCode}.
 */
public final class SpeakerMain {

  private static final Logger log = LoggerFactory.getLogger(SpeakerMain.class);

  /** Per request. Short: a speaker waiting on a dead API server should find out and retry soon. */
  static final int REQUEST_TIMEOUT_MILLIS = 5_000;

  static final int CONNECT_TIMEOUT_MILLIS = 3_000;

  private SpeakerMain() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != ExitCode.OK.code) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    List<String> argList = Arrays.asList(args);
    if (argList.contains("--help") || argList.contains("-h")) {
      System.out.print(SpeakerConfig.usage());
      return ExitCode.OK.code;
    }
    SpeakerConfig config;
    try {
      config = SpeakerConfig.parse(argList, System.getenv());
    } catch (SpeakerConfig.ConfigException e) {
      log.error("configuration: {}", e.getMessage());
      return ExitCode.CONFIG.code;
    }
    try {
      Preflight.requireNetRaw(Path.of("/proc/self/status"));
      log.info("{}", Preflight.requireLibpcap());
      SystemInterfaces interfaces = new SystemInterfaces();
      config
          .defaultInterface()
          .filter(i -> !interfaces.exists(i))
          .ifPresent(
              i -> {
                throw new StartupCheckFailed(
                    ExitCode.NO_INTERFACE,
                    "interface "
                        + i
                        + " (L2LB_INTERFACE / --interface) "
                        + "not found; interfaces here: "
                        + String.join(", ", interfaces.names()));
              });
      log.info(
          "reply path compiled ahead of the first request in {} ms",
          HotPathWarmup.run(HotPathWarmup.DEFAULT_ROUNDS).toMillis());
      KubernetesClient client = client(config);
      Speaker speaker = Speaker.start(config, client, PcapPacketPort::open, interfaces);
      awaitSigterm(speaker, client);
      return ExitCode.OK.code;
    } catch (StartupCheckFailed e) {
      log.error("start-up check failed: {}", e.getMessage());
      return e.exitCode().code;
    } catch (RuntimeException e) {
      log.error("speaker failed", e);
      return ExitCode.FAILED.code;
    }
  }

  static KubernetesClient client(SpeakerConfig config) {
    Path userKubeconfig = Path.of(System.getProperty("user.home"), ".kube", "config");
    if (config.kubeconfig().isEmpty()
        && System.getenv("KUBERNETES_SERVICE_HOST") == null
        && !java.nio.file.Files.isReadable(userKubeconfig)) {
      // fabric8 would quietly fall back to https://kubernetes.default.svc and retry forever
      throw new StartupCheckFailed(
          ExitCode.NO_KUBE_CONFIG,
          "no Kubernetes API server to talk to: not in a pod "
              + "(KUBERNETES_SERVICE_HOST is unset), no --kubeconfig / KUBECONFIG, and no "
              + userKubeconfig);
    }
    Config k;
    try {
      k =
          config
              .kubeconfig()
              .map(p -> Config.fromKubeconfig(p.toFile()))
              .orElseGet(() -> Config.autoConfigure(null));
    } catch (RuntimeException e) {
      throw new StartupCheckFailed(
          ExitCode.NO_KUBE_CONFIG,
          "cannot configure the Kubernetes client from "
              + config.kubeconfig().map(Path::toString).orElse("the in-cluster service account")
              + ": "
              + e.getMessage(),
          e);
    }
    k.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    k.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    k.setRequestRetryBackoffLimit(
        0); // our loops retry; the client's own backoff would only delay them
    k.setWatchReconnectInterval(1_000);
    k.setWatchReconnectLimit(-1);
    return new KubernetesClientBuilder().withConfig(k).build();
  }

  private static void awaitSigterm(Speaker speaker, KubernetesClient client) {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("SIGTERM at {}: releasing the Lease and stopping", Instant.now());
                  try {
                    speaker.shutdown();
                    client.close();
                  } finally {
                    done.countDown();
                  }
                },
                "sigterm"));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
