package io.l2lb.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeObjectsTest {

  static Node node(String ready, String networkUnavailable) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName("front-0")
            .addToLabels("node-role", "front")
            .endMetadata();
    var status = b.withNewStatus();
    if (ready != null) {
      status.addNewCondition().withType("Ready").withStatus(ready).endCondition();
    }
    if (networkUnavailable != null) {
      status
          .addNewCondition()
          .withType("NetworkUnavailable")
          .withStatus(networkUnavailable)
          .endCondition();
    }
    return status.endStatus().build();
  }

  static Stream<Arguments> nodeConditions() {
    return Stream.of(
        Arguments.of("True", null, true, false),
        Arguments.of("False", null, false, false),
        Arguments.of("Unknown", null, false, false),
        Arguments.of(null, null, false, false),
        Arguments.of("True", "True", true, true),
        Arguments.of("True", "False", true, false));
  }

  @ParameterizedTest
  @MethodSource("nodeConditions")
  void nodeHealthFromConditions(
      String ready, String networkUnavailable, boolean isReady, boolean isNetworkUnavailable) {
    NodeInfo info = KubeObjects.node(node(ready, networkUnavailable), true);
    assertThat(info)
        .isEqualTo(
            new NodeInfo(
                "front-0", Map.of("node-role", "front"), isReady, true, isNetworkUnavailable));
  }

  @Test
  void speakerLivenessIsTheCallersVerdict() {
    assertThat(KubeObjects.node(node("True", null), false).speakerAlive()).isFalse();
  }

  @Test
  void serviceFromObject() {
    Service s =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("web")
            .withName("app")
            .withUid("u-1")
            .addToAnnotations("network.deckhouse.io/l2-load-balancer-external-ips-count", "3")
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .withLoadBalancerClass("front")
            .withExternalTrafficPolicy("Local")
            .addNewPort()
            .withPort(80)
            .endPort()
            .addNewPort()
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .endSpec()
            .withNewStatus()
            .withNewLoadBalancer()
            .addNewIngress()
            .withIp("192.0.2.100")
            .endIngress()
            .addNewIngress()
            .withHostname("lb.example.com")
            .endIngress()
            .endLoadBalancer()
            .endStatus()
            .build();
    assertThat(KubeObjects.isLoadBalancer(s)).isTrue();
    assertThat(KubeObjects.service(s, Set.of("front-1")))
        .isEqualTo(
            new ServiceInfo(
                new ServiceKey("web", "app"),
                "u-1",
                "front",
                Map.of("network.deckhouse.io/l2-load-balancer-external-ips-count", "3"),
                true,
                Set.of("front-1"),
                List.of("TCP/80", "UDP/53"),
                List.of("192.0.2.100")));
  }

  @Test
  void clusterIpServiceIsNotALoadBalancer() {
    Service s = new ServiceBuilder().withNewSpec().withType("ClusterIP").endSpec().build();
    assertThat(KubeObjects.isLoadBalancer(s)).isFalse();
    assertThat(KubeObjects.isLoadBalancer(new Service())).isFalse();
  }

  @Test
  void readyEndpointNodesAcrossSlices() {
    EndpointSlice a =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("web")
            .withName("app-abc")
            .addToLabels(KubeObjects.SERVICE_NAME_LABEL, "app")
            .endMetadata()
            .addNewEndpoint()
            .withNodeName("front-0")
            .withNewConditions()
            .withReady(true)
            .endConditions()
            .endEndpoint()
            .addNewEndpoint()
            .withNodeName("front-1")
            .withNewConditions()
            .withReady(false)
            .endConditions()
            .endEndpoint()
            .addNewEndpoint()
            .withAddresses("10.0.0.9")
            .endEndpoint()
            .build();
    EndpointSlice b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("web")
            .withName("app-def")
            .endMetadata()
            .addNewEndpoint()
            .withNodeName("front-2")
            .endEndpoint()
            .build();
    assertThat(KubeObjects.readyEndpointNodes(List.of(a, b))).containsExactly("front-0", "front-2");
    assertThat(KubeObjects.serviceOf(a)).isEqualTo(new ServiceKey("web", "app"));
    assertThat(KubeObjects.serviceOf(b)).isNull();
  }
}
