package io.l2lb.e2e.bench;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.e2e.lab.Kubectl;
import io.l2lb.e2e.lab.StoryLab;
import io.l2lb.e2e.measure.ArpCapture;
import io.l2lb.e2e.measure.TrafficLog;
import io.l2lb.e2e.story.Story;
import io.l2lb.testkit.lab.LabProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * Failover times on the lab, measured at the client (a lab benchmark that prints a table, not a
 * test). For each kind of failure, N trials: the failure, then the moved IP's first successful
 * request from another node, then the node restored and the spread awaited before the next trial.
 * Each trial's time is split into detection (failure → what the operator reacts to: Lease expiry,
 * Lease deletion, EndpointSlice unready), operator (→ the moved L2Announcement seen by a watch),
 * speaker (→ the new node's first gratuitous ARP on the client's wire) and client (→ first
 * success). tcpdump on the client's link over every trial counts the intervals in which two MACs
 * answered for one IP, judged against the moves the operator wrote.
 *
 * <p>Usage: {@code FailoverBenchmark [TRIALS] [LEASE_INTERVAL LEASE_DURATION]}, e.g. {@code 20} or
 * {@code 20 250ms 1s}. Prints Markdown.
 */
public final class FailoverBenchmark {
  static final double RATE = 30;

  /**
   * How much earlier than this process's watch a speaker may see a move (both watch the same write;
   * under load either can be first by hundreds of milliseconds).
   */
  static final long WATCH_LAG_MICROS = 500_000;

  enum Kind {
    HARD_KILL("hard node kill (SIGKILL speaker, link down)"),
    GRACEFUL("speaker SIGTERM (graceful)"),
    NGINX("nginx failure (Local policy)");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  record Trial(
      Kind kind,
      String ip,
      long failedAt,
      long detectedAt,
      long writtenAt,
      String newMac,
      long firstSuccessAt,
      int lost,
      long garpAt) {
    long total() {
      return firstSuccessAt - failedAt;
    }

    Trial withGarp(ArpCapture capture) {
      long at =
          capture
              .firstClaimBy(ip, newMac, failedAt * 1000)
              .map(c -> c.micros() / 1000)
              .orElse(firstSuccessAt);
      return new Trial(kind, ip, failedAt, detectedAt, writtenAt, newMac, firstSuccessAt, lost, at);
    }
  }

  private final StoryLab lab;
  private final Story story;
  private final List<ArpCapture.Move> moves = new CopyOnWriteArrayList<>();
  private final Map<String, Long> announcementSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> leaseRenewSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> leaseDeletedSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> unreadySeen = new ConcurrentHashMap<>();
  private final List<Watch> watches = new ArrayList<>();

  FailoverBenchmark(StoryLab lab, Story story) {
    this.lab = lab;
    this.story = story;
  }

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Duration interval = args.length > 2 ? parse(args[1]) : Duration.ofSeconds(1);
    Duration duration = args.length > 2 ? parse(args[2]) : Duration.ofSeconds(3);
    Path root = Path.of(System.getProperty("l2lb.repo.root", ".")).toAbsolutePath().normalize();
    StoryLab.Options options =
        StoryLab.Options.defaults(root).named("bench").leases(interval, duration);
    long load0 = System.nanoTime();
    String loadBefore = loadAverage();
    try (StoryLab lab = StoryLab.start(options, line -> System.err.println("lab: " + line))) {
      Story story = new Story(lab, Kubectl.forLab(lab, root), line -> {});
      FailoverBenchmark bench = new FailoverBenchmark(lab, story);
      bench.run(trials, interval, duration, loadBefore, load0);
    }
    System.exit(0);
  }

  void run(int trials, Duration interval, Duration duration, String loadBefore, long t0) {
    story.createClass();
    List<Long> creation = creationToFirstSuccess(5);
    story.expose(3);
    story.awaitSpread(Duration.ofSeconds(60));
    story.useLocalTrafficPolicy();
    watch();
    LabProcess capture =
        lab.netns()
            .start(
                lab.clientHost(),
                "tcpdump",
                List.of("tcpdump", "-i", "eth0", "-n", "-e", "-l", "-tt", "arp"));
    capture.awaitLine(l -> l.contains("listening on"), Duration.ofSeconds(20));
    story.startTraffic(RATE);
    List<Trial> all = new ArrayList<>();
    String[] fronts = {"front-0", "front-1", "front-2"};
    for (Kind kind : Kind.values()) {
      for (int i = 0; i < trials; i++) {
        String node = fronts[i % fronts.length];
        Trial t = trial(kind, node);
        all.add(t);
        System.err.printf("%s #%d on %s: %d ms%n", kind, i + 1, node, t.total());
      }
    }
    ArpCapture arp = ArpCapture.parse(capture.lines());
    saveEvidence(capture.lines(), all);
    List<Trial> measured = all.stream().map(t -> t.withGarp(arp)).toList();
    report(
        measured,
        creation,
        arp.dualAnswers(moves, WATCH_LAG_MICROS),
        trials,
        interval,
        duration,
        loadBefore,
        t0);
  }

  private Trial trial(Kind kind, String node) {
    Map<String, String> before = story.awaitSpread(Duration.ofSeconds(90));
    String ip =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals(node))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    String ann = announcementName(ip);
    announcementSeen.remove(ann);
    unreadySeen.remove(node);
    leaseDeletedSeen.remove(node);
    long failedAt = System.currentTimeMillis();
    switch (kind) {
      case HARD_KILL -> lab.killNode(node);
      case GRACEFUL -> lab.stopSpeaker(node);
      case NGINX -> lab.stopNginx(node);
    }
    TrafficLog.Request first =
        Awaitility.await(ip + " answers again")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> story.trafficLog().firstSuccessNotBy(ip, failedAt, node), Optional::isPresent)
            .orElseThrow();
    long writtenAt =
        Awaitility.await("the move of " + ip + " seen by the watch")
            .atMost(Duration.ofSeconds(10))
            .until(() -> announcementSeen.get(ann), v -> v != null);
    String newNode = first.detail();
    String newMac = lab.node(newNode).mac();
    long detectedAt =
        switch (kind) {
          case HARD_KILL ->
              leaseRenewSeen.getOrDefault(node, failedAt) + lab.leaseDuration().toMillis();
          case GRACEFUL -> leaseDeletedSeen.getOrDefault(node, writtenAt);
          case NGINX -> unreadySeen.getOrDefault(node, writtenAt);
        };
    int lost =
        (int)
            story.trafficLog().failures(failedAt, first.startMillis()).stream()
                .filter(r -> r.ip().equals(ip))
                .count();
    Trial t =
        new Trial(kind, ip, failedAt, detectedAt, writtenAt, newMac, first.startMillis(), lost, 0);
    switch (kind) {
      case HARD_KILL -> lab.reviveNode(node);
      case GRACEFUL -> lab.startSpeaker(node);
      case NGINX -> lab.startNginx(node);
    }
    return t;
  }

  /** The raw capture, the moves and the trials, for whoever has to explain a figure. */
  private void saveEvidence(List<String> tcpdump, List<Trial> trials) {
    Path dir = lab.stateDir();
    try {
      java.nio.file.Files.write(dir.resolve("bench-arp.txt"), tcpdump);
      java.nio.file.Files.write(
          dir.resolve("bench-moves.txt"),
          moves.stream().map(m -> m.micros() + " " + m.ip() + " " + m.mac()).toList());
      java.nio.file.Files.write(
          dir.resolve("bench-trials.txt"), trials.stream().map(Trial::toString).toList());
      java.nio.file.Files.write(
          dir.resolve("bench-traffic.txt"),
          story.trafficLog().requests().stream().map(Object::toString).toList());
      System.err.println("evidence in " + dir + "/bench-*.txt");
    } catch (java.io.IOException e) {
      System.err.println("could not save the evidence: " + e);
    }
  }

  private String announcementName(String ip) {
    for (L2Announcement a :
        lab.client()
            .resources(L2Announcement.class)
            .inNamespace(StoryLab.APP_NAMESPACE)
            .list()
            .getItems()) {
      if (ip.equals(a.getSpec().getIp())) {
        return a.getMetadata().getName();
      }
    }
    throw new IllegalStateException("no L2Announcement for " + ip);
  }

  private void watch() {
    watches.add(
        lab.client()
            .resources(L2Announcement.class)
            .inNamespace(StoryLab.APP_NAMESPACE)
            .watch(
                on(
                    a -> {
                      // a move is written when the node label names the new node too: until then
                      // (the first step of a move off a live node) only the old node's speaker
                      // sees the object, and it is releasing the IP
                      String node = a.getSpec().getNodeName();
                      String label =
                          a.getMetadata().getLabels() == null
                              ? null
                              : a.getMetadata().getLabels().get(Names.Labels.ANNOUNCEMENT_NODE);
                      if (node != null && !node.isEmpty() && node.equals(label)) {
                        long now = System.currentTimeMillis();
                        String prev = lastNode.put(a.getMetadata().getName(), node);
                        if (prev != null && !prev.equals(node)) {
                          announcementSeen.put(a.getMetadata().getName(), now);
                          moves.add(
                              new ArpCapture.Move(
                                  a.getSpec().getIp(), now * 1000, lab.node(node).mac()));
                        }
                      }
                    },
                    a -> {})));
    watches.add(
        lab.client()
            .leases()
            .inNamespace(Names.Components.NAMESPACE)
            .watch(
                on(
                    (Lease l) -> {
                      String name = l.getMetadata().getName();
                      if (name.startsWith("l2lb-speaker-")) {
                        leaseRenewSeen.put(
                            name.substring("l2lb-speaker-".length()), System.currentTimeMillis());
                      }
                    },
                    (Lease l) -> {
                      String name = l.getMetadata().getName();
                      if (name.startsWith("l2lb-speaker-")) {
                        leaseDeletedSeen.put(
                            name.substring("l2lb-speaker-".length()), System.currentTimeMillis());
                      }
                    })));
    watches.add(
        lab.client()
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(StoryLab.APP_NAMESPACE)
            .watch(
                on(
                    (EndpointSlice s) -> {
                      if (s.getEndpoints() == null) {
                        return;
                      }
                      long now = System.currentTimeMillis();
                      s.getEndpoints().stream()
                          .filter(
                              e ->
                                  e.getConditions() != null
                                      && Boolean.FALSE.equals(e.getConditions().getReady()))
                          .forEach(e -> unreadySeen.putIfAbsent(e.getNodeName(), now));
                    },
                    s -> {})));
  }

  private final Map<String, String> lastNode = new ConcurrentHashMap<>();

  private static <T> Watcher<T> on(
      java.util.function.Consumer<T> change, java.util.function.Consumer<T> deleted) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.DELETED) {
          deleted.accept(resource);
        } else {
          change.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  /**
   * A Service with one explicit IP is created; a probe from the client measures until it answers.
   */
  private List<Long> creationToFirstSuccess(int times) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      String ip = "192.0.2." + (140 + i);
      String name = "probe-" + i;
      lab.publishDns("probe.example.com", List.of(ip));
      try (LabProcess probe = lab.startTraffic("probe.example.com", 100, 100)) {
        long created = System.currentTimeMillis();
        lab.client()
            .services()
            .inNamespace(StoryLab.APP_NAMESPACE)
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .addToAnnotations(Names.Annotations.LOAD_BALANCER_IPS, ip)
                    .endMetadata()
                    .withNewSpec()
                    .withType("LoadBalancer")
                    .addToSelector("app", "nginx")
                    .addNewPort()
                    .withPort(80)
                    .endPort()
                    .endSpec()
                    .build())
            .create();
        TrafficLog.Request first =
            Awaitility.await(ip + " answers")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(
                    () -> TrafficLog.parse(probe.lines()).firstSuccess(ip, created),
                    Optional::isPresent)
                .orElseThrow();
        out.add(first.endMillis() - created);
      }
      lab.client().services().inNamespace(StoryLab.APP_NAMESPACE).withName(name).delete();
    }
    return out;
  }

  private void report(
      List<Trial> all,
      List<Long> creation,
      List<ArpCapture.DualAnswer> dual,
      int trials,
      Duration interval,
      Duration duration,
      String loadBefore,
      long t0) {
    System.out.printf(
        "%nFailover benchmark, %s, Lease renew %d ms / expire %d s, %d trials per kind, %d req/s round-robin over 3 IPs; load %s -> %s; %.0f s%n%n",
        Instant.now(),
        interval.toMillis(),
        duration.toSeconds(),
        trials,
        (int) RATE,
        loadBefore,
        loadAverage(),
        (System.nanoTime() - t0) / 1e9);
    System.out.println(
        "| failure | failure → first success at the client, p50 / p95 / max (ms) | detection p50 | after detection p50 / max | operator p50 | speaker (→ gratuitous ARP) p50 | client (→ success) p50 | requests lost per trial p50 / max |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Kind kind : Kind.values()) {
      List<Trial> ts = all.stream().filter(t -> t.kind() == kind).toList();
      System.out.printf(
          "| %s | %d / %d / %d | %d | %d / %d | %d | %d | %d | %d / %d |%n",
          kind.label,
          pct(ts, Trial::total, 50),
          pct(ts, Trial::total, 95),
          pct(ts, Trial::total, 100),
          pct(ts, t -> Math.max(0, t.detectedAt() - t.failedAt()), 50),
          pct(ts, t -> t.firstSuccessAt() - Math.max(t.failedAt(), t.detectedAt()), 50),
          pct(ts, t -> t.firstSuccessAt() - Math.max(t.failedAt(), t.detectedAt()), 100),
          pct(ts, t -> Math.max(0, t.writtenAt() - Math.max(t.failedAt(), t.detectedAt())), 50),
          pct(ts, t -> t.garpAt() - t.writtenAt(), 50),
          pct(ts, t -> t.firstSuccessAt() - t.garpAt(), 50),
          pct(ts, t -> (long) t.lost(), 50),
          pct(ts, t -> (long) t.lost(), 100));
    }
    List<Long> sorted = new ArrayList<>(creation);
    Collections.sort(sorted);
    System.out.printf(
        "%ncreation → first successful request (ms, %d runs): %s%n", sorted.size(), sorted);
    System.out.printf(
        "intervals in which two MACs answered for one IP, over %d moves: %d%n",
        moves.size(), dual.size());
    for (ArpCapture.DualAnswer d : dual) {
      System.out.printf(
          "  %s: %s after %s took it over, %.3f ms later%n",
          d.ip(), d.oldMac(), d.newMac(), (d.toMicros() - d.fromMicros()) / 1000.0);
    }
  }

  static long pct(List<Trial> ts, Function<Trial, Long> f, int p) {
    List<Long> v = new ArrayList<>(ts.stream().map(f).toList());
    if (v.isEmpty()) {
      return -1;
    }
    Collections.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * v.size());
    return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  static Duration parse(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    if (text.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(text));
  }
}
