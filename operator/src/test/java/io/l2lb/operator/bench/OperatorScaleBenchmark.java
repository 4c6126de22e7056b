package io.l2lb.operator.bench;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.RepoRoot;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator at scale, on a private real API server: 1,000 Services x 3 IPs on 20 nodes, the
 * operator as its own process (the shipped jar with the Deployment's JVM flags). Prints a table:
 * time from the first Service created to every status written, API writes per Service, writes in a
 * quiet minute, operator RSS, and the time from one node's Lease expiry to every moved announcement
 * written. A harness, not a test: it asserts nothing. Rerun: docs/benchmarks.md.
 */
public final class OperatorScaleBenchmark {

  static final int NODES = 20;
  static final int SERVICES = Integer.getInteger("l2lb.bench.services", 1000);
  static final int IPS = 3;
  static final Pattern WRITES =
      Pattern.compile(
          "^l2lb_operator_api_writes_total\\{kind=\"([a-z_]+)\"} ([0-9.E]+)$", Pattern.MULTILINE);

  /** Create the Services before the operator starts; time from its process start. */
  static final boolean PRELOAD = Boolean.getBoolean("l2lb.bench.preload");

  /** Threads creating the Services: the harness must not be what sets the pace. */
  static final int CREATORS = Integer.getInteger("l2lb.bench.creators", 32);

  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(System.getProperty("l2lb.operator.jar", "operator/target/l2lb-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: ./mvnw -pl operator -am package -DskipTests");
    }
    // kube-api-test passes --service-cluster-ip-range=10.0.0.0/24 after any flag of ours (254
    // cluster IPs: too few for 1,000 Services); a private binary directory whose kube-apiserver
    // is a wrapper that widens the range to a /16 and runs the real binary
    String version = System.getProperty("l2lb.k8s.version", "1.34.4");
    Path real =
        Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", version + "-linux-amd64");
    Path testDir = Files.createTempDirectory("bench-kubeapitest");
    Path bin = Files.createDirectories(testDir.resolve("k8s").resolve(version + "-linux-amd64"));
    Files.createSymbolicLink(bin.resolve("etcd"), real.resolve("etcd"));
    Files.createSymbolicLink(bin.resolve("kubectl"), real.resolve("kubectl"));
    Path wrapper =
        Files.writeString(
            bin.resolve("kube-apiserver"),
            "#!/bin/bash\nargs=()\nfor a in \"$@\"; do [ \"$a\" = 10.0.0.0/24 ] && a=10.96.0.0/16;"
                + " args+=(\"$a\"); done\nexec "
                + real.resolve("kube-apiserver")
                + " \"${args[@]}\"\n");
    wrapper.toFile().setExecutable(true);
    io.fabric8.kubeapitest.KubeAPIServer server =
        new io.fabric8.kubeapitest.KubeAPIServer(
            io.fabric8.kubeapitest.KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withOfflineMode(true)
                .withApiServerVersion(version)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    try (KubernetesClient client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build()) {
      io.l2lb.testkit.Crds.install(
          client,
          io.l2lb.testkit.Crds.files(io.l2lb.testkit.Crds.repoCrdDir()),
          java.time.Duration.ofSeconds(60));
      Fixtures.ensureNamespace(client, "bench");
      Fixtures f = new Fixtures(client, "bench");
      String ns = "bench";
      List<String> nodes = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        String n = String.format("node-%02d", i);
        f.node(n).label("node-role", "bench").ready().create();
        f.lease(Names.speakerLeaseName(n)).holder(n).durationSeconds(3).renewedNow().create();
        nodes.add(n);
      }
      Map<String, Long> lastRenewNanos = new ConcurrentHashMap<>();
      Map<String, Boolean> renewing = new ConcurrentHashMap<>();
      nodes.forEach(n -> renewing.put(n, true));
      ScheduledExecutorService speakers = Executors.newScheduledThreadPool(4);
      for (String n : nodes) {
        speakers.scheduleWithFixedDelay(
            () -> {
              if (renewing.get(n)) {
                try {
                  f.renewLease(Names.speakerLeaseName(n));
                  lastRenewNanos.put(n, System.nanoTime());
                } catch (RuntimeException e) {
                  // next round
                }
              }
            },
            0,
            1,
            TimeUnit.SECONDS);
      }
      MetalLoadBalancerClass c = new MetalLoadBalancerClass();
      c.getMetadata().setName("bench");
      MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
      spec.setIsDefault(true);
      spec.setAddressPool(List.of("2001:db8:1::/116"));
      spec.setNodeSelector(Map.of("node-role", "bench"));
      c.setSpec(spec);
      client.resource(c).create();

      Path kubeconfig =
          Files.writeString(
              Files.createTempFile("bench", ".kubeconfig"), server.getKubeConfigYaml());
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      // -Dl2lb.bench.preload=true: the Services exist before the operator starts, and the clock
      // runs from the operator's process start (its own throughput, not the API server's create
      // rate)
      ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
      // build every Service first: the clock measures the API server and the operator only
      List<io.fabric8.kubernetes.api.model.Service> specs = new ArrayList<>();
      for (int i = 0; i < SERVICES; i++) {
        specs.add(
            f.service(String.format("svc-%04d", i))
                .annotation(Names.Annotations.EXTERNAL_IPS_COUNT, String.valueOf(IPS))
                .build());
      }
      long createdMillis = 0;
      if (PRELOAD) {
        createdMillis = createAll(client, ns, pool, specs);
      }
      Path log = jar.toAbsolutePath().getParent().resolve("bench-operator.log");
      long processStart = System.nanoTime();
      // extra JVM flags for the operator, e.g. a JFR recording to profile it
      String extra = System.getProperty("l2lb.bench.operatorJvmFlags", "");
      Process op =
          new ProcessBuilder(
                  "env",
                  "JDK_JAVA_OPTIONS=" + deploymentJvmFlags(client) + " " + extra,
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--namespace=" + ns,
                  "--identity=bench",
                  "--metrics-address=127.0.0.1",
                  "--metrics-port=" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      HttpClient http = HttpClient.newHttpClient();
      waitFor(() -> get(http, port, "/readyz").startsWith("ok"), 60_000, "operator ready");

      // 1,000 Services x 3 IPs, created from many threads at once
      int passesBefore = PRELOAD ? 0 : passes(log);
      long t0 = PRELOAD ? processStart : System.nanoTime();
      if (!PRELOAD) {
        createdMillis = createAll(client, ns, pool, specs);
      }
      waitFor(
          () ->
              client.services().inNamespace(ns).list().getItems().stream()
                      .filter(OperatorScaleBenchmark::complete)
                      .count()
                  == SERVICES,
          120_000,
          "every status written");
      long convergeMillis = (System.nanoTime() - t0) / 1_000_000;
      waitFor(
          () ->
              client.resources(L2Announcement.class).inNamespace(ns).list().getItems().size()
                  == SERVICES * IPS,
          60_000,
          "every announcement");
      // events go out last; let the pass finish before counting
      waitFor(() -> idle(http, port, 2_000), 60_000, "writes settle");
      Map<String, Double> byKind = writesByKind(http, port);
      double writes = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
      double serviceWrites =
          byKind.getOrDefault("announcement_apply", 0.0)
              + byKind.getOrDefault("announcement_delete", 0.0)
              + byKind.getOrDefault("service_status", 0.0)
              + byKind.getOrDefault("event", 0.0);
      int convergePasses = passes(log) - passesBefore;

      // a quiet minute
      Map<String, String> versions = versions(client, ns);
      double before = writes(http, port);
      long rss = rss(op.pid());
      Thread.sleep(60_000); // the measured interval itself, not a synchronisation
      double quietWrites = writes(http, port) - before;
      Map<String, String> after = versions(client, ns);
      long changed =
          versions.entrySet().stream()
              .filter(e -> !e.getValue().equals(after.get(e.getKey())))
              .count();

      // one node's Lease expires: every moved announcement written
      Map<String, Integer> perNode = new HashMap<>();
      for (L2Announcement a :
          client.resources(L2Announcement.class).inNamespace(ns).list().getItems()) {
        perNode.merge(a.getSpec().getNodeName(), 1, Integer::sum);
      }
      String victim =
          perNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      int onVictim = perNode.get(victim);
      AtomicLong emptyAt = new AtomicLong();
      SharedIndexInformer<L2Announcement> watch =
          client
              .resources(L2Announcement.class)
              .inNamespace(ns)
              .withLabel(Names.Labels.ANNOUNCEMENT_NODE, victim)
              .inform();
      watch.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(L2Announcement obj) {}

            @Override
            public void onUpdate(L2Announcement o, L2Announcement n) {}

            @Override
            public void onDelete(L2Announcement obj, boolean unknown) {
              if (watch.getStore().list().isEmpty()) {
                emptyAt.compareAndSet(0, System.nanoTime());
              }
            }
          });
      renewing.put(victim, false);
      long stopped = System.nanoTime();
      waitFor(() -> emptyAt.get() != 0, 30_000, "announcements moved off " + victim);
      // the operator judges expiry from when it saw the last renewal: the harness's last renewal
      // returned within a few ms of that
      long expiry = lastRenewNanos.get(victim) + TimeUnit.SECONDS.toNanos(3);
      double failoverMs = (emptyAt.get() - expiry) / 1e6;
      long rssAfter = rss(op.pid());
      watch.close();

      System.out.println();
      System.out.printf(
          "| what | target | result |%n|---|---|---|%n"
              + (PRELOAD
                  ? "| %d Services x %d IPs on %d nodes, there before the operator: its process start -> every status written | <= 10 s | %.1f s (creating them before, %d threads: %.1f s; %d passes) |%n"
                  : "| %d Services x %d IPs on %d nodes: first create -> every status written | <= 10 s | %.1f s (creating them, %d threads: %.1f s; %d passes) |%n")
              + "| API writes per Service: its announcements, status and Events | <= 5 | %.2f |%n"
              + "| the same with the cluster's own writes spread over the Services (%s) | | %.3f |%n"
              + "| writes in a quiet minute (Lease renewals going on) | 0 | %.0f (announcements changed: %d) |%n"
              + "| Lease expiry of %s (%d IPs) -> every moved announcement written | <= 0.5 s | %.0f ms |%n"
              + "| operator RSS (Deployment's JVM flags), settled / after the failover | <= 256 MiB | %.0f / %.0f MiB |%n",
          SERVICES,
          IPS,
          NODES,
          convergeMillis / 1000.0,
          CREATORS,
          createdMillis / 1000.0,
          convergePasses,
          serviceWrites / SERVICES,
          "node labels "
              + byKind.getOrDefault("node_label", 0.0).intValue()
              + ", class status "
              + byKind.getOrDefault("class_status", 0.0).intValue(),
          writes / SERVICES,
          quietWrites,
          changed,
          victim,
          onVictim,
          failoverMs,
          rss / 1048576.0,
          rssAfter / 1048576.0);
      System.out.printf("(stopped renewing at +0, expiry at +%.0f ms)%n", (expiry - stopped) / 1e6);
      op.destroy();
      op.waitFor(10, TimeUnit.SECONDS);
      pool.shutdownNow();
      speakers.shutdownNow();
    } finally {
      server.stop();
    }
    System.exit(0);
  }

  static boolean complete(Service s) {
    return s.getStatus() != null
        && s.getStatus().getLoadBalancer() != null
        && s.getStatus().getLoadBalancer().getIngress() != null
        && s.getStatus().getLoadBalancer().getIngress().size() == IPS
        && s.getStatus().getConditions() != null
        && s.getStatus().getConditions().size() >= 2;
  }

  static Map<String, String> versions(KubernetesClient client, String ns) {
    Map<String, String> v = new HashMap<>();
    for (L2Announcement a :
        client.resources(L2Announcement.class).inNamespace(ns).list().getItems()) {
      v.put("a/" + a.getMetadata().getName(), a.getMetadata().getResourceVersion());
    }
    for (Service s : client.services().inNamespace(ns).list().getItems()) {
      v.put("s/" + s.getMetadata().getName(), s.getMetadata().getResourceVersion());
    }
    return v;
  }

  static String deploymentJvmFlags(KubernetesClient client) throws Exception {
    try (InputStream in =
        Files.newInputStream(RepoRoot.get().resolve("manifests/operator/deployment.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o instanceof Deployment d) {
          return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
              .map(EnvVar::getValue)
              .findFirst()
              .orElseThrow();
        }
      }
    }
    throw new IllegalStateException("no Deployment");
  }

  static long rss(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  static String get(HttpClient http, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  static double writes(HttpClient http, int port) {
    return writesByKind(http, port).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  static Map<String, Double> writesByKind(HttpClient http, int port) {
    Matcher m = WRITES.matcher(get(http, port, "/metrics"));
    Map<String, Double> out = new HashMap<>();
    while (m.find()) {
      out.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  /** Passes that wrote something, from the operator's log (one line each). */
  static int passes(Path log) throws java.io.IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return (int) lines.filter(l -> l.contains("PlacementController - pass ")).count();
    }
  }

  private static double lastWrites = -1;
  private static long lastChange;

  /** True once the write counter has not moved for {@code millis}. */
  static boolean idle(HttpClient http, int port, long millis) {
    double w = writes(http, port);
    long now = System.nanoTime();
    if (w != lastWrites) {
      lastWrites = w;
      lastChange = now;
      return false;
    }
    return now - lastChange > TimeUnit.MILLISECONDS.toNanos(millis);
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check check, long timeoutMillis, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20); // polling interval of the harness
    }
  }

  /** Creates every Service from the pool's threads; returns how long that took (ms). */
  static long createAll(
      KubernetesClient client,
      String ns,
      ExecutorService pool,
      List<io.fabric8.kubernetes.api.model.Service> specs)
      throws Exception {
    long t0 = System.nanoTime();
    List<Future<?>> created = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.Service svc : specs) {
      created.add(pool.submit(() -> client.services().inNamespace(ns).resource(svc).create()));
    }
    for (Future<?> x : created) {
      x.get();
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
