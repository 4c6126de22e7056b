package io.l2lb.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.core.model.NodeInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The order {@link PlacementResult} documents, whatever the order of the snapshot's lists. */
class ResultOrderTest {

  private static ServiceInfo svc(String ns, String name, String cls, int count, String sharedKey) {
    Map<String, String> a = new java.util.HashMap<>();
    a.put(Annotations.CLASS, cls);
    a.put(Annotations.EXTERNAL_IPS_COUNT, Integer.toString(count));
    if (sharedKey != null) {
      a.put(Annotations.SHARED_IP_KEY, sharedKey);
    }
    return new ServiceInfo(
        new ServiceKey(ns, name),
        name,
        null,
        a,
        false,
        java.util.Set.of(),
        List.of("TCP/" + (1000 + name.length())),
        List.of());
  }

  /** Classes "zeta" and "alpha"; Services of both interleaved by name; one shared pair in zeta. */
  private static Snapshot snapshot() {
    return new Snapshot(
        List.of(
            ClassInfo.of("zeta", Map.of(), "192.0.2.0/28"),
            ClassInfo.of("alpha", Map.of(), "198.51.100.0/28")),
        List.of(NodeInfo.healthy("n2", Map.of()), NodeInfo.healthy("n1", Map.of())),
        List.of(
            svc("b", "z1", "zeta", 2, null),
            svc("a", "a1", "alpha", 1, null),
            svc("a", "z2", "zeta", 1, "k"),
            svc("a", "z0", "zeta", 1, "k"),
            svc("c", "a0", "alpha", 2, null)),
        List.of());
  }

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 42L);
  }

  @ParameterizedTest(name = "input shuffled with seed {0}")
  @MethodSource("seeds")
  void placementsChangesAndServicesComeInTheDocumentedOrder(long seed) {
    Snapshot s = snapshot();
    Random random = new Random(seed);
    Snapshot shuffled =
        new Snapshot(
            shuffle(s.classes(), random),
            shuffle(s.nodes(), random),
            shuffle(s.services(), random),
            s.announcements());
    PlacementResult result = PlacementEngine.compute(shuffled);

    assertThat(result.placements())
        .extracting(p -> p.className() + " " + p.service() + " " + p.ip())
        .containsExactly(
            "alpha a/a1 198.51.100.1",
            "alpha c/a0 198.51.100.2",
            "alpha c/a0 198.51.100.3",
            // the shared unit: first member a/z0, each IP once per member
            "zeta a/z0 192.0.2.1",
            "zeta a/z2 192.0.2.1",
            "zeta b/z1 192.0.2.2",
            "zeta b/z1 192.0.2.3");
    assertThat(result.changes())
        .extracting(c -> c.kind() + " " + c.service() + " " + c.ip())
        .containsExactly(
            "ALLOCATED a/a1 198.51.100.1",
            "ASSIGNED a/a1 198.51.100.1",
            "ALLOCATED c/a0 198.51.100.2",
            "ALLOCATED c/a0 198.51.100.3",
            "ASSIGNED c/a0 198.51.100.2",
            "ASSIGNED c/a0 198.51.100.3",
            "ALLOCATED a/z0 192.0.2.1",
            "ALLOCATED a/z2 192.0.2.1",
            "ASSIGNED a/z0 192.0.2.1",
            "ASSIGNED a/z2 192.0.2.1",
            "ALLOCATED b/z1 192.0.2.2",
            "ALLOCATED b/z1 192.0.2.3",
            "ASSIGNED b/z1 192.0.2.2",
            "ASSIGNED b/z1 192.0.2.3");
    assertThat(List.copyOf(result.services().keySet()))
        .extracting(ServiceKey::toString)
        .containsExactly("a/a1", "a/z0", "a/z2", "b/z1", "c/a0");
    assertThat(List.copyOf(result.classes().keySet())).containsExactly("alpha", "zeta");
    assertThat(result).isEqualTo(PlacementEngine.compute(s));
  }

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }
}
