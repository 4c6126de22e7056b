package io.l2lb.e2e.story;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.e2e.lab.Kubectl;
import io.l2lb.e2e.lab.StoryLab;
import io.l2lb.e2e.measure.TrafficLog;
import io.l2lb.testkit.lab.LabProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The product story, step by step, driven through {@code kubectl l2lb} on a {@link StoryLab}: each
 * step does what a user (or a failure) does and returns what happened, measured at the client.
 * {@code StoryE2E} asserts on the results; the demo narrates them.
 */
public final class Story {
  public static final String SERVICE = "nginx";
  public static final String CLASS = "front";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern A_RECORD =
      Pattern.compile("^\\S+\\s+\\d+\\s+IN\\s+A{1,4}\\s+(\\S+)$");

  /** Where one IP is: node ("" when unplaced) and the speaker-confirmed state. */
  public record Where(String ip, String node, String state) {}

  /**
   * One failure and its recovery, seen from the client.
   *
   * @param ip the IP that had to move
   * @param from the node it was on
   * @param predicted where {@code simulate failover} said it would go (null: not asked)
   * @param to where it went ({@code where} after the move)
   * @param servedBy the node that answered the first successful request after the failure
   * @param windowMillis failure instant to the start of the first request on {@code ip} that
   *     another node served
   * @param failedOnIp requests to {@code ip} that failed in the window
   * @param failedElsewhere requests to any other IP that failed from the failure until a second
   *     after the recovery (must be none)
   */
  public record Failover(
      String ip,
      String from,
      String predicted,
      String to,
      String servedBy,
      long windowMillis,
      int failedOnIp,
      int failedElsewhere,
      Map<String, String> before,
      Map<String, String> after) {}

  /**
   * A disturbance that must not move any IP or lose any request.
   *
   * @param tookMillis how long the disturbance lasted (e.g. API server down and up again)
   * @param changedAnnouncements L2Announcements re-created, moved or given another IP
   */
  public record Steady(
      String what,
      long tookMillis,
      int requests,
      int failed,
      Map<String, String> before,
      Map<String, String> after,
      int changedAnnouncements) {}

  private final StoryLab lab;
  private final Kubectl kubectl;
  private final Consumer<String> say;
  private LabProcess traffic;
  private long trafficStart;
  private List<String> ips = List.of();

  public Story(StoryLab lab, Kubectl kubectl, Consumer<String> say) {
    this.lab = lab;
    this.kubectl = kubectl;
    this.say = say;
  }

  public List<String> ips() {
    return ips;
  }

  public long trafficStart() {
    return trafficStart;
  }

  public TrafficLog trafficLog() {
    return TrafficLog.parse(traffic == null ? List.of() : traffic.lines());
  }

  // ---- 1. a class binds the front nodes to a pool ------------------------------------------

  public Kubectl.Result createClass() {
    say.accept(
        "$ kubectl l2lb create class "
            + CLASS
            + " --pool "
            + StoryLab.POOL
            + " --node-selector node-role=front --default");
    return kubectl
        .l2lb(
            "create",
            "class",
            CLASS,
            "--pool",
            StoryLab.POOL,
            "--node-selector",
            "node-role=front",
            "--default")
        .orThrow();
  }

  // ---- 2. a Service asks for three IPs ------------------------------------------------------

  /** Creates the nginx Service (ClusterIP, as an app would have it) and exposes it with N IPs. */
  public Kubectl.Result expose(int count) {
    kubectl.run("create", "service", "clusterip", SERVICE, "--tcp=80:80").orThrow();
    say.accept(
        "$ kubectl l2lb expose svc "
            + SERVICE
            + " --ips "
            + count
            + " --wait --dns-name "
            + StoryLab.APP_HOST);
    Kubectl.Result r =
        kubectl
            .l2lb(
                "expose",
                "svc",
                SERVICE,
                "--ips",
                Integer.toString(count),
                "--wait=90s",
                "--dns-name",
                StoryLab.APP_HOST)
            .orThrow();
    List<String> found = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      Matcher m = A_RECORD.matcher(line.trim());
      if (m.matches()) {
        found.add(m.group(1));
      }
    }
    ips = List.copyOf(found);
    lab.publishDns(StoryLab.APP_HOST, ips);
    return r;
  }

  /** {@code kubectl l2lb where nginx -o json}, as ip → node and state. */
  public Map<String, Where> where() {
    Kubectl.Result r = kubectl.l2lb("where", SERVICE, "-o", "json").orThrow();
    Map<String, Where> out = new TreeMap<>();
    for (JsonNode item : parse(r.out()).path("items")) {
      String ip = item.path("ip").asText();
      out.put(ip, new Where(ip, item.path("node").asText(""), item.path("state").asText("")));
    }
    return out;
  }

  public Kubectl.Result whereTable() {
    return kubectl.l2lb("where", SERVICE).orThrow();
  }

  /** ip → node, only announced IPs count as placed. */
  public Map<String, String> placement() {
    Map<String, String> out = new TreeMap<>();
    for (Where w : where().values()) {
      out.put(w.ip(), w.state().equals("announced") ? w.node() : "-");
    }
    return out;
  }

  /** Waits until every IP of the Service is announced by a distinct node, returns the placement. */
  public Map<String, String> awaitSpread(Duration timeout) {
    Map<String, String>[] last = new Map[1];
    Awaitility.await("every IP of " + SERVICE + " announced from a node of its own")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              last[0] = placement();
              return last[0].size() == ips.size()
                  && !last[0].containsValue("-")
                  && last[0].values().stream().distinct().count() == ips.size();
            });
    return last[0];
  }

  // ---- 3. traffic ---------------------------------------------------------------------------

  public void startTraffic(double ratePerSecond) {
    traffic = lab.startTraffic(StoryLab.APP_HOST, ratePerSecond, 300);
    trafficStart = System.currentTimeMillis();
    Awaitility.await("every IP answers the client")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ips.stream()
                    .allMatch(ip -> trafficLog().firstSuccess(ip, trafficStart).isPresent()));
  }

  public String resolvedLine() {
    return traffic.lines().stream().filter(l -> l.startsWith("resolved ")).findFirst().orElse("");
  }

  // ---- 4. simulation ------------------------------------------------------------------------

  /**
   * {@code simulate failover --node N nginx -o json}: ip → predicted node, for the IPs that move.
   */
  public Map<String, String> simulateFailover(String node) {
    Kubectl.Result r =
        kubectl.l2lb("simulate", "failover", "--node", node, SERVICE, "-o", "json").orThrow();
    Map<String, String> moves = new TreeMap<>();
    for (JsonNode item : parse(r.out()).path("ips")) {
      if (item.path("moved").asBoolean()) {
        moves.put(item.path("ip").asText(), item.path("after").asText(""));
      }
    }
    return moves;
  }

  public Kubectl.Result simulateFailoverTable(String node) {
    return kubectl.l2lb("simulate", "failover", "--node", node, SERVICE).orThrow();
  }

  // ---- 5. failures --------------------------------------------------------------------------

  /**
   * The whole node dies (speaker SIGKILLed, link down, no heartbeats); measured until its IP
   * answers again.
   */
  public Failover nodeFailure(String node) {
    Map<String, String> predicted = simulateFailover(node);
    return failover(node, predicted, () -> lab.killNode(node));
  }

  /** nginx stops on the node while the Service has externalTrafficPolicy: Local. */
  public Failover nginxFailure(String node) {
    return failover(node, Map.of(), () -> lab.stopNginx(node));
  }

  public void useLocalTrafficPolicy() {
    kubectl
        .run(
            "patch",
            "service",
            SERVICE,
            "--type=merge",
            "-p",
            "{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}")
        .orThrow();
  }

  private Failover failover(String node, Map<String, String> predicted, Runnable failure) {
    Map<String, String> before = awaitSpread(Duration.ofSeconds(60));
    String ip =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals(node))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        node + " announces no IP of " + SERVICE + ": " + before));
    long t0 = System.currentTimeMillis();
    failure.run();
    TrafficLog.Request first =
        Awaitility.await(ip + " answers again after " + node + " failed")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> trafficLog().firstSuccessNotBy(ip, t0, node), Optional::isPresent)
            .orElseThrow();
    Map<String, String> after =
        Awaitility.await("where shows " + ip + " announced by another node")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(300))
            .until(
                this::placement,
                p -> !p.getOrDefault(ip, "-").equals("-") && !p.get(ip).equals(node));
    long settle = first.startMillis() + 1000;
    Awaitility.await("the client's log reaches a second past the recovery")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !trafficLog().between(settle, Long.MAX_VALUE).isEmpty());
    TrafficLog log = trafficLog();
    int onIp =
        (int) log.failures(t0, first.startMillis()).stream().filter(r -> r.ip().equals(ip)).count();
    int elsewhere = (int) log.failures(t0, settle).stream().filter(r -> !r.ip().equals(ip)).count();
    return new Failover(
        ip,
        node,
        predicted.get(ip),
        after.get(ip),
        first.detail(),
        first.startMillis() - t0,
        onIp,
        elsewhere,
        before,
        after);
  }

  /**
   * A node's recovery: the Service's IPs spread over its nodes again.
   *
   * @param failed requests (to any IP) that failed from the recovery until a second after the
   *     spread was restored
   */
  public record Recovery(
      Map<String, String> before, Map<String, String> after, int requests, int failed) {}

  /** The failed node comes back; its IP share returns so every node holds one IP again. */
  public Recovery recoverNode(String node) {
    return recovery(() -> lab.reviveNode(node));
  }

  public Recovery recoverNginx(String node) {
    return recovery(() -> lab.startNginx(node));
  }

  private Recovery recovery(Runnable action) {
    Map<String, String> before = placement();
    long t0 = System.currentTimeMillis();
    action.run();
    Map<String, String> after = awaitSpread(Duration.ofSeconds(60));
    long t1 = System.currentTimeMillis() + 1000;
    Awaitility.await("a second of traffic after the recovery")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !trafficLog().between(t1, Long.MAX_VALUE).isEmpty());
    List<TrafficLog.Request> window = trafficLog().between(t0, t1);
    return new Recovery(
        before, after, window.size(), (int) window.stream().filter(r -> !r.ok()).count());
  }

  // ---- 6. disturbances that must change nothing --------------------------------------------

  /**
   * The kube-apiserver down for two seconds longer than the speakers' Lease, then back: no speaker
   * can renew, and still no node may be failed over.
   */
  public Steady restartApiServer() {
    Duration down = lab.leaseDuration().plusSeconds(2);
    return steady(
        "kube-apiserver down for "
            + down.toSeconds()
            + " s (speaker Lease "
            + lab.leaseDuration().toSeconds()
            + " s) and back",
        () -> lab.restartApiServer(down));
  }

  /** SIGTERM of the leading operator, started again; then SIGKILL of the new leader. */
  public Steady restartAndKillOperators() {
    return steady(
        "operator leader restarted, then the new leader killed",
        () -> {
          int leader = leaderIndex();
          lab.stopOperator(leader);
          Awaitility.await("the standby takes over")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      lab.operatorLeader()
                          .filter(h -> !h.equals(StoryLab.operatorIdentity(leader)))
                          .isPresent());
          lab.startOperator(leader);
          int next = leaderIndex();
          lab.killOperator(next);
          Awaitility.await("the restarted replica takes over after the leader Lease expires")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      lab.operatorLeader()
                          .filter(h -> h.equals(StoryLab.operatorIdentity(leader)))
                          .isPresent());
          lab.startOperator(next);
        });
  }

  /** SIGKILL of a speaker and a new one at once: back before its Lease expires. */
  public Steady restartSpeaker(String node) {
    return steady(
        "speaker on " + node + " restarted within its Lease",
        () -> {
          lab.killSpeaker(node);
          lab.startSpeaker(node);
        });
  }

  private int leaderIndex() {
    String holder =
        lab.operatorLeader().orElseThrow(() -> new IllegalStateException("no operator leads"));
    return Integer.parseInt(holder.substring(holder.lastIndexOf('-') + 1));
  }

  private Steady steady(String what, Runnable disturbance) {
    Map<String, String> before = awaitSpread(Duration.ofSeconds(60));
    Map<String, String> versions = announcementVersions();
    long t0 = System.currentTimeMillis();
    disturbance.run();
    long t1 = System.currentTimeMillis();
    // two more seconds: what a disturbance breaks often shows only after it
    Awaitility.await("two seconds of traffic after: " + what)
        .atMost(Duration.ofSeconds(20))
        .until(() -> !trafficLog().between(t1 + 2000, Long.MAX_VALUE).isEmpty());
    Map<String, String> after = awaitSpread(Duration.ofSeconds(30));
    Map<String, String> versionsAfter = announcementVersions();
    int changed = 0;
    for (Map.Entry<String, String> e : versions.entrySet()) {
      if (!e.getValue().equals(versionsAfter.get(e.getKey()))) {
        changed++;
      }
    }
    TrafficLog log = trafficLog();
    List<TrafficLog.Request> window = log.between(t0, t1 + 2000);
    return new Steady(
        what,
        t1 - t0,
        window.size(),
        (int) window.stream().filter(r -> !r.ok()).count(),
        before,
        after,
        changed);
  }

  /**
   * name → uid, node and IP of the Service's L2Announcements: what a move, a re-creation or a
   * re-allocation would change (the speakers' status writes do not count).
   */
  private Map<String, String> announcementVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    for (L2Announcement a :
        lab.client()
            .resources(L2Announcement.class)
            .inNamespace(StoryLab.APP_NAMESPACE)
            .list()
            .getItems()) {
      out.put(
          name(a),
          a.getMetadata().getUid() + " " + a.getSpec().getNodeName() + " " + a.getSpec().getIp());
    }
    return out;
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }
}
