package io.l2lb.cli;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.l2lb.cli.out.Term;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.L2AnnouncementStatus;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.testkit.KubeApiTestBase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs {@code kubectl l2lb} in-process against the real API server (picocli with captured
 * stdout/stderr, KUBECONFIG pointing at the test cluster), plus small helpers that write what the
 * operator and the speaker would (classes, L2Announcements and their status) until testkit has
 * builders for them. Cluster-scoped objects made here are deleted after each test.
 */
public abstract class CliTestBase extends KubeApiTestBase {
  private static final AtomicInteger SEQ = new AtomicInteger();
  protected static Path kubeconfig;

  protected final List<String> classes = new ArrayList<>();
  protected final List<String> nodes = new ArrayList<>();

  /** Unique per test: use it in class and node names. */
  protected String id;

  /** One run: exit code, stdout, stderr. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeEach
  void writeKubeconfig() throws IOException {
    synchronized (CliTestBase.class) {
      if (kubeconfig == null) {
        kubeconfig = Files.createTempFile("l2lb-cli-it", ".kubeconfig");
        Files.writeString(kubeconfig, cluster.kubeconfigYaml());
      }
    }
    id = "t" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 46656, 36);
  }

  /**
   * What a test made that would outlive it and change the next test's world: its classes and nodes,
   * and the Services and L2Announcements of its namespace (a namespace is never finalized on an API
   * server without controllers; an orphaned Service keeps its IPs taken, and every Service counts
   * against the oldest default class).
   */
  @AfterEach
  void deleteWhatOutlivesTheTest() {
    client.resources(L2Announcement.class).inNamespace(namespace).delete();
    client.services().inNamespace(namespace).delete();
    for (String c : classes) {
      client.resources(MetalLoadBalancerClass.class).withName(c).delete();
    }
    for (String n : nodes) {
      fixtures.deleteNode(n);
    }
  }

  protected Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", System.getProperty("java.io.tmpdir"));
    return env;
  }

  protected Result run(String... args) {
    return runWith(env(), "", args);
  }

  protected Result runWith(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            env,
            Term.none());
    return new Result(code, out.toString(), err.toString());
  }

  /** A run in the background whose stdout can be read while it runs. */
  public record Running(CompletableFuture<Result> result, StringWriter out, StringWriter err) {
    public String outSoFar() {
      synchronized (out) {
        return out.toString();
      }
    }

    public String errSoFar() {
      synchronized (err) {
        return err.toString();
      }
    }
  }

  protected Running runAsync(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Result> f =
        CompletableFuture.supplyAsync(
            () -> {
              int code =
                  Main.execute(
                      args,
                      new PrintWriter(out, true),
                      new PrintWriter(err, true),
                      new ByteArrayInputStream(new byte[0]),
                      env(),
                      Term.none());
              return new Result(code, out.toString(), err.toString());
            });
    return new Running(f, out, err);
  }

  /** A class the test owns (deleted after it). */
  protected MetalLoadBalancerClass createClass(
      String name, List<String> pool, Map<String, String> selector, boolean isDefault) {
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setAddressPool(new ArrayList<>(pool));
    spec.setNodeSelector(new LinkedHashMap<>(selector));
    spec.setIsDefault(isDefault);
    c.setSpec(spec);
    classes.add(name);
    return client.resources(MetalLoadBalancerClass.class).resource(c).create();
  }

  /** A node the test owns, labelled, Ready. */
  protected void createNode(String name, Map<String, String> labels) {
    nodes.add(name);
    fixtures.node(name).labels(labels).internalIP("192.0.2.1").ready().create();
  }

  /** What the operator writes per IP (spec), and optionally what the speaker writes (status). */
  protected L2Announcement announce(
      String ns,
      String service,
      String ip,
      String node,
      String className,
      Boolean announcing,
      String message) {
    L2Announcement a = new L2Announcement();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Names.Labels.ANNOUNCEMENT_SERVICE, service);
    labels.put(Names.Labels.ANNOUNCEMENT_CLASS, className);
    if (node != null) {
      labels.put(Names.Labels.ANNOUNCEMENT_NODE, node);
    }
    a.setMetadata(
        new ObjectMetaBuilder()
            .withName(service + "-" + ip.replace('.', '-').replace(':', '-'))
            .withNamespace(ns)
            .withLabels(labels)
            .build());
    L2AnnouncementSpec spec = new L2AnnouncementSpec();
    spec.setIp(ip);
    spec.setNodeName(node);
    spec.setClassName(className);
    spec.setServiceRef(new L2AnnouncementSpec.ServiceRef(service, "uid-" + service));
    a.setSpec(spec);
    L2Announcement created =
        client.resources(L2Announcement.class).inNamespace(ns).resource(a).create();
    if (announcing != null) {
      L2AnnouncementStatus st = new L2AnnouncementStatus();
      st.setAnnouncing(announcing);
      st.setMessage(message);
      if (announcing || message != null) {
        st.setMac("02:00:00:00:00:01");
        st.setIface("eth0");
        st.setSince("2026-01-01T00:00:00Z");
      }
      created.setStatus(st);
      created =
          client.resources(L2Announcement.class).inNamespace(ns).resource(created).updateStatus();
    }
    return created;
  }

  static void writeFile(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
