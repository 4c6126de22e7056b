package io.l2lb.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.testkit.Fixtures;
import io.l2lb.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs operators in-process against the test API server, plays the speakers' Lease renewals, and
 * builds classes (until testkit has builders for them). Cluster-scoped objects it creates are
 * deleted by {@link #close()}.
 */
final class OperatorHarness implements AutoCloseable {

  final TestCluster cluster;
  final KubernetesClient client;
  final String namespace;
  final Fixtures fixtures;
  private final List<L2lbOperator> operators = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<String> classes = new ArrayList<>();
  private final List<String> nodes = new ArrayList<>();
  private final Set<String> renewing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService speakers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-speakers");
            t.setDaemon(true);
            return t;
          });

  OperatorHarness(TestCluster cluster, String namespace) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.namespace = namespace;
    this.fixtures = cluster.fixtures(namespace);
    speakers.scheduleWithFixedDelay(this::renewAll, 1, 1, TimeUnit.SECONDS);
  }

  /** Settings of an operator in this test's namespace (its own Namespace object and Leases). */
  OperatorConfig config(String identity) {
    return config(identity, Map.of());
  }

  /** The same, with more settings (environment variables) on top. */
  OperatorConfig config(String identity, Map<String, String> more) {
    Map<String, String> env = new HashMap<>();
    env.put("POD_NAMESPACE", namespace);
    env.put("POD_NAME", identity);
    env.put("L2LB_METRICS_PORT", "0");
    env.put("L2LB_METRICS_ADDRESS", "127.0.0.1");
    env.put("L2LB_LEASE_DURATION", "4s");
    env.put("L2LB_RENEW_DEADLINE", "3s");
    env.put("L2LB_RETRY_PERIOD", "1s");
    env.putAll(more);
    return OperatorConfig.parse(List.of(), env);
  }

  L2lbOperator start(String identity) {
    return start(config(identity), cluster.kubeconfigYaml());
  }

  L2lbOperator start(OperatorConfig config, String kubeconfigYaml) {
    KubernetesClient c = OperatorMain.client(Config.fromKubeconfig(kubeconfigYaml));
    clients.add(c);
    try {
      L2lbOperator o = L2lbOperator.start(config, c);
      operators.add(o);
      return o;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  L2lbOperator startLeader(String identity) {
    return startLeader(identity, Map.of());
  }

  L2lbOperator startLeader(String identity, Map<String, String> settings) {
    L2lbOperator o = start(config(identity, settings), cluster.kubeconfigYaml());
    await("operator " + identity + " leads").atMost(Duration.ofSeconds(30)).until(o::leading);
    return o;
  }

  // ---- nodes and their speakers --------------------------------------------------------------

  /** A Ready node with a live speaker (its Lease is renewed every second, 3 s duration). */
  void node(String name, Map<String, String> labels) {
    fixtures.node(name).labels(labels).internalIP("192.0.2.1").ready().create();
    nodes.add(name);
    speakerUp(name);
  }

  void speakerUp(String node) {
    fixtures
        .lease(Names.speakerLeaseName(node))
        .holder(node)
        .durationSeconds(3)
        .renewedNow()
        .apply();
    renewing.add(node);
  }

  /** The speaker stops renewing (a crash): the Lease stays and runs out. */
  void speakerCrash(String node) {
    renewing.remove(node);
  }

  /** The speaker stops on SIGTERM: it deletes its Lease. */
  void speakerStop(String node) {
    renewing.remove(node);
    client.leases().inNamespace(namespace).withName(Names.speakerLeaseName(node)).delete();
  }

  private void renewAll() {
    for (String n : renewing) {
      try {
        fixtures.renewLease(Names.speakerLeaseName(n));
      } catch (RuntimeException e) {
        // the next round tries again
      }
    }
  }

  // ---- classes ------------------------------------------------------------------------------

  MetalLoadBalancerClass createClass(
      String name, boolean isDefault, Map<String, String> selector, String... pool) {
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.getMetadata().setName(name);
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setIsDefault(isDefault);
    spec.setAddressPool(List.of(pool));
    spec.setNodeSelector(selector);
    c.setSpec(spec);
    classes.add(name);
    return client.resource(c).create();
  }

  MetalLoadBalancerClass getClass(String name) {
    return client.resources(MetalLoadBalancerClass.class).withName(name).get();
  }

  void deleteClass(String name) {
    client.resources(MetalLoadBalancerClass.class).withName(name).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> getClass(name) == null);
  }

  // ---- reading what the operator wrote ------------------------------------------------------

  List<L2Announcement> announcements() {
    return client.resources(L2Announcement.class).inNamespace(namespace).list().getItems();
  }

  List<L2Announcement> announcementsOf(String service) {
    return announcements().stream()
        .filter(a -> service.equals(a.getSpec().getServiceRef().getName()))
        .toList();
  }

  /** ip -> node of a Service's announcements. */
  Map<String, String> placement(String service) {
    Map<String, String> out = new TreeMap<>();
    for (L2Announcement a : announcementsOf(service)) {
      out.put(a.getSpec().getIp(), a.getSpec().getNodeName());
    }
    return out;
  }

  /** name -> resourceVersion of every announcement in the namespace. */
  Map<String, String> announcementVersions() {
    Map<String, String> out = new TreeMap<>();
    for (L2Announcement a : announcements()) {
      out.put(a.getMetadata().getName(), a.getMetadata().getResourceVersion());
    }
    return out;
  }

  Service service(String name) {
    return client.services().inNamespace(namespace).withName(name).get();
  }

  List<String> ingress(String service) {
    Service s = service(service);
    if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
  }

  io.fabric8.kubernetes.api.model.Condition condition(String service, String type) {
    Service s = service(service);
    if (s == null || s.getStatus() == null || s.getStatus().getConditions() == null) {
      return null;
    }
    return s.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  List<io.fabric8.kubernetes.api.model.Event> events(String involvedName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<io.fabric8.kubernetes.api.model.Event> events(String involvedName, String reason) {
    return events(involvedName).stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  Lease lease(String name) {
    return client.leases().inNamespace(namespace).withName(name).get();
  }

  @Override
  public void close() {
    speakers.shutdownNow();
    // leave nothing behind for the next test's operator (no garbage collector here)
    client.services().inNamespace(namespace).delete();
    client.resources(L2Announcement.class).inNamespace(namespace).delete();
    for (L2lbOperator o : operators) {
      o.close();
    }
    for (KubernetesClient c : clients) {
      c.close();
    }
    for (String c : classes) {
      client.resources(MetalLoadBalancerClass.class).withName(c).delete();
    }
    for (String n : nodes) {
      client.nodes().withName(n).delete();
    }
  }
}
