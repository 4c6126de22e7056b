package io.l2lb.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.l2lb.core.Names;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.Names.Conditions;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.testkit.KubeApiTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on a real API server: each case gets a condition and a Warning Event that name the
 * field and the fix, and a Service that already has IPs keeps them.
 */
class BadInputIT extends KubeApiTestBase {

  static final Duration WAIT = Duration.ofSeconds(20);

  OperatorHarness h;
  String id;
  String role;

  @BeforeEach
  void cluster() {
    h = new OperatorHarness(cluster, namespace);
    id = Integer.toHexString(namespace.hashCode() & 0xfffff);
    role = "bad-" + id;
    for (int i = 0; i < 3; i++) {
      h.node("bad-" + i + "-" + id, Map.of("node-role", role));
    }
  }

  @AfterEach
  void cleanUp() {
    h.close();
  }

  String cls(String suffix, boolean isDefault, String... pool) {
    String name = suffix + "-" + id;
    h.createClass(name, isDefault, Map.of("node-role", role), pool);
    return name;
  }

  /** A merge patch without resourceVersion: the operator writes the status meanwhile. */
  void annotate(String service, String key, String value) {
    client
        .services()
        .inNamespace(namespace)
        .withName(service)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            client
                .getKubernetesSerialization()
                .asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }

  void awaitCondition(String service, String type, String status, String reason, String text) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Condition c = h.condition(service, type);
              assertThat(c).as(type).isNotNull();
              assertThat(c.getStatus()).isEqualTo(status);
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).contains(text);
            });
  }

  void awaitWarning(String involved, String reason, String text) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Stream.concat(
                            h.events(involved, reason).stream(),
                            client.v1().events().inNamespace("default").list().getItems().stream()
                                .filter(e -> involved.equals(e.getInvolvedObject().getName()))
                                .filter(e -> reason.equals(e.getReason()))))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).contains(text);
                        }));
  }

  static Stream<Arguments> badAnnotations() {
    String count = Annotations.EXTERNAL_IPS_COUNT;
    String ips = Annotations.LOAD_BALANCER_IPS;
    return Stream.of(
        Arguments.of(count, "three", "is not an integer"),
        Arguments.of(count, "0", "is below 1"),
        Arguments.of(count, "-2", "is below 1"),
        Arguments.of(count, "1.5", "is not an integer"),
        Arguments.of(count, "5000", "is above 1024"),
        Arguments.of(ips, "192.0.2.10,192.0.2.11", "is outside the pool"),
        Arguments.of(ips, "192.0.2.201,192.0.2.201", "is listed twice"),
        Arguments.of(ips, "2001:db8::5,192.0.2.201", "is outside the pool"),
        Arguments.of(ips, "192.0.2.201,,192.0.2.202", "empty entry"));
  }

  /** The Service holds two IPs; a bad annotation changes nothing and says why, naming the field. */
  @ParameterizedTest
  @MethodSource("badAnnotations")
  void aBadAnnotationTakesNothingAway(String annotation, String value, String text) {
    cls("pool", true, "192.0.2.200-192.0.2.220");
    fixtures.service("app").annotation(Annotations.EXTERNAL_IPS_COUNT, "2").create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("app").size() == 2);
    Map<String, String> placement = h.placement("app");
    Map<String, String> versions = h.announcementVersions();

    annotate("app", annotation, value);
    awaitCondition(
        "app",
        Conditions.ALL_PUBLIC_IPS_ASSIGNED,
        "False",
        Names.Reasons.INVALID_ANNOTATION,
        "kept as they were because " + annotation + ": ");
    assertThat(h.condition("app", Conditions.ALL_PUBLIC_IPS_ASSIGNED).getMessage())
        .startsWith("2 of 2 public IPs were assigned")
        .contains(text);
    awaitWarning("app", Names.Events.INVALID_ANNOTATION, annotation + ": ");
    assertThat(h.placement("app")).isEqualTo(placement);
    assertThat(h.announcementVersions()).isEqualTo(versions);
    assertThat(h.ingress("app")).containsExactlyElementsOf(placement.keySet());
    // not repeated on later passes
    int warnings = h.events("app", Names.Events.INVALID_ANNOTATION).size();
    fixtures.service("other").create();
    await().atMost(WAIT).until(() -> h.ingress("other").size() == 1);
    assertThat(h.events("app", Names.Events.INVALID_ANNOTATION)).hasSize(warnings);

    // fixing it lets the Service change again
    annotate("app", annotation, annotation.equals(Annotations.EXTERNAL_IPS_COUNT) ? "3" : "");
    if (annotation.equals(Annotations.LOAD_BALANCER_IPS)) {
      annotate("app", Annotations.EXTERNAL_IPS_COUNT, "3");
    }
    await().atMost(WAIT).until(() -> h.ingress("app").size() == 3);
    assertThat(h.ingress("app")).containsAll(placement.keySet());
  }

  @Test
  void aCountAboveTheFreePoolGetsWhatExists() {
    String c = cls("small", true, "192.0.2.230-192.0.2.233");
    fixtures.service("first").annotation(Annotations.EXTERNAL_IPS_COUNT, "2").create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("first").size() == 2);
    fixtures.service("second").annotation(Annotations.EXTERNAL_IPS_COUNT, "3").create();
    awaitCondition(
        "second",
        Conditions.ALL_PUBLIC_IPS_ASSIGNED,
        "False",
        Names.Reasons.POOL_EXHAUSTED,
        "2 of 3 public IPs were assigned; the pool of class " + c + " has no free address");
    assertThat(h.ingress("second")).hasSize(2).doesNotContainAnyElementsOf(h.ingress("first"));
    awaitWarning(
        "second",
        Names.Events.ALLOCATION_FAILED,
        Annotations.EXTERNAL_IPS_COUNT + ": 2 of 3 public IPs assigned");
  }

  /** More than the whole pool is no error: the Service keeps what it has and gets the rest. */
  @Test
  void aCountAboveTheWholePoolGetsWhatExistsAndKeepsWhatItHas() {
    String c = cls("whole", true, "192.0.2.240-192.0.2.243");
    fixtures.service("app").annotation(Annotations.EXTERNAL_IPS_COUNT, "2").create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("app").size() == 2);
    Map<String, String> placement = h.placement("app");

    annotate("app", Annotations.EXTERNAL_IPS_COUNT, "100");
    awaitCondition(
        "app",
        Conditions.ALL_PUBLIC_IPS_ASSIGNED,
        "False",
        Names.Reasons.POOL_EXHAUSTED,
        "4 of 100 public IPs were assigned; the pool of class " + c + " has only 4 addresses");
    assertThat(h.ingress("app")).hasSize(4).containsAll(placement.keySet());
    placement.forEach((ip, node) -> assertThat(h.placement("app").get(ip)).isEqualTo(node));
    awaitWarning(
        "app",
        Names.Events.ALLOCATION_FAILED,
        Annotations.EXTERNAL_IPS_COUNT + ": 4 of 100 public IPs assigned");
    assertThat(h.events("app", Names.Events.INVALID_ANNOTATION)).isEmpty();
  }

  @Test
  void twoDefaultClassesAreBothFlaggedAndTheOldestWins() {
    String older = cls("z-older", true, "192.0.2.40-192.0.2.49");
    Instant created =
        Instant.parse(h.getClass(older).getMetadata().getCreationTimestamp()).plusSeconds(1);
    // creation timestamps have whole seconds: the second class must be visibly newer
    await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(created));
    String newer = cls("a-newer", true, "192.0.2.50-192.0.2.59");
    fixtures.service("app").create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("app").size() == 1);
    assertThat(h.ingress("app").get(0)).startsWith("192.0.2.4");
    for (String name : List.of(older, newer)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Condition valid = classCondition(name, Conditions.VALID);
                assertThat(valid.getMessage())
                    .contains("warning: spec.isDefault: classes " + older + ", " + newer)
                    .contains("Services without a class use " + older + " (the oldest)")
                    .contains("Set isDefault: false on all but one");
              });
      awaitWarning(name, Names.Events.DEFAULT_CONFLICT, "spec.isDefault");
    }
  }

  @Test
  void overlappingPoolsFlagTheNewerClassAndNoAddressIsHandedOutTwice() {
    String older = cls("z-old", false, "192.0.2.60-192.0.2.69");
    Instant created =
        Instant.parse(h.getClass(older).getMetadata().getCreationTimestamp()).plusSeconds(1);
    await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(created));
    String newer = cls("a-new", false, "192.0.2.65-192.0.2.74");
    fixtures
        .service("old")
        .annotation(Annotations.CLASS, older)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "8")
        .create();
    fixtures
        .service("new")
        .annotation(Annotations.CLASS, newer)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "8")
        .create();
    h.startLeader("operator");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Condition v = classCondition(newer, Conditions.VALID);
              assertThat(v.getStatus()).isEqualTo("False");
              assertThat(v.getReason()).isEqualTo(Names.Reasons.POOL_OVERLAP);
              assertThat(v.getMessage())
                  .contains(
                      "spec.addressPool: entry 192.0.2.65-192.0.2.74 overlaps entry"
                          + " 192.0.2.60-192.0.2.69 of class "
                          + older
                          + ", which is older and keeps the addresses they share");
              assertThat(classCondition(older, Conditions.VALID).getStatus()).isEqualTo("True");
              // "new" sorts first, but the shared 65-69 are the older class's: "old" gets 8
              // (60-67), "new" what only its pool has (70-74)
              assertThat(h.ingress("old"))
                  .containsExactly(
                      "192.0.2.60",
                      "192.0.2.61",
                      "192.0.2.62",
                      "192.0.2.63",
                      "192.0.2.64",
                      "192.0.2.65",
                      "192.0.2.66",
                      "192.0.2.67");
              assertThat(h.ingress("new"))
                  .containsExactly(
                      "192.0.2.70", "192.0.2.71", "192.0.2.72", "192.0.2.73", "192.0.2.74");
            });
    awaitWarning(newer, Names.Reasons.POOL_OVERLAP, "of class " + older + ", which is older");
    List<String> all = h.announcements().stream().map(a -> a.getSpec().getIp()).toList();
    assertThat(new HashSet<>(all)).as("each address once: " + all).hasSameSizeAs(all);
  }

  @Test
  void aDeletedClassLeavesItsServicesTheirIpsUntilItReturns() {
    String c = cls("gone", false, "192.0.2.80-192.0.2.89");
    fixtures
        .service("app")
        .annotation(Annotations.CLASS, c)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "2")
        .create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("app").size() == 2);
    Map<String, String> versions = h.announcementVersions();
    List<String> ips = h.ingress("app");

    h.deleteClass(c);
    awaitCondition(
        "app",
        Conditions.SERVICE_CLASS,
        "False",
        Names.Reasons.CLASS_NOT_FOUND,
        "MetalLoadBalancerClass " + c + " does not exist; the Service keeps its 2 public IPs");
    awaitWarning("app", Names.Events.CLASS_NOT_FOUND, "until a class named " + c);
    assertThat(h.announcementVersions()).isEqualTo(versions);
    assertThat(h.ingress("app")).isEqualTo(ips);
    // a class created meanwhile whose pool holds those IPs does not hand them out
    String other = cls("other", false, "192.0.2.80-192.0.2.89");
    fixtures
        .service("rival")
        .annotation(Annotations.CLASS, other)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "3")
        .create();
    await().atMost(WAIT).until(() -> h.ingress("rival").size() == 3);
    assertThat(h.ingress("rival")).doesNotContainAnyElementsOf(ips);
    assertThat(h.announcementVersions()).containsAllEntriesOf(versions);
    int warnings = h.events("app", Names.Events.CLASS_NOT_FOUND).size();
    assertThat(warnings).as("one Warning, not one per pass").isEqualTo(1);
    h.deleteClass(other);

    h.createClass(c, false, Map.of("node-role", role), "192.0.2.80-192.0.2.89");
    awaitCondition(
        "app",
        Conditions.SERVICE_CLASS,
        "True",
        Names.Reasons.CLASS_BOUND,
        "bound to " + "MetalLoadBalancerClass " + c);
    assertThat(h.ingress("app")).isEqualTo(ips);
  }

  @Test
  void aForeignLoadBalancerClassIsNeverOurs() {
    cls("dflt", true, "192.0.2.90-192.0.2.99");
    fixtures.service("foreign").loadBalancerClass("example.com/other-lb").create();
    fixtures.service("ours").create();
    h.startLeader("operator");
    await().atMost(WAIT).until(() -> h.ingress("ours").size() == 1);
    assertThat(h.announcementsOf("foreign")).isEmpty();
    assertThat(h.condition("foreign", Conditions.SERVICE_CLASS)).isNull();
    assertThat(h.ingress("foreign")).isEmpty();
  }

  @Test
  void deletedOrClusterIpServicesLoseTheirAnnouncementsAndStatus() {
    cls("cleanup", true, "192.0.2.110-192.0.2.119");
    fixtures.service("deleted").annotation(Annotations.EXTERNAL_IPS_COUNT, "2").create();
    fixtures.service("demoted").annotation(Annotations.EXTERNAL_IPS_COUNT, "2").create();
    h.startLeader("operator");
    await()
        .atMost(WAIT)
        .until(() -> h.ingress("deleted").size() == 2 && h.ingress("demoted").size() == 2);
    client.services().inNamespace(namespace).withName("deleted").delete();
    client
        .services()
        .inNamespace(namespace)
        .withName("demoted")
        .edit(
            s -> {
              s.getSpec().setType("ClusterIP");
              s.getSpec().setExternalTrafficPolicy(null);
              s.getSpec().setAllocateLoadBalancerNodePorts(null);
              s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
              return s;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(h.announcements()).isEmpty();
              assertThat(h.ingress("demoted")).isEmpty();
              assertThat(h.condition("demoted", Conditions.ALL_PUBLIC_IPS_ASSIGNED)).isNull();
              assertThat(h.condition("demoted", Conditions.SERVICE_CLASS)).isNull();
            });
    List<L2Announcement> left =
        client.resources(L2Announcement.class).inNamespace(namespace).list().getItems();
    assertThat(left).isEmpty();
  }

  Condition classCondition(String name, String type) {
    MetalLoadBalancerClass c = h.getClass(name);
    assertThat(c.getStatus()).as("status of " + name).isNotNull();
    return c.getStatus().getConditions().stream()
        .filter(x -> type.equals(x.getType()))
        .findFirst()
        .orElseThrow();
  }
}
