package io.l2lb.e2e.demo;

import io.l2lb.e2e.lab.Kubectl;
import io.l2lb.e2e.lab.LabState;
import io.l2lb.e2e.lab.StoryLab;
import io.l2lb.e2e.measure.TrafficLog;
import io.l2lb.e2e.story.Story;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./l2lb-demo}: the product story on this machine, narrated. Brings the lab up (real
 * kube-apiserver, two operator processes, a speaker and an nginx per front node, a client), drives
 * it through {@code kubectl l2lb}, shows a table of IP → node before and after every failure and a
 * small live chart of requests per second per IP, then tears everything down.
 *
 * <p>{@code --keep}: leave the lab running afterwards (this process stays, detached by the script)
 * and print how to use it; {@code ./l2lb-demo down} ends it. Exit code 0 when the story went as the
 * docs tell it, 1 when a step did not (the narration says which), 2 on a usage error.
 */
public final class Demo {
  static final double RATE = 30;
  private final PrintStream out;
  private final boolean live;
  private final boolean keep;
  private final Path repoRoot;
  private int step;
  private int problems;

  Demo(PrintStream out, boolean live, boolean keep, Path repoRoot) {
    this.out = out;
    this.live = live;
    this.keep = keep;
    this.repoRoot = repoRoot;
  }

  public static void main(String[] args) throws Exception {
    boolean keep = false;
    for (String a : args) {
      switch (a) {
        case "--keep" -> keep = true;
        case "-h", "--help" -> {
          System.out.println(
              "usage: l2lb-demo [--keep]   run the story (and leave the lab running with --keep)\n"
                  + "       l2lb-demo down       end a lab left running by --keep");
          return;
        }
        default -> {
          System.err.println("l2lb-demo: unknown argument " + a + "; see --help");
          System.exit(2);
        }
      }
    }
    Path root = Path.of(System.getProperty("l2lb.repo.root", ".")).toAbsolutePath().normalize();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    boolean live = System.console() != null && System.getenv("NO_COLOR") == null && !keep;
    int code = new Demo(out, live, keep, root).run();
    System.exit(code);
  }

  int run() throws Exception {
    out.println(
        "l2lb demo: one LoadBalancer Service, three public IPs, each announced by ARP from");
    out.println(
        "a different front node; a node fails, only its IP moves. Everything below is real:");
    out.println(
        "kube-apiserver + etcd, the operator and speaker processes, ARP on a Linux bridge.");
    out.println();
    StoryLab lab;
    step("building the lab (control plane, network namespaces, speakers, two operators)");
    long t0 = System.nanoTime();
    lab = StoryLab.start(StoryLab.Options.defaults(repoRoot), line -> out.println("      " + line));
    out.printf("      lab up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    try {
      Story story = new Story(lab, Kubectl.forLab(lab, repoRoot), line -> {});
      try {
        tell(story);
      } catch (RuntimeException e) {
        problems++;
        out.println("   !! step " + step + " did not finish: " + e.getMessage());
        out.println("      (logs: " + lab.stateDir() + ")");
      }
      if (keep) {
        keepRunning(lab);
      }
    } finally {
      if (!keep) {
        step("tearing the lab down");
        lab.close();
      }
    }
    out.println();
    out.println(
        problems == 0
            ? "The story went as the docs tell it."
            : problems + " step(s) did not go as the docs tell it (marked !! above).");
    return problems == 0 ? 0 : 1;
  }

  private void tell(Story story) {
    step("a MetalLoadBalancerClass binds the front nodes to a pool of public IPs");
    print(
        "$ kubectl l2lb create class front --pool "
            + StoryLab.POOL
            + " --node-selector node-role=front --default");
    print(story.createClass().out());

    step("a Service asks for 3 IPs");
    print("$ kubectl l2lb expose svc nginx --ips 3 --wait --dns-name " + StoryLab.APP_HOST);
    print(story.expose(3).out());
    story.awaitSpread(Duration.ofSeconds(60));
    print("$ kubectl l2lb where nginx");
    print(story.whereTable().out());

    step(
        "a client resolves "
            + StoryLab.APP_HOST
            + " (three A records) and sends "
            + (int) RATE
            + " requests/s round-robin");
    story.startTraffic(RATE);
    chart(story, 5);

    step(
        "what would a failure of front-0 do? (the operator's own engine, on the live state; writes nothing)");
    print("$ kubectl l2lb simulate failover --node front-0 nginx");
    print(story.simulateFailoverTable("front-0").out());

    step("front-0 dies: link down, speaker killed, no more kubelet heartbeats");
    Story.Failover node = story.nodeFailure("front-0");
    failover(story, node, true);

    step("front-0 comes back: the Service gets one IP per node again");
    recovery(story.recoverNode("front-0"));

    step("nginx fails on front-1 (the Service now has externalTrafficPolicy: Local)");
    story.useLocalTrafficPolicy();
    Story.Failover nginx = story.nginxFailure("front-1");
    failover(story, nginx, false);
    step("nginx on front-1 is back");
    recovery(story.recoverNginx("front-1"));

    step("kube-apiserver down for longer than a speaker Lease, then back: no IP moves");
    steady(story.restartApiServer());

    step("the operator leader is restarted, then the new leader is killed (SIGKILL)");
    steady(story.restartAndKillOperators());

    step("the speaker on front-2 is killed and restarted faster than its Lease expires");
    steady(story.restartSpeaker("front-2"));

    step("the last minute at the client");
    chart(story, 0);
  }

  private void failover(Story story, Story.Failover f, boolean simulated) {
    chart(story, 3);
    print(IpTable.render(f.before(), f.after()));
    String served = f.servedBy();
    print(
        String.format(
            "%s answered again %.2f s after the failure, served by %s; %d request(s) to it failed, %d to the other IPs",
            f.ip(), f.windowMillis() / 1000.0, served, f.failedOnIp(), f.failedElsewhere()));
    if (simulated) {
      boolean same = served.equals(f.predicted());
      print("the simulation said " + f.predicted() + (same ? ": right" : ": WRONG"));
      check(same, "the IP went where the simulation said");
    }
    check(f.failedElsewhere() == 0, "no request to another IP failed");
  }

  private void recovery(Story.Recovery r) {
    print(IpTable.render(r.before(), r.after()));
    print(r.failed() + " of " + r.requests() + " requests failed while the IP moved back");
  }

  private void steady(Story.Steady s) {
    print(
        String.format(
            "%s in %.1f s: %d of %d requests failed; IPs moved: %s",
            s.what(),
            s.tookMillis() / 1000.0,
            s.failed(),
            s.requests(),
            s.after().equals(s.before()) && s.changedAnnouncements() == 0 ? "none" : "YES"));
    check(s.failed() == 0, "no request lost");
    check(s.after().equals(s.before()) && s.changedAnnouncements() == 0, "no IP moved");
  }

  /**
   * Shows the chart for {@code seconds} more seconds (live at a terminal), or the last minute once.
   */
  private void chart(Story story, int seconds) {
    long end = System.currentTimeMillis() + seconds * 1000L;
    if (!live) {
      // no terminal to redraw on: let the seconds pass, then show them once
      while (System.currentTimeMillis() < end) {
        sleepQuietly();
      }
    }
    int lines = 0;
    do {
      TrafficLog log = story.trafficLog();
      long now = System.currentTimeMillis();
      int width = 60;
      long from = Math.max(story.trafficStart(), now - width * 1000L);
      int span = (int) Math.max(1, (now - from) / 1000);
      Map<String, int[]> perSecond = log.successesPerSecond(from, span);
      Map<String, String> labels = new TreeMap<>();
      for (String ip : story.ips()) {
        labels.put(ip, log.servedBy(ip, now).orElse("-"));
        perSecond.putIfAbsent(ip, new int[span]);
      }
      List<String> rows = TextChart.render(perSecond, RATE / story.ips().size(), labels, width);
      if (live && lines > 0) {
        out.print("\033[" + lines + "F"); // back to the chart's first line
      }
      for (String row : rows) {
        out.println("      " + row + (live ? "\033[K" : ""));
      }
      lines = rows.size();
      if (!live || System.currentTimeMillis() >= end) {
        break;
      }
      sleepQuietly();
    } while (true);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000); // the chart's refresh period, not a synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void keepRunning(StoryLab lab) throws IOException, InterruptedException {
    Path kubeconfig = lab.kubeconfig();
    Path pid = LabState.dir("demo").resolve("demo.pid");
    Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
    out.println();
    out.println("The lab keeps running. Try it:");
    out.println("  export KUBECONFIG=" + kubeconfig);
    out.println(
        "  export PATH="
            + repoRoot.resolve("cli/target/kubectl-l2lb")
            + ":"
            + lab.controlPlane().binaries()
            + ":$PATH");
    out.println("  kubectl l2lb where -A");
    out.println("  kubectl l2lb simulate failover --node front-1 -A");
    out.println(
        "  ip netns exec "
            + LabState.netnsPrefix("demo")
            + "-client arping -c 1 -I eth0 "
            + lab.nodes().get(0).address());
    out.println("End it with: ./l2lb-demo down");
    out.println("L2LB-DEMO-READY");
    new CountDownLatch(1).await(); // until SIGTERM (./l2lb-demo down): the shutdown hook tears down
  }

  private void step(String what) {
    out.println();
    out.printf("[%2d] %s%n", ++step, what);
  }

  private void print(String text) {
    for (String line : text.stripTrailing().split("\n")) {
      out.println("      " + line);
    }
  }

  private void print(List<String> lines) {
    for (String line : lines) {
      out.println("      " + line);
    }
  }

  private void check(boolean ok, String what) {
    if (!ok) {
      problems++;
      out.println("   !! " + what + ": NO");
    }
  }
}
