package io.l2lb.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConversionTest {

  @Test
  void classFromResource() {
    MetalLoadBalancerClass resource = new MetalLoadBalancerClass();
    resource.setMetadata(new ObjectMetaBuilder().withName("front").build());
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setIsDefault(true);
    spec.setAddressPool(List.of("192.0.2.100-192.0.2.150"));
    spec.setNodeSelector(Map.of("node-role", "front"));
    MetalLoadBalancerClassSpec.L2Settings l2 = new MetalLoadBalancerClassSpec.L2Settings();
    l2.setInterfaces(List.of("eth0"));
    spec.setL2(l2);
    resource.setSpec(spec);

    assertThat(ClassInfo.from(resource))
        .isEqualTo(
            new ClassInfo(
                "front",
                true,
                "L2",
                List.of("192.0.2.100-192.0.2.150"),
                Map.of("node-role", "front"),
                List.of("eth0")));
  }

  @Test
  void classWithoutSpecGetsDefaults() {
    MetalLoadBalancerClass resource = new MetalLoadBalancerClass();
    resource.setMetadata(new ObjectMetaBuilder().withName("bare").build());
    assertThat(ClassInfo.from(resource))
        .isEqualTo(new ClassInfo("bare", false, "L2", List.of(), Map.of(), List.of()));
  }

  @Test
  void announcementFromResource() {
    L2Announcement resource = new L2Announcement();
    resource.setMetadata(
        new ObjectMetaBuilder().withName("app-192-0-2-100").withNamespace("shop").build());
    L2AnnouncementSpec spec = new L2AnnouncementSpec();
    spec.setIp("192.0.2.100");
    spec.setNodeName("");
    spec.setServiceRef(new L2AnnouncementSpec.ServiceRef("app", "uid-1"));
    spec.setClassName("front");
    resource.setSpec(spec);

    assertThat(AnnouncementInfo.from(resource))
        .isEqualTo(
            new AnnouncementInfo("192.0.2.100", null, new ServiceKey("shop", "app"), "front"));
    spec.setServiceRef(null);
    assertThat(AnnouncementInfo.from(resource)).isNull();
  }
}
