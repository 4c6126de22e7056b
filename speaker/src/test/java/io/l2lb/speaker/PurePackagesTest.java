package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names;
import io.l2lb.speaker.reconcile.Reconciler;
import io.l2lb.testkit.ClassReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers stay layers: the pure packages refer to no Kubernetes client and no packet capture, so
 * their logic runs (and is tested) without an API server, root or libpcap. Checked on the compiled
 * classes of the speaker and of core ({@link ClassReferences}: calls, field, parameter and return
 * types, generic signatures; an import alone does not count, a fully qualified name does).
 *
 * <ul>
 *   <li>{@code io.l2lb.core..} (all of core): no fabric8 client ({@code
 *       io.fabric8.kubernetes.client..}) except {@code CustomResource}, the base class of the API
 *       types that happens to live there; fabric8 model types are allowed (core converts them at
 *       the edge). No pcap4j, no JNA.
 *   <li>{@code io.l2lb.speaker.announce}, {@code io.l2lb.speaker.reconcile} and the wire codecs
 *       (every class of {@code io.l2lb.speaker.wire} except {@code Pcap*}): nothing of fabric8 at
 *       all (they work on core's records), no pcap4j, no JNA, nothing of the adapters ({@code
 *       io.l2lb.speaker.kube}) or of the program ({@code io.l2lb.speaker} itself).
 *   <li>Layer order: the wire codecs use neither {@code announce} nor {@code reconcile}; {@code
 *       announce} does not use {@code reconcile}.
 *   <li>{@code io.l2lb.speaker.kube} (the Kubernetes adapters): no pcap4j or JNA.
 * </ul>
 */
class PurePackagesTest {

  static final String SPEAKER = "io.l2lb.speaker.";
  static final String CORE = "io.l2lb.core.";
  static final String FABRIC8 = "io.fabric8.";
  static final String FABRIC8_CLIENT = "io.fabric8.kubernetes.client.";
  static final String CUSTOM_RESOURCE = "io.fabric8.kubernetes.client.CustomResource";
  static final String PCAP4J = "org.pcap4j.";
  static final String JNA = "com.sun.jna.";

  static Map<String, Set<String>> classes;

  @BeforeAll
  static void scan() {
    classes = new TreeMap<>();
    classes.putAll(ClassReferences.scan(ClassReferences.locationOf(Reconciler.class)));
    classes.putAll(ClassReferences.scan(ClassReferences.locationOf(Names.class)));
  }

  record Rule(String guarded, Predicate<String> appliesTo, Predicate<String> forbidden) {}

  static boolean in(String className, String pkg) {
    return className.startsWith(pkg + ".")
        && className.indexOf('.', pkg.length() + 1) < 0; // that package, not sub-packages
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  static boolean wireCodec(String c) {
    return in(c, "io.l2lb.speaker.wire") && !simpleName(c).startsWith("Pcap");
  }

  static boolean pureSpeaker(String c) {
    return wireCodec(c) || in(c, "io.l2lb.speaker.announce") || in(c, "io.l2lb.speaker.reconcile");
  }

  static final List<Rule> RULES =
      List.of(
          new Rule(
              "core: no fabric8 client, pcap4j or JNA",
              c -> c.startsWith(CORE),
              r ->
                  (r.startsWith(FABRIC8_CLIENT) && !r.equals(CUSTOM_RESOURCE))
                      || r.startsWith(PCAP4J)
                      || r.startsWith(JNA)),
          new Rule(
              "speaker wire codecs, announce, reconcile: no fabric8, pcap4j, JNA, adapters or"
                  + " program",
              PurePackagesTest::pureSpeaker,
              r ->
                  r.startsWith(FABRIC8)
                      || r.startsWith(PCAP4J)
                      || r.startsWith(JNA)
                      || r.startsWith("io.l2lb.speaker.kube.")
                      || in(r, "io.l2lb.speaker")
                      || (r.startsWith("io.l2lb.speaker.wire.Pcap"))),
          new Rule(
              "speaker wire codecs: below announce and reconcile",
              PurePackagesTest::wireCodec,
              r ->
                  r.startsWith("io.l2lb.speaker.announce.")
                      || r.startsWith("io.l2lb.speaker.reconcile.")),
          new Rule(
              "speaker announce: below reconcile",
              c -> in(c, "io.l2lb.speaker.announce"),
              r -> r.startsWith("io.l2lb.speaker.reconcile.")),
          new Rule(
              "speaker kube adapters: no pcap4j or JNA",
              c -> in(c, "io.l2lb.speaker.kube"),
              r -> r.startsWith(PCAP4J) || r.startsWith(JNA)));

  @Test
  void pureClassesReferToNothingForbidden() {
    List<String> violations = new ArrayList<>();
    for (Rule rule : RULES) {
      classes.forEach(
          (c, refs) -> {
            if (rule.appliesTo().test(c)) {
              refs.stream()
                  .filter(rule.forbidden())
                  .forEach(r -> violations.add(rule.guarded() + ": " + c + " -> " + r));
            }
          });
    }
    assertThat(violations).isEmpty();
  }

  /** Each rule guards real classes, and the scan sees what the adapters really use. */
  @Test
  void theRulesAreNotVacuous() {
    for (Rule rule : RULES) {
      assertThat(classes.keySet().stream().filter(rule.appliesTo()))
          .as(rule.guarded())
          .isNotEmpty();
    }
    assertThat(classes.keySet())
        .contains(
            "io.l2lb.core.placement.PlacementEngine",
            "io.l2lb.core.model.AnnouncementObject",
            "io.l2lb.speaker.announce.Announcer",
            "io.l2lb.speaker.reconcile.Reconciler",
            "io.l2lb.speaker.reconcile.PoolGuard",
            "io.l2lb.speaker.wire.ArpPacket");
    assertThat(pureSpeaker("io.l2lb.speaker.wire.PcapPacketPort")).isFalse();
    assertThat(pureSpeaker("io.l2lb.speaker.wire.PcapPacketPort$1")).isFalse();
    // what the forbidden lists must catch is really seen by the scan
    assertThat(classes.get("io.l2lb.speaker.kube.KubeClusterView"))
        .contains("io.fabric8.kubernetes.client.KubernetesClient");
    assertThat(classes.get("io.l2lb.speaker.wire.PcapPacketPort"))
        .contains("org.pcap4j.core.PcapHandle");
    assertThat(classes.get("io.l2lb.speaker.Preflight")).contains("com.sun.jna.Native");
    assertThat(classes.get("io.l2lb.core.api.L2Announcement")).contains(CUSTOM_RESOURCE);
  }
}
