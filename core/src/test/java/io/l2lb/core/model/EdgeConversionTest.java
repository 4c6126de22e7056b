package io.l2lb.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.L2AnnouncementStatus;
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

  static L2Announcement fullAnnouncement() {
    L2Announcement resource = new L2Announcement();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName("app-192-0-2-100")
            .withNamespace("shop")
            .withUid("uid-a")
            .withResourceVersion("42")
            .build());
    L2AnnouncementSpec spec = new L2AnnouncementSpec();
    spec.setIp("192.0.2.100");
    spec.setNodeName("front-0");
    spec.setServiceRef(new L2AnnouncementSpec.ServiceRef("app", "uid-svc"));
    spec.setClassName("front");
    spec.setInterfaces(List.of("eth0", "bond0"));
    resource.setSpec(spec);
    L2AnnouncementStatus status = new L2AnnouncementStatus();
    status.setMac("02:00:00:00:00:01");
    status.setIface("eth0");
    status.setSince("2026-01-01T00:00:00Z");
    status.setAnnouncing(true);
    resource.setStatus(status);
    return resource;
  }

  @Test
  void announcementObjectCarriesIdentitySpecAndStatus() {
    AnnouncementObject a = AnnouncementObject.from(fullAnnouncement());

    assertThat(a)
        .isEqualTo(
            new AnnouncementObject(
                "shop",
                "app-192-0-2-100",
                "uid-a",
                "42",
                "192.0.2.100",
                "front-0",
                "app",
                "uid-svc",
                "front",
                List.of("eth0", "bond0"),
                AnnouncementObject.Status.announcing(
                    "02:00:00:00:00:01", "eth0", "2026-01-01T00:00:00Z")));
    assertThat(a.key()).isEqualTo("shop/app-192-0-2-100");
    assertThat(a.info())
        .as("the engine's record is a projection of the same conversion")
        .isEqualTo(AnnouncementInfo.from(fullAnnouncement()))
        .isEqualTo(
            new AnnouncementInfo(
                "192.0.2.100",
                "front-0",
                new ServiceKey("shop", "app"),
                "front",
                List.of("eth0", "bond0")));
  }

  @Test
  void halfWrittenAnnouncementsConvertWithoutThrowing() {
    L2Announcement bare = new L2Announcement();
    bare.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("shop").build());
    bare.setSpec(null);

    AnnouncementObject a = AnnouncementObject.from(bare);

    assertThat(a.ip()).isNull();
    assertThat(a.nodeName()).isNull();
    assertThat(a.interfaces()).isEmpty();
    assertThat(a.status()).isEqualTo(AnnouncementObject.Status.EMPTY);
    assertThat(a.info()).as("nothing to place").isNull();

    L2Announcement noNode = fullAnnouncement();
    noNode.getSpec().setNodeName("");
    noNode.getSpec().setInterfaces(null);
    assertThat(AnnouncementObject.from(noNode).nodeName()).as("empty is no node").isNull();
    assertThat(AnnouncementObject.from(noNode).interfaces()).isEmpty();
  }

  @Test
  void statusConvertsBothWays() {
    AnnouncementObject.Status fenced =
        new AnnouncementObject.Status(
            "02:00:00:00:00:01", "eth0", "2026-01-01T00:00:00Z", false, "fenced: ...");
    assertThat(AnnouncementObject.Status.from(fenced.toResource())).isEqualTo(fenced);
    assertThat(AnnouncementObject.Status.notAnnouncing("why").toResource().getMac()).isNull();
    assertThat(AnnouncementObject.Status.from(null)).isEqualTo(AnnouncementObject.Status.EMPTY);
  }
}
