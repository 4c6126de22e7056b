package io.l2lb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.e2e.lab.StoryLab;
import io.l2lb.testkit.RepoRoot;
import io.l2lb.testkit.lab.LabProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab's own plumbing, without the operator: a speaker announces an IP placed by hand, the lab's
 * kube-proxy binds it, and the client reaches the node's HTTP server through it.
 */
class LabPlumbingE2E {
  static StoryLab lab;

  @BeforeAll
  static void start() {
    lab =
        StoryLab.start(
            StoryLab.Options.defaults(RepoRoot.get()).named("plumb").operators(0),
            System.out::println);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void clientReachesTheNodeThatAnnouncesTheIp() {
    KubernetesClient client = lab.client();
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.getMetadata().setName("front");
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setAddressPool(List.of(StoryLab.POOL));
    spec.setNodeSelector(Map.of("node-role", "front"));
    c.setSpec(spec);
    client.resource(c).create();

    Service svc =
        client
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("nginx")
                    .withNamespace(StoryLab.APP_NAMESPACE)
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
    svc.getStatus()
        .getLoadBalancer()
        .setIngress(List.of(new LoadBalancerIngressBuilder().withIp("192.0.2.100").build()));
    client.resource(svc).updateStatus();

    L2Announcement a = new L2Announcement();
    a.getMetadata().setName("nginx-192-0-2-100");
    a.getMetadata().setNamespace(StoryLab.APP_NAMESPACE);
    a.getMetadata()
        .setLabels(
            Map.of(
                Names.Labels.ANNOUNCEMENT_NODE, "front-1",
                Names.Labels.ANNOUNCEMENT_SERVICE, "nginx",
                Names.Labels.ANNOUNCEMENT_CLASS, "front"));
    L2AnnouncementSpec as = new L2AnnouncementSpec();
    as.setIp("192.0.2.100");
    as.setNodeName("front-1");
    as.setClassName("front");
    as.setServiceRef(new L2AnnouncementSpec.ServiceRef("nginx", svc.getMetadata().getUid()));
    a.setSpec(as);
    client.resource(a).create();

    lab.publishDns(StoryLab.APP_HOST, List.of("192.0.2.100"));
    try (LabProcess traffic = lab.startTraffic(StoryLab.APP_HOST, 20, 300)) {
      Awaitility.await("a request to 192.0.2.100 served by front-1")
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> traffic.lines().stream().anyMatch(l -> l.contains(" 192.0.2.100 ok front-1 ")));
    }
    assertThat(lab.netns().run(lab.clientHost(), "ip", "neigh", "show", "192.0.2.100").output())
        .contains(lab.node("front-1").mac());
  }
}
