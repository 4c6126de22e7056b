package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.AnnouncementObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small DSL that plays kubelet and controller-manager for a cluster that has neither: Nodes with
 * labels and Ready / NetworkUnavailable conditions (written through the status subresource), Pods
 * with readiness, Services, EndpointSlices with ready/unready endpoints per node, and
 * coordination.k8s.io Leases. And the project's own resources, as a user, the operator or a speaker
 * writes them: MetalLoadBalancerClasses and L2Announcements.
 *
 * <pre>{@code
 * fixtures.node("front-0").label("node-role", "front").internalIP("192.0.2.10").ready().create();
 * fixtures.pod("nginx-0").onNode("front-0").label("app", "nginx").ip("10.244.0.10").ready().create();
 * fixtures.service("web").selector("app", "nginx").port(80).create();
 * fixtures.syncEndpointSlice("web");                 // endpoints from the pods, like the controller
 * fixtures.lease("l2lb-speaker-front-0").holder("front-0").durationSeconds(10).renewedNow().apply();
 * fixtures.nodeReady("front-0", false);
 *
 * fixtures.mlbc("front").pool("192.0.2.100-192.0.2.150").nodeSelector("node-role", "front").create();
 * fixtures.announcement("web-192-0-2-100")
 *     .ip("192.0.2.100").node("front-0").service("web", "uid-web").className("front").create();
 * fixtures.readAnnouncement("web-192-0-2-100").status().announcing();
 * }</pre>
 *
 * Namespaced objects go to {@link #namespace()}; {@link #in(String)} switches namespace. Without a
 * kubelet, a Pod bound to a node is only really deleted with grace period 0: use {@link
 * #deletePod}. Without controller-manager, deleted namespaces stay Terminating forever: use fresh
 * namespaces; and no garbage collector deletes what an owner reference points at.
 */
public final class Fixtures {

  /** Value of {@code endpointslice.kubernetes.io/managed-by} on slices written by the fixtures. */
  public static final String MANAGED_BY = "testkit.l2lb.io";

  private static final AtomicInteger NAMESPACE_SEQ = new AtomicInteger();

  private final KubernetesClient client;
  private final String namespace;

  public Fixtures(KubernetesClient client, String namespace) {
    this.client = Objects.requireNonNull(client);
    this.namespace = Objects.requireNonNull(namespace);
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** The same fixtures for another namespace (created if missing). */
  public Fixtures in(String otherNamespace) {
    ensureNamespace(client, otherNamespace);
    return new Fixtures(client, otherNamespace);
  }

  // ---- nodes (cluster-scoped) ---------------------------------------------------------------

  public NodeFixture node(String name) {
    return new NodeFixture(client, name);
  }

  public Node getNode(String name) {
    return client.nodes().withName(name).get();
  }

  /**
   * Sets the Ready condition of an existing node, as its kubelet (or the node lifecycle controller)
   * would.
   */
  public Node nodeReady(String name, boolean ready) {
    return node(name).ready(ready).update();
  }

  public Node networkUnavailable(String name, boolean unavailable) {
    return node(name).networkUnavailable(unavailable).update();
  }

  public void deleteNode(String name) {
    client.nodes().withName(name).withGracePeriod(0).delete();
  }

  /** The status ("True", "False", "Unknown") of a node condition, empty if absent. */
  public static Optional<String> condition(Node node, String type) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst();
  }

  // ---- pods ---------------------------------------------------------------------------------

  public PodFixture pod(String name) {
    return new PodFixture(client, namespace, name);
  }

  public Pod podReady(String name, boolean ready) {
    return pod(name).ready(ready).update();
  }

  /**
   * Deletes a pod immediately (grace period 0): there is no kubelet to finish a graceful deletion.
   */
  public void deletePod(String name) {
    client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
  }

  public static boolean isReady(Pod pod) {
    return pod != null
        && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(PodCondition::getStatus)
            .anyMatch("True"::equals);
  }

  // ---- services and endpoint slices ---------------------------------------------------------

  public ServiceFixture service(String name) {
    return new ServiceFixture(client, namespace, name);
  }

  public Service getService(String name) {
    return client.services().inNamespace(namespace).withName(name).get();
  }

  /** An EndpointSlice (named {@code <service>-testkit} unless renamed) for {@code service}. */
  public EndpointSliceFixture endpointSlice(String service) {
    return new EndpointSliceFixture(client, namespace, service);
  }

  /**
   * Plays the EndpointSlice controller for one Service: writes a slice with one endpoint per pod
   * that matches the Service selector and has an IP; ready = the pod's Ready condition.
   */
  public EndpointSlice syncEndpointSlice(String service) {
    return endpointSlice(service).fromPods().apply();
  }

  // ---- leases -------------------------------------------------------------------------------

  public LeaseFixture lease(String name) {
    return new LeaseFixture(client, namespace, name);
  }

  /** Renews an existing lease now (keeps holder and duration). */
  public Lease renewLease(String name) {
    return lease(name).renewedNow().update();
  }

  public Lease getLease(String name) {
    return client.leases().inNamespace(namespace).withName(name).get();
  }

  // ---- l2lb resources -----------------------------------------------------------------------

  /**
   * A MetalLoadBalancerClass (cluster-scoped: shared by every test of the JVM, so use a unique name
   * or {@link #deleteMlbc} it).
   */
  public MetalLoadBalancerClassFixture mlbc(String name) {
    return new MetalLoadBalancerClassFixture(client, name);
  }

  /** The class, or null. */
  public MetalLoadBalancerClass getMlbc(String name) {
    return client.resources(MetalLoadBalancerClass.class).withName(name).get();
  }

  public void deleteMlbc(String name) {
    client.resources(MetalLoadBalancerClass.class).withName(name).delete();
  }

  /** An L2Announcement in {@link #namespace()}. */
  public L2AnnouncementFixture announcement(String name) {
    return new L2AnnouncementFixture(client, namespace, name);
  }

  /** The object, or null. */
  public L2Announcement getAnnouncement(String name) {
    return client.resources(L2Announcement.class).inNamespace(namespace).withName(name).get();
  }

  /** The object through core's one conversion ({@link AnnouncementObject#from}), or null. */
  public AnnouncementObject readAnnouncement(String name) {
    L2Announcement a = getAnnouncement(name);
    return a == null ? null : AnnouncementObject.from(a);
  }

  public void deleteAnnouncement(String name) {
    client.resources(L2Announcement.class).inNamespace(namespace).withName(name).delete();
  }

  // ---- namespaces ---------------------------------------------------------------------------

  /**
   * Creates a fresh namespace named {@code <prefix>-<n>} (DNS-1123 sanitised) and returns its name.
   */
  public static String createUniqueNamespace(KubernetesClient client, String prefix) {
    String name = uniqueNamespaceName(prefix);
    ensureNamespace(client, name);
    return name;
  }

  /** {@code <prefix>-<n>-<random>}, lower-cased and cut to a valid DNS-1123 label (max 63). */
  static String uniqueNamespaceName(String prefix) {
    String base =
        prefix
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("(^-+)|(-+$)", "");
    if (base.isEmpty()) {
      base = "t";
    }
    String suffix =
        "-" + NAMESPACE_SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 46656, 36);
    if (base.length() + suffix.length() > 63) {
      base = base.substring(0, 63 - suffix.length()).replaceAll("-+$", "");
    }
    return base + suffix;
  }

  public static Namespace ensureNamespace(KubernetesClient client, String name) {
    Namespace existing = client.namespaces().withName(name).get();
    if (existing != null) {
      return existing;
    }
    return client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app.kubernetes.io/created-by", MANAGED_BY)
                .endMetadata()
                .build())
        .create();
  }

  /** RFC 3339 with seconds, the format of Kubernetes Time fields. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
