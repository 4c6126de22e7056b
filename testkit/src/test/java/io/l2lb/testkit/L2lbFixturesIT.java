package io.l2lb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassStatus;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.ClassInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fixtures for l2lb's own resources against a real kube-apiserver with the repository's CRDs:
 * what they write passes the CRD schema and CEL rules, reads back through core's conversions as
 * set, and is found by the label selectors the speaker and the CLI use.
 */
class L2lbFixturesIT extends KubeApiTestBase {

  private final String cls = "fx-class-" + System.nanoTime() % 100000;

  @AfterEach
  void deleteClass() {
    fixtures.deleteMlbc(cls);
  }

  @Test
  void aClassIsWrittenAsSetAndUpdatedFieldByField() {
    fixtures
        .mlbc(cls)
        .pool("192.0.2.100-192.0.2.150", "2001:db8::/120")
        .nodeSelector("node-role", "front")
        .interfaces("eth0", "bond0")
        .isDefault()
        .create();

    ClassInfo read = ClassInfo.from(fixtures.getMlbc(cls));
    assertThat(read.created()).as("creationTimestamp, converted once").isNotNull();
    assertThat(read.createdAt(null))
        .isEqualTo(
            new ClassInfo(
                cls,
                true,
                "L2",
                List.of("192.0.2.100-192.0.2.150", "2001:db8::/120"),
                Map.of("node-role", "front"),
                List.of("eth0", "bond0")));

    // shrink the pool; the selector, interfaces and isDefault stay
    fixtures.mlbc(cls).pool("192.0.2.100-192.0.2.120").update();
    ClassInfo shrunk = ClassInfo.from(fixtures.getMlbc(cls));
    assertThat(shrunk.addressPool()).containsExactly("192.0.2.100-192.0.2.120");
    assertThat(shrunk.nodeSelector()).isEqualTo(Map.of("node-role", "front"));
    assertThat(shrunk.isDefault()).isTrue();

    // the operator's part goes through the status subresource and leaves the spec alone
    MetalLoadBalancerClassStatus status = new MetalLoadBalancerClassStatus();
    status.setObservedGeneration(2L);
    MetalLoadBalancerClass withStatus = fixtures.mlbc(cls).status(status).update();
    assertThat(withStatus.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(withStatus.getSpec().getAddressPool()).containsExactly("192.0.2.100-192.0.2.120");
  }

  @Test
  void theCrdRulesStillApplyToWhatTheFixtureSends() {
    assertThatThrownBy(() -> fixtures.mlbc(cls).pool("192.0.2.150-192.0.2.100").create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("addressPool");
    assertThat(fixtures.mlbc(cls).pool("192.0.2.100/30").build().getSpec().getType())
        .as("build() sends nothing and leaves the CRD defaults")
        .isEqualTo("L2");
  }

  @Test
  void anAnnouncementIsLabelledLikeItsSpecAndMovedAsTheOperatorMovesIt() {
    fixtures.mlbc(cls).pool("192.0.2.96/28").create();
    Service web = fixtures.service("web").port(80).create();
    L2Announcement created =
        fixtures
            .announcement("web-192-0-2-100")
            .ip("192.0.2.100")
            .node("front-0")
            .service(web)
            .className(cls)
            .interfaces("eth0")
            .create();

    assertThat(fixtures.readAnnouncement("web-192-0-2-100"))
        .isEqualTo(
            new AnnouncementObject(
                namespace,
                "web-192-0-2-100",
                created.getMetadata().getUid(),
                created.getMetadata().getResourceVersion(),
                "192.0.2.100",
                "front-0",
                "web",
                web.getMetadata().getUid(),
                cls,
                List.of("eth0"),
                AnnouncementObject.Status.EMPTY));
    assertThat(created.getMetadata().getLabels())
        .containsEntry(Names.Labels.ANNOUNCEMENT_NODE, "front-0")
        .containsEntry(Names.Labels.ANNOUNCEMENT_SERVICE, "web")
        .containsEntry(Names.Labels.ANNOUNCEMENT_CLASS, cls);
    assertThat(created.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Service");
              assertThat(o.getUid()).isEqualTo(web.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(onNode("front-0")).containsExactly("web-192-0-2-100");

    fixtures.announcement("web-192-0-2-100").node("front-1").update();
    assertThat(onNode("front-0")).isEmpty();
    assertThat(onNode("front-1")).containsExactly("web-192-0-2-100");
    assertThat(fixtures.readAnnouncement("web-192-0-2-100").nodeName()).isEqualTo("front-1");
    assertThat(fixtures.readAnnouncement("web-192-0-2-100").ip())
        .as("what was not set stays")
        .isEqualTo("192.0.2.100");

    fixtures.announcement("web-192-0-2-100").node("").update();
    assertThat(fixtures.readAnnouncement("web-192-0-2-100").nodeName()).isNull();
    assertThat(fixtures.getAnnouncement("web-192-0-2-100").getMetadata().getLabels())
        .doesNotContainKey(Names.Labels.ANNOUNCEMENT_NODE)
        .containsEntry(Names.Labels.ANNOUNCEMENT_CLASS, cls);
  }

  @Test
  void aSpeakersStatusGoesThroughTheStatusSubresource() {
    fixtures
        .announcement("a")
        .ip("192.0.2.101")
        .node("front-0")
        .service("web", "uid-web")
        .className(cls)
        .announcing("02:00:00:00:00:01", "eth0")
        .create();
    AnnouncementObject.Status s = fixtures.readAnnouncement("a").status();
    assertThat(s.announcing()).isTrue();
    assertThat(s.mac()).isEqualTo("02:00:00:00:00:01");
    assertThat(s.interfaceName()).isEqualTo("eth0");
    assertThat(Instant.parse(s.since())).isBeforeOrEqualTo(Instant.now());

    fixtures.announcement("a").notAnnouncing("fenced: ...").update();
    assertThat(fixtures.readAnnouncement("a").status())
        .isEqualTo(AnnouncementObject.Status.notAnnouncing("fenced: ..."));

    // a label lagging behind the spec, as the speaker must cope with
    fixtures
        .announcement("lagging")
        .ip("192.0.2.102")
        .node("front-1")
        .nodeLabel("front-0")
        .service("web", "uid-web")
        .className(cls)
        .create();
    assertThat(onNode("front-0")).containsExactlyInAnyOrder("a", "lagging");
    assertThat(fixtures.readAnnouncement("lagging").nodeName()).isEqualTo("front-1");
  }

  /** What a speaker's watch selects: its node label, in this test's namespace. */
  private List<String> onNode(String node) {
    return client
        .resources(L2Announcement.class)
        .inNamespace(namespace)
        .withLabel(Names.Labels.ANNOUNCEMENT_NODE, node)
        .list()
        .getItems()
        .stream()
        .map(a -> a.getMetadata().getName())
        .sorted()
        .toList();
  }
}
