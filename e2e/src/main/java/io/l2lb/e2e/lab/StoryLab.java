package io.l2lb.e2e.lab;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.ShippedRbac;
import io.l2lb.testkit.lab.LabProcess;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The product story's cluster on one machine, with real processes and real packets:
 *
 * <ul>
 *   <li>a real etcd + kube-apiserver ({@link ControlPlane}) with the project's CRDs and RBAC;
 *   <li>network namespaces front-0..N-1 ({@code node-role: front}), worker-0 and a client, on one
 *       bridge (the L2 segment 192.0.2.0/24); the root namespace joins it at 192.0.2.1, where the
 *       API server is reached;
 *   <li>per front node a real speaker process (the shipped jar, the DaemonSet's JVM flags, the
 *       shipped RBAC through a ServiceAccount token) and an HTTP server on port 80 answering with
 *       the node name; Service IPs bound to a dummy interface with {@code arp_ignore}, as
 *       kube-proxy in IPVS mode does ({@link KubeProxy});
 *   <li>the lab as kubelet ({@link Kubelet}): Node heartbeats, nginx Pods whose readiness comes
 *       from real HTTP probes, EndpointSlices from them;
 *   <li>the operator as its own process(es), as many replicas as asked for.
 * </ul>
 *
 * Everything is torn down by {@link #close()}, also at JVM exit; {@link #start} first removes
 * whatever a killed earlier lab of the same name left ({@link LabState}).
 */
public final class StoryLab implements AutoCloseable {
  /**
   * The root namespace's address on the lab segment, where the API server is reached; every node
   * also gets an address in this management network. In the benchmarking range 198.18.0.0/15:
   * 192.0.2.0/24 is the CI machines' own network and their package registries answer at
   * 203.0.113.80, so a lab on either range would take that route away while it runs;
   * 198.51.100.0/24 is the speaker's and operator's E2E labs'.
   */
  public static final String ROOT_ADDRESS = "198.18.0.1";

  /** The management addresses of the nodes: the same /24 as {@link #ROOT_ADDRESS}. */
  static final String MANAGEMENT_PREFIX = "198.18.0.";

  public static final String POOL = "192.0.2.100-192.0.2.150";
  public static final String APP_NAMESPACE = "default";
  public static final String APP_HOST = "app.example.com";

  /**
   * How the lab is built.
   *
   * @param name lab name: state in {@code /tmp/l2lb-lab-<name>}, namespaces {@code l2lb<name>-*}
   * @param leaseInterval speaker Lease renewal interval
   * @param leaseDuration speaker Lease duration (whole seconds)
   */
  public record Options(
      String name,
      int fronts,
      int workers,
      int operatorReplicas,
      Duration leaseInterval,
      Duration leaseDuration,
      Path repoRoot) {
    public static Options defaults(Path repoRoot) {
      return new Options("demo", 3, 1, 2, Duration.ofSeconds(1), Duration.ofSeconds(3), repoRoot);
    }

    public Options named(String value) {
      return new Options(
          value, fronts, workers, operatorReplicas, leaseInterval, leaseDuration, repoRoot);
    }

    public Options leases(Duration interval, Duration duration) {
      return new Options(name, fronts, workers, operatorReplicas, interval, duration, repoRoot);
    }

    public Options operators(int replicas) {
      return new Options(name, fronts, workers, replicas, leaseInterval, leaseDuration, repoRoot);
    }
  }

  /** A node of the lab: its namespace, and its processes while they run. */
  public static final class LabNode {
    public final String name;
    public final Host host;
    public final boolean front;
    volatile LabProcess speaker;
    volatile LabProcess nginx;
    volatile String managementAddress;

    LabNode(String name, Host host, boolean front) {
      this.name = name;
      this.host = host;
      this.front = front;
    }

    public String address() {
      return host.ipv4();
    }

    public String mac() {
      return host.mac();
    }

    public boolean speakerRunning() {
      LabProcess p = speaker;
      return p != null && p.isAlive();
    }
  }

  private final Options options;
  private final Consumer<String> log;
  private final Path stateDir;
  private final Map<String, LabNode> nodes = new LinkedHashMap<>();
  private final List<LabProcess> operators = new ArrayList<>();
  private NetnsLab netns;
  private Host clientHost;
  private ControlPlane controlPlane;
  private Kubelet kubelet;
  private KubeProxy kubeProxy;
  private Workloads workloads;
  private String speakerFlags;
  private Path speakerKubeconfig;
  private Path operatorKubeconfig;
  private final Thread cleanupAtExit = new Thread(this::closeQuietly, "story-lab-cleanup");

  private StoryLab(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
    this.stateDir = LabState.dir(options.name());
  }

  /** Builds and starts the whole lab; {@code log} receives one line per step. */
  public static StoryLab start(Options options, Consumer<String> log) {
    StoryLab lab = new StoryLab(options, log);
    Runtime.getRuntime().addShutdownHook(lab.cleanupAtExit);
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build() {
    for (String gone : LabState.removeStale(options.name())) {
      log.accept("removed a leftover of an earlier lab: " + gone);
    }
    Path speakerJar = speakerJar();
    netns = NetnsLab.createNamed(LabState.netnsPrefix(options.name()), "tcpdump", "arping");
    controlPlane = ControlPlane.start(stateDir.resolve("control-plane"), List.of(ROOT_ADDRESS));
    log.accept(
        "control plane up: etcd + kube-apiserver "
            + controlPlane.binaries().getFileName()
            + " on port "
            + controlPlane.apiPort());
    KubernetesClient client = controlPlane.client();

    clientHost = netns.addHost("client", "192.0.2.10/24", "2001:db8::10/64");
    for (int i = 0; i < options.fronts(); i++) {
      String name = "front-" + i;
      nodes.put(
          name,
          new LabNode(
              name,
              netns.addHost(name, "192.0.2." + (11 + i) + "/24", "2001:db8::" + (11 + i) + "/64"),
              true));
    }
    for (int i = 0; i < options.workers(); i++) {
      String name = "worker-" + i;
      nodes.put(
          name,
          new LabNode(
              name,
              netns.addHost(name, "192.0.2." + (21 + i) + "/24", "2001:db8::" + (21 + i) + "/64"),
              false));
    }
    netns.connectRootNamespace(ROOT_ADDRESS + "/24");
    int mgmt = 11;
    for (LabNode n : nodes.values()) {
      n.managementAddress = MANAGEMENT_PREFIX + mgmt++;
      netns.mustRun(n.host, "ip", "addr", "add", n.managementAddress + "/24", "dev", "eth0");
    }
    log.accept(
        "network namespaces: client, "
            + String.join(", ", nodes.keySet())
            + " on one bridge (192.0.2.0/24)");

    installManifests(client);
    Fixtures fixtures = new Fixtures(client, APP_NAMESPACE);
    for (LabNode n : nodes.values()) {
      var node =
          fixtures
              .node(n.name)
              .label("kubernetes.io/hostname", n.name)
              .internalIP(n.address())
              .ready();
      if (n.front) {
        node.label("node-role", "front");
      }
      node.create();
    }
    log.accept(
        "nodes registered: "
            + String.join(", ", nodes.keySet())
            + " (front nodes labelled node-role=front)");

    List<Host> fronts = nodes.values().stream().filter(n -> n.front).map(n -> n.host).toList();
    kubeProxy =
        new KubeProxy(netns, nodes.values().stream().map(n -> n.host).toList(), this::onService);
    kubeProxy.prepareNodes();
    for (LabNode n : nodes.values()) {
      if (n.front) {
        startNginx(n.name);
      }
    }
    kubelet =
        new Kubelet(
            client,
            APP_NAMESPACE,
            nodes.values().stream()
                .map(n -> new Kubelet.NodeRef(n.name, n.address(), n.managementAddress, n.front))
                .toList(),
            Duration.ofMillis(250),
            2,
            change -> log.accept("kubelet: nginx on " + change));
    kubelet.start();
    kubeProxy.start(client);
    Awaitility.await("nginx ready on every front node")
        .atMost(Duration.ofSeconds(30))
        .until(() -> fronts.stream().allMatch(h -> kubelet.nginxReady(h.name())));

    speakerFlags = shippedFlags("speaker", "DaemonSet");
    speakerKubeconfig = tokenKubeconfig(client, Names.Components.SPEAKER, "speaker", ROOT_ADDRESS);
    for (LabNode n : nodes.values()) {
      if (n.front) {
        startSpeaker(n.name);
      }
    }
    log.accept(
        "speakers running on "
            + fronts.size()
            + " front nodes (shipped jar "
            + speakerJar.getFileName()
            + ")");
    for (int i = 0; i < options.operatorReplicas(); i++) {
      startOperator(i);
    }
    workloads =
        new Workloads(
            client,
            () -> (int) operators.stream().filter(p -> p != null && p.isAlive()).count(),
            () -> (int) nodes.values().stream().filter(n -> n.front).count(),
            () -> (int) nodes.values().stream().filter(LabNode::speakerRunning).count());
    workloads.start();
    if (options.operatorReplicas() > 0) {
      Awaitility.await("an operator replica leads")
          .atMost(Duration.ofSeconds(60))
          .until(() -> operatorLeader().isPresent());
      log.accept(
          options.operatorReplicas()
              + " operator replica(s) running; "
              + operatorLeader().orElseThrow()
              + " leads");
    }
  }

  private void onService(Service s) {
    if (kubelet != null
        && APP_NAMESPACE.equals(s.getMetadata().getNamespace())
        && s.getSpec() != null
        && s.getSpec().getSelector() != null
        && "nginx".equals(s.getSpec().getSelector().get("app"))) {
      kubelet.serveEndpointsOf(s.getMetadata().getName());
    }
  }

  // ---- what the story does to the cluster ---------------------------------------------------

  public KubernetesClient client() {
    return controlPlane.client();
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public Duration leaseDuration() {
    return options.leaseDuration();
  }

  public NetnsLab netns() {
    return netns;
  }

  public Host clientHost() {
    return clientHost;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** The admin kubeconfig (https://127.0.0.1:port), for kubectl and kubectl l2lb. */
  public Path kubeconfig() {
    return controlPlane.kubeconfig();
  }

  public LabNode node(String name) {
    LabNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no lab node " + name + "; nodes: " + nodes.keySet());
    }
    return n;
  }

  public List<LabNode> nodes() {
    return List.copyOf(nodes.values());
  }

  /** A hard node failure: SIGKILL of its speaker, its link down, no more kubelet heartbeats. */
  public void killNode(String name) {
    LabNode n = node(name);
    // the link first: from this instant nothing of the node reaches the segment
    netns.mustRun(n.host, "ip", "link", "set", "eth0", "down");
    killSpeaker(name);
    kubelet.stopNode(name);
  }

  /** The node comes back: link up, heartbeats, a new speaker. */
  public void reviveNode(String name) {
    LabNode n = node(name);
    netns.mustRun(n.host, "ip", "link", "set", "eth0", "up");
    kubelet.startNode(name);
    startSpeaker(name);
  }

  public void killSpeaker(String name) {
    LabNode n = node(name);
    LabProcess p = n.speaker;
    if (p != null) {
      ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      p.stop(Duration.ofSeconds(5));
      n.speaker = null;
    }
  }

  /** SIGTERM: the speaker deletes its Lease and stops answering (graceful). */
  public Duration stopSpeaker(String name) {
    LabNode n = node(name);
    LabProcess p = n.speaker;
    n.speaker = null;
    return p == null ? Duration.ZERO : p.stop(Duration.ofSeconds(10));
  }

  public void startSpeaker(String name) {
    LabNode n = node(name);
    if (n.speakerRunning()) {
      return;
    }
    List<String> command =
        List.of(
            "env",
            "NODE_NAME=" + n.name,
            "POD_NAMESPACE=" + Names.Components.NAMESPACE,
            "JDK_JAVA_OPTIONS=" + speakerFlags,
            javaBin(),
            "-jar",
            speakerJar().toString(),
            "--kubeconfig=" + speakerKubeconfig,
            "--lease-interval=" + options.leaseInterval().toMillis() + "ms",
            "--lease-duration=" + options.leaseDuration().toSeconds() + "s");
    n.speaker = netns.start(n.host, "speaker-" + n.name, command);
    n.speaker.awaitLine(l -> l.contains("informers synced"), Duration.ofSeconds(60));
  }

  /** nginx on the node stops: its readiness probe starts failing. */
  public void stopNginx(String name) {
    LabNode n = node(name);
    LabProcess p = n.nginx;
    n.nginx = null;
    if (p != null) {
      p.stop(Duration.ofSeconds(5));
    }
  }

  public void startNginx(String name) {
    LabNode n = node(name);
    n.nginx =
        netns.start(
            n.host, "nginx-" + n.name, java("io.l2lb.e2e.traffic.NodeHttpServer", n.name, "80"));
    n.nginx.awaitLine(l -> l.startsWith("listening"), Duration.ofSeconds(30));
  }

  public boolean nginxReady(String name) {
    return kubelet.nginxReady(name);
  }

  /**
   * Writes the client's hosts file: {@code host} resolves to every IP, like that many A records.
   */
  public Path publishDns(String host, List<String> ips) {
    StringBuilder hosts = new StringBuilder();
    for (String ip : ips) {
      hosts.append(ip).append(' ').append(host).append('\n');
    }
    try {
      return Files.writeString(stateDir.resolve("client-hosts"), hosts.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the client's steady round-robin traffic to every address {@code host} resolves to. */
  public LabProcess startTraffic(String host, double ratePerSecond, int timeoutMillis) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-Djdk.net.hosts.file=" + stateDir.resolve("client-hosts"),
                "-XX:+UseSerialGC",
                "-Xmx48m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.l2lb.e2e.traffic.TrafficClient",
                host,
                Double.toString(ratePerSecond),
                Integer.toString(timeoutMillis)));
    LabProcess p = netns.start(clientHost, "traffic", cmd);
    p.awaitLine(l -> l.startsWith("resolved "), Duration.ofSeconds(30));
    return p;
  }

  /** The kube-apiserver stopped, down for {@code down}, started again. */
  public void restartApiServer(Duration down) {
    controlPlane.restartApiServer(down);
  }

  // ---- operator -----------------------------------------------------------------------------

  public Path operatorJar() {
    return requireFile(
        options.repoRoot().resolve("operator/target/l2lb-operator.jar"),
        "./mvnw -pl operator -am package -DskipTests");
  }

  /**
   * Starts operator replica {@code i} (identity {@code l2lb-operator-<i>}) in the root namespace:
   * the shipped jar with the Deployment's JVM flags and the shipped RBAC (a token of its
   * ServiceAccount). Returns once started; which replica leads is the leader Lease's business.
   */
  public synchronized LabProcess startOperator(int i) {
    if (operatorKubeconfig == null) {
      operatorKubeconfig =
          tokenKubeconfig(
              controlPlane.client(), Names.Components.OPERATOR, "operator", "127.0.0.1");
    }
    List<String> command =
        List.of(
            "env",
            "JDK_JAVA_OPTIONS=" + shippedFlags("operator", "Deployment"),
            javaBin(),
            "-jar",
            operatorJar().toString(),
            "--kubeconfig=" + operatorKubeconfig,
            "--namespace=" + Names.Components.NAMESPACE,
            "--identity=" + operatorIdentity(i),
            "--metrics-address=127.0.0.1",
            "--metrics-port=" + ControlPlane.freePort());
    LabProcess p = netns.startInRoot("operator-" + i, command);
    while (operators.size() <= i) {
      operators.add(null);
    }
    operators.set(i, p);
    return p;
  }

  public static String operatorIdentity(int i) {
    return "l2lb-operator-" + i;
  }

  public LabProcess operator(int i) {
    return i < operators.size() ? operators.get(i) : null;
  }

  /**
   * SIGKILL of replica {@code i}: no hand-over, the standby waits for the leader Lease to expire.
   */
  public void killOperator(int i) {
    LabProcess p = operator(i);
    if (p != null) {
      ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      p.stop(Duration.ofSeconds(5));
    }
  }

  /** SIGTERM of replica {@code i}: it hands leadership over at once. */
  public void stopOperator(int i) {
    LabProcess p = operator(i);
    if (p != null) {
      p.stop(Duration.ofSeconds(10));
    }
  }

  /** The holder of the operator's leader Lease, if any. */
  public Optional<String> operatorLeader() {
    var lease =
        client()
            .leases()
            .inNamespace(Names.Components.NAMESPACE)
            .withName(Names.Components.OPERATOR_LEADER_LEASE)
            .get();
    String holder =
        lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return Optional.ofNullable(holder).filter(h -> !h.isEmpty());
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private Path speakerJar() {
    Path target = options.repoRoot().resolve("speaker/target");
    try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
      Optional<Path> jar =
          files
              .filter(f -> f.getFileName().toString().matches("l2lb-speaker.*-all\\.jar"))
              .findFirst();
      return jar.orElseThrow(
          () ->
              new IllegalStateException(
                  "the speaker jar is not built in "
                      + target
                      + ": run ./mvnw -pl speaker -am package -DskipTests"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path requireFile(Path p, String howToBuild) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is not built: run " + howToBuild);
    }
    return p;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private List<String> java(String mainClass, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-XX:+UseSerialGC",
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-Xss256k",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * CRDs (waiting until Established), then the namespace and every RBAC/ServiceAccount file in
   * manifests/.
   */
  private void installManifests(KubernetesClient client) {
    Path manifests = options.repoRoot().resolve("manifests");
    List<HasMetadata> crds = load(client, manifests.resolve("crds"));
    for (HasMetadata crd : crds) {
      client.resource(crd).serverSideApply();
    }
    for (HasMetadata crd : crds) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(StoryLab::established, 60, TimeUnit.SECONDS);
    }
    Fixtures.ensureNamespace(client, Names.Components.NAMESPACE);
    for (String component : List.of("speaker", "operator")) {
      Path dir = manifests.resolve(component);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (HasMetadata o : load(client, dir)) {
        String kind = o.getKind();
        // the workloads too: the lab runs their processes itself and reports them (Workloads)
        client.resource(o).serverSideApply();
      }
    }
    log.accept(
        "CRDs, namespace "
            + Names.Components.NAMESPACE
            + ", RBAC and workloads installed from manifests/");
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<HasMetadata> load(KubernetesClient client, Path dir) {
    List<HasMetadata> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          all.addAll(client.load(in).items());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  /** JDK_JAVA_OPTIONS of a shipped workload: the lab runs it with exactly those flags. */
  private String shippedFlags(String component, String kind) {
    Path dir = options.repoRoot().resolve("manifests").resolve(component);
    for (HasMetadata o : load(controlPlane.client(), dir)) {
      PodTemplateSpec template = null;
      if (o instanceof DaemonSet ds && kind.equals("DaemonSet")) {
        template = ds.getSpec().getTemplate();
      } else if (o instanceof Deployment d && kind.equals("Deployment")) {
        template = d.getSpec().getTemplate();
      }
      if (template != null) {
        return template.getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElse("");
      }
    }
    throw new IllegalStateException("no " + kind + " in " + dir);
  }

  /** A kubeconfig with a token of the component's ServiceAccount, for https://server:port. */
  private Path tokenKubeconfig(
      KubernetesClient client, String serviceAccount, String fileName, String server) {
    String token =
        client
            .serviceAccounts()
            .inNamespace(Names.Components.NAMESPACE)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(86400L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return ShippedRbac.kubeconfig(
        stateDir.resolve(fileName + ".kubeconfig"),
        "https://" + server + ":" + controlPlane.apiPort(),
        controlPlane.caCert().toString(),
        token);
  }

  /** Each speaker's and operator's output in {@code <state>/logs/}, kept after the lab is gone. */
  private void saveLogs() {
    List<LabProcess> all = new ArrayList<>(operators);
    for (LabNode n : nodes.values()) {
      all.add(n.speaker);
    }
    try {
      Path logs = Files.createDirectories(stateDir.resolve("logs"));
      for (LabProcess p : all) {
        if (p != null) {
          Files.write(
              logs.resolve(p.toString().replaceAll("[^A-Za-z0-9.@-]+", "_") + ".log"), p.lines());
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("lab: could not save the process logs: " + e);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("lab teardown: " + e);
    }
  }

  /** Stops every process and removes every namespace, in reverse order of creation. */
  @Override
  public synchronized void close() {
    saveLogs();
    for (LabProcess p : operators) {
      if (p != null) {
        p.stop(Duration.ofSeconds(5));
      }
    }
    if (workloads != null) {
      workloads.close();
    }
    if (kubeProxy != null) {
      kubeProxy.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (netns != null) {
      netns.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
