package io.l2lb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fixture DSL against a real kube-apiserver: what it writes is what a controller would read.
 */
class FixturesIT extends KubeApiTestBase {

  private final String node0 = "fx-front-0-" + System.nanoTime() % 100000;
  private final String node1 = "fx-front-1-" + System.nanoTime() % 100000;

  @AfterEach
  void deleteNodes() {
    fixtures.deleteNode(node0);
    fixtures.deleteNode(node1);
  }

  @Test
  void serverIsTheRealKubernetesVersionBuiltByTheInstallScript() {
    assertThat(cluster.version()).matches("v1\\.\\d+\\.\\d+");
    if (cluster.binaryDir() != null) {
      // directory name is <major.minor.patch>-<os>-<arch>; the server must report that very version
      String dirVersion = cluster.binaryDir().getFileName().toString().replaceFirst("-.*", "");
      assertThat(cluster.version()).isEqualTo("v" + dirVersion);
    }
  }

  @Test
  void nodeConditionsGoThroughTheStatusSubresource() {
    Node created =
        fixtures.node(node0).label("node-role", "front").internalIP("192.0.2.10").ready().create();
    assertThat(created.getMetadata().getLabels()).containsEntry("node-role", "front");

    Node read = client.nodes().withName(node0).get();
    assertThat(Fixtures.condition(read, "Ready")).contains("True");
    assertThat(Fixtures.condition(read, "NetworkUnavailable")).isEmpty();
    assertThat(read.getStatus().getAddresses())
        .extracting(NodeAddress::getType, NodeAddress::getAddress)
        .contains(org.assertj.core.groups.Tuple.tuple("InternalIP", "192.0.2.10"));
    String readyTransition = readyCondition(read).getLastTransitionTime();

    fixtures.nodeReady(node0, false);
    fixtures.networkUnavailable(node0, true);
    read = client.nodes().withName(node0).get();
    assertThat(Fixtures.condition(read, "Ready")).contains("False");
    assertThat(readyCondition(read).getReason()).isEqualTo("KubeletNotReady");
    assertThat(Fixtures.condition(read, "NetworkUnavailable")).contains("True");
    assertThat(read.getMetadata().getLabels())
        .as("status updates keep labels")
        .containsEntry("node-role", "front");
    assertThat(ZonedDateTime.parse(readyCondition(read).getLastTransitionTime()))
        .isAfterOrEqualTo(ZonedDateTime.parse(readyTransition));

    fixtures
        .node(node0)
        .readyUnknown()
        .withoutLabel("node-role")
        .excludedFromExternalLoadBalancers()
        .update();
    read = client.nodes().withName(node0).get();
    assertThat(Fixtures.condition(read, "Ready")).contains("Unknown");
    assertThat(read.getMetadata().getLabels())
        .doesNotContainKey("node-role")
        .containsEntry(NodeFixture.EXCLUDE_FROM_LB, "");

    // labels selected like a class nodeSelector would select them
    fixtures.node(node1).label("node-role", "front").ready().apply();
    assertThat(client.nodes().withLabel("node-role", "front").list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .contains(node1)
        .doesNotContain(node0);
  }

  @Test
  void endpointSliceReadinessPerNodeFollowsThePods() {
    fixtures.node(node0).ready().create();
    fixtures.node(node1).ready().create();
    fixtures.pod("nginx-0").onNode(node0).label("app", "nginx").ip("10.244.0.10").ready().create();
    fixtures
        .pod("nginx-1")
        .onNode(node1)
        .label("app", "nginx")
        .ip("10.244.1.10")
        .notReady()
        .create();
    fixtures.pod("other").onNode(node1).label("app", "other").ip("10.244.1.11").ready().create();
    Service svc =
        fixtures
            .service("web")
            .selector("app", "nginx")
            .port(80)
            .externalTrafficPolicyLocal()
            .create();
    assertThat(svc.getSpec().getClusterIP())
        .as("the API server allocated a cluster IP")
        .isNotBlank();
    assertThat(svc.getSpec().getHealthCheckNodePort()).isNotNull();

    Pod pod0 = client.pods().inNamespace(namespace).withName("nginx-0").get();
    assertThat(pod0.getStatus().getPhase()).isEqualTo("Running");
    assertThat(Fixtures.isReady(pod0)).isTrue();
    assertThat(Fixtures.isReady(client.pods().inNamespace(namespace).withName("nginx-1").get()))
        .isFalse();

    fixtures.syncEndpointSlice("web");
    assertThat(readyByNode("web")).isEqualTo(Map.of(node0, true, node1, false));

    // nginx on node0 fails, nginx on node1 recovers
    fixtures.podReady("nginx-0", false);
    fixtures.podReady("nginx-1", true);
    EndpointSlice slice = fixtures.syncEndpointSlice("web");
    assertThat(slice.getMetadata().getLabels())
        .containsEntry(EndpointSliceFixture.SERVICE_NAME_LABEL, "web");
    assertThat(slice.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid()));
    assertThat(slice.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
    assertThat(readyByNode("web")).isEqualTo(Map.of(node0, false, node1, true));

    // explicit endpoints, IPv6
    fixtures
        .endpointSlice("web")
        .name("web-v6")
        .readyEndpoint("2001:db8::10", node0)
        .unreadyEndpoint("2001:db8::11", node1)
        .port("p80", 80)
        .apply();
    EndpointSlice v6 =
        client.discovery().v1().endpointSlices().inNamespace(namespace).withName("web-v6").get();
    assertThat(v6.getAddressType()).isEqualTo("IPv6");
    assertThat(
            client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withLabel(EndpointSliceFixture.SERVICE_NAME_LABEL, "web")
                .list()
                .getItems())
        .hasSize(2);

    fixtures.deletePod("nginx-0");
    assertThat(client.pods().inNamespace(namespace).withName("nginx-0").get())
        .as("deleted at once")
        .isNull();
  }

  @Test
  void leasesCarryHolderRenewTimeAndDuration() {
    Instant before = Instant.now().minusSeconds(1);
    Lease lease =
        fixtures
            .lease("l2lb-speaker-" + node0)
            .holder(node0)
            .durationSeconds(10)
            .renewedNow()
            .create();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(node0);

    Lease read = fixtures.getLease("l2lb-speaker-" + node0);
    assertThat(read.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
    assertThat(read.getSpec().getRenewTime().toInstant()).isAfter(before);
    assertThat(read.getSpec().getRenewTime().toInstant()).isBefore(Instant.now().plusSeconds(1));

    fixtures.lease("l2lb-speaker-" + node0).renewedAgo(Duration.ofMinutes(5)).update();
    read = fixtures.getLease("l2lb-speaker-" + node0);
    assertThat(read.getSpec().getRenewTime().toInstant())
        .as("stale lease")
        .isBefore(Instant.now().minus(Duration.ofMinutes(4)));

    fixtures.renewLease("l2lb-speaker-" + node0);
    read = fixtures.getLease("l2lb-speaker-" + node0);
    assertThat(read.getSpec().getRenewTime().toInstant()).isAfter(before);
    assertThat(read.getSpec().getHolderIdentity()).isEqualTo(node0);

    fixtures.lease("l2lb-speaker-" + node0).holder(node1).renewedNow().update();
    read = fixtures.getLease("l2lb-speaker-" + node0);
    assertThat(read.getSpec().getHolderIdentity()).isEqualTo(node1);
    assertThat(read.getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  private static io.fabric8.kubernetes.api.model.NodeCondition readyCondition(Node n) {
    return n.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private Map<String, Boolean> readyByNode(String service) {
    List<EndpointSlice> slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel(EndpointSliceFixture.SERVICE_NAME_LABEL, service)
            .list()
            .getItems();
    return slices.stream()
        .flatMap(s -> s.getEndpoints().stream())
        .collect(
            Collectors.toMap(
                Endpoint::getNodeName, e -> Boolean.TRUE.equals(e.getConditions().getReady())));
  }
}
