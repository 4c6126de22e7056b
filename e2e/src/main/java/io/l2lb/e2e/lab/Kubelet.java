package io.l2lb.e2e.lab;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.testkit.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kubelet and the EndpointSlice controller for the lab's nodes: a Ready heartbeat per live
 * node, one "nginx" Pod per front node whose readiness comes from a real HTTP probe of that node's
 * server (period and failure threshold as a tight readiness probe would have them), and the
 * EndpointSlices of the Services selecting those Pods, rewritten when a readiness flips.
 */
final class Kubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  /** A node this kubelet runs: its name and the address its nginx is probed on. */
  /**
   * A node this kubelet runs: its name, its address (the Pod IP of its hostNetwork nginx) and the
   * address the lab's root namespace probes it on.
   */
  record NodeRef(String name, String address, String probeAddress, boolean runsNginx) {}

  private final KubernetesClient client;
  private final Fixtures fixtures;
  private final List<NodeRef> nodes;
  private final Duration probePeriod;
  private final int failureThreshold;
  private final Consumer<String> onReadinessChange;
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "lab-kubelet");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> stoppedNodes = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private final Set<String> services = ConcurrentHashMap.newKeySet();

  Kubelet(
      KubernetesClient client,
      String namespace,
      List<NodeRef> nodes,
      Duration probePeriod,
      int failureThreshold,
      Consumer<String> onReadinessChange) {
    this.client = client;
    this.fixtures = new Fixtures(client, namespace);
    this.nodes = List.copyOf(nodes);
    this.probePeriod = probePeriod;
    this.failureThreshold = failureThreshold;
    this.onReadinessChange = onReadinessChange;
  }

  static String podName(String node) {
    return "nginx-" + node;
  }

  /** Creates the nginx Pods (not ready until their first probe passes) and starts the loops. */
  void start() {
    for (NodeRef n : nodes) {
      if (n.runsNginx()) {
        fixtures
            .pod(podName(n.name()))
            .onNode(n.name())
            .label("app", "nginx")
            .ip(n.address())
            .hostIP(n.address())
            .containerPort(80)
            .notReady()
            .create();
        ready.put(n.name(), false);
      }
    }
    timer.scheduleWithFixedDelay(this::heartbeat, 0, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::probeAll, 0, probePeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Keeps the EndpointSlice of this Service (selecting the nginx Pods) in step with readiness. */
  void serveEndpointsOf(String service) {
    services.add(service);
    syncSlices();
  }

  /** The node's kubelet stops: no more heartbeats, no more probe results for its Pod. */
  void stopNode(String node) {
    stoppedNodes.add(node);
  }

  void startNode(String node) {
    stoppedNodes.remove(node);
    heartbeatOf(node);
  }

  boolean nginxReady(String node) {
    return ready.getOrDefault(node, false);
  }

  private void heartbeat() {
    for (NodeRef n : nodes) {
      if (!stoppedNodes.contains(n.name())) {
        heartbeatOf(n.name());
      }
    }
  }

  private void heartbeatOf(String node) {
    try {
      fixtures.nodeReady(node, true);
    } catch (RuntimeException e) {
      LOG.debug("heartbeat of {} failed (API server restarting?): {}", node, e.toString());
    }
  }

  private void probeAll() {
    boolean changed = false;
    for (NodeRef n : nodes) {
      if (!n.runsNginx() || stoppedNodes.contains(n.name())) {
        continue;
      }
      boolean ok = probe(n.probeAddress());
      int f = ok ? 0 : failures.merge(n.name(), 1, Integer::sum);
      if (ok) {
        failures.put(n.name(), 0);
      }
      boolean was = ready.getOrDefault(n.name(), false);
      boolean now = ok || (was && f < failureThreshold);
      if (now != was) {
        try {
          fixtures.podReady(podName(n.name()), now);
          ready.put(n.name(), now);
          changed = true;
          onReadinessChange.accept(n.name() + (now ? " ready" : " unready"));
        } catch (RuntimeException e) {
          LOG.debug(
              "pod status of {} not written (retried next probe): {}", n.name(), e.toString());
        }
      }
    }
    if (changed) {
      syncSlices();
    }
  }

  private void syncSlices() {
    for (String s : services) {
      try {
        fixtures.syncEndpointSlice(s);
      } catch (RuntimeException e) {
        LOG.debug("EndpointSlice of {} not written (retried): {}", s, e.toString());
      }
    }
  }

  /** An HTTP GET of / with a 300 ms budget, as a readiness probe with timeoutSeconds would. */
  static boolean probe(String address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, 80), 300);
      s.setSoTimeout(300);
      s.getOutputStream()
          .write(
              ("GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.")
          && new String(head, StandardCharsets.US_ASCII).endsWith("200");
    } catch (IOException e) {
      return false;
    }
  }

  Pod pod(String node) {
    return client.pods().inNamespace(fixtures.namespace()).withName(podName(node)).get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
