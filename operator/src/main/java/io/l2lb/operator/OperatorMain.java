package io.l2lb.operator;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.operator.kube.ApiStartup;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator program: settings ({@code --help}), then runs until SIGTERM. Exit codes: {@link
 * ExitCode}.
 */
public final class OperatorMain {

  static final int REQUEST_TIMEOUT_MILLIS = 10_000;
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /**
   * How long a start waits for the API server to serve l2lb's resources (ApiStartup); the
   * Deployment's startupProbe allows 120 s.
   */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private static final ListOptions ONE =
      new ListOptionsBuilder().withLimit(1L).withResourceVersion("0").build();

  private OperatorMain() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != ExitCode.OK.code) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    List<String> argList = Arrays.asList(args);
    if (argList.contains("--help") || argList.contains("-h")) {
      System.out.print(OperatorConfig.usage());
      return ExitCode.OK.code;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.parse(argList, System.getenv());
    } catch (OperatorConfig.ConfigException e) {
      System.err.println("configuration: " + e.getMessage());
      return ExitCode.CONFIG.code;
    }
    // before the first logger exists: slf4j-simple reads its level once
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.logLevel());
    Logger log = LoggerFactory.getLogger(OperatorMain.class);
    KubernetesClient client;
    try {
      client = client(config);
    } catch (IllegalStateException e) {
      log.error("no Kubernetes API server: {}", e.getMessage());
      return ExitCode.NO_KUBE_CONFIG.code;
    }
    try {
      ApiStartup.awaitServed(
          Map.of(
              "metalloadbalancerclasses",
              () -> client.resources(MetalLoadBalancerClass.class).list(ONE),
              "l2announcements",
              () -> client.resources(L2Announcement.class).inAnyNamespace().list(ONE)),
          STARTUP_TIMEOUT,
          System::nanoTime,
          d -> Thread.sleep(d.toMillis()));
    } catch (KubernetesClientException e) {
      log.error(
          "cannot start: the API server does not serve l2lb's resources: {} (are the CRDs installed"
              + " and the RBAC of manifests/operator applied?)",
          e.getMessage());
      return ExitCode.START_FAILED.code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED.code;
    }
    L2lbOperator operator;
    try {
      operator = L2lbOperator.start(config, client);
    } catch (BindException e) {
      log.error(
          "cannot listen on {}:{} for /metrics, /healthz, /readyz ({}): set L2LB_METRICS_PORT /"
              + " --metrics-port",
          config.metricsAddress(),
          config.metricsPort(),
          e.getMessage());
      return ExitCode.NO_METRICS_PORT.code;
    } catch (IOException e) {
      log.error("cannot start the HTTP endpoints: {}", e.toString());
      return ExitCode.NO_METRICS_PORT.code;
    } catch (RuntimeException e) {
      log.error(
          "cannot start: {} (are the CRDs installed and the RBAC of manifests/operator applied?)",
          e.toString(),
          e);
      return ExitCode.START_FAILED.code;
    }
    operator.onLostLeadership(
        () -> new Thread(() -> System.exit(ExitCode.LOST_LEADERSHIP.code), "exit").start());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("SIGTERM: releasing leadership and stopping");
                  try {
                    operator.shutdown();
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
    return ExitCode.OK.code;
  }

  static KubernetesClient client(OperatorConfig config) {
    Path userKubeconfig = Path.of(System.getProperty("user.home"), ".kube", "config");
    if (config.kubeconfig().isEmpty()
        && System.getenv("KUBERNETES_SERVICE_HOST") == null
        && !Files.isReadable(userKubeconfig)) {
      throw new IllegalStateException(
          "not in a pod (KUBERNETES_SERVICE_HOST is unset), no --kubeconfig / KUBECONFIG, and no "
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
      throw new IllegalStateException(
          "cannot configure the Kubernetes client from "
              + config.kubeconfig().map(Path::toString).orElse("the in-cluster service account")
              + ": "
              + e.getMessage(),
          e);
    }
    return client(k);
  }

  /** The client settings the operator runs with (also used by the tests). */
  public static KubernetesClient client(Config k) {
    k.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    k.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    // the writer retries with its own backoff; the client's would only add to it
    k.setRequestRetryBackoffLimit(0);
    k.setWatchReconnectInterval(1_000);
    k.setWatchReconnectLimit(-1);
    return new KubernetesClientBuilder().withConfig(k).build();
  }
}
