package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.api.MetalLoadBalancerClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code create class}: validated against the cluster first, then created (or not). */
class CreateClassIT extends CliTestBase {

  private MetalLoadBalancerClass stored(String name) {
    return client.resources(MetalLoadBalancerClass.class).withName(name).get();
  }

  @Test
  void createsAndReportsPoolSizeAndMatchedNodes() {
    createNode("front-a-" + id, Map.of("role-" + id, "front"));
    createNode("front-b-" + id, Map.of("role-" + id, "front"));
    createNode("worker-" + id, Map.of());
    String name = "c-" + id;
    classes.add(name);
    Result r =
        run(
            "create",
            "class",
            name,
            "--pool",
            "198.18.1.10-198.18.1.20,198.18.2.7",
            "--node-selector",
            "role-" + id + "=front",
            "--interface",
            "eth1");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "metalloadbalancerclass.network.deckhouse.io/" + name + " created",
            "pool:  12 addresses (198.18.1.10-198.18.1.20, 198.18.2.7)",
            "nodes: 2 matched (front-a-" + id + ", front-b-" + id + ")");
    MetalLoadBalancerClass c = stored(name);
    assertThat(c.getSpec().getAddressPool())
        .containsExactly("198.18.1.10-198.18.1.20", "198.18.2.7");
    assertThat(c.getSpec().getNodeSelector()).containsExactly(Map.entry("role-" + id, "front"));
    assertThat(c.getSpec().getL2().getInterfaces()).containsExactly("eth1");
    assertThat(c.getMetadata().getManagedFields())
        .anySatisfy(m -> assertThat(m.getManager()).isEqualTo("kubectl-l2lb"));
  }

  @Test
  void refusesAnOverlapWithAnExistingClassAndCreatesNothing() {
    createClass("old-" + id, List.of("198.18.3.0/28"), Map.of(), false);
    String name = "new-" + id;
    Result r = run("create", "class", name, "--pool", "198.18.3.8-198.18.3.30");
    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.err())
        .contains(
            "error: metalloadbalancerclass/"
                + name
                + " spec.addressPool: entry 198.18.3.8-198.18.3.30 overlaps entry 198.18.3.0/28 of class old-"
                + id)
        .contains("error: metalloadbalancerclass/" + name + " not created: 1 error (see above)");
    assertThat(stored(name)).isNull();
  }

  @Test
  void badPoolIsAFindingWithTheFix() {
    String name = "bad-" + id;
    Result r = run("create", "class", name, "--pool", "198.18.4.20-198.18.4.10");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err())
        .contains(
            "range start 198.18.4.20 is above its end 198.18.4.10; write the lower address first");
    assertThat(stored(name)).isNull();
  }

  @Test
  void warnsAboutASecondDefaultAndASelectorMatchingNoNodeButCreates() {
    createClass("first-" + id, List.of("198.18.5.0/28"), Map.of(), true);
    String name = "second-" + id;
    classes.add(name);
    Result r =
        run(
            "create",
            "class",
            name,
            "--pool",
            "198.18.6.0/28",
            "--default",
            "--node-selector",
            "nothing-" + id + "=here");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err())
        .contains("warning: metalloadbalancerclass/" + name + " spec.isDefault: classes ")
        .contains("are all default")
        .contains(
            "warning: metalloadbalancerclass/"
                + name
                + " spec.nodeSelector: selector {nothing-"
                + id
                + "=here} matches no node");
    assertThat(r.out())
        .contains("nodes: 0 matched")
        .contains("default: Services that name no class get IPs from this class");
    assertThat(stored(name).getSpec().getIsDefault()).isTrue();
  }

  @Test
  void clientDryRunPrintsTheObjectAndStoresNothing() {
    String name = "dry-" + id;
    Result r =
        run("create", "class", name, "--pool", "198.18.7.0/28", "--dry-run=client", "-o", "yaml");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("kind: MetalLoadBalancerClass")
        .contains("name: " + name)
        .contains("- 198.18.7.0/28");
    assertThat(stored(name)).isNull();
  }

  @Test
  void serverDryRunAsksTheApiServerAndStoresNothing() {
    String name = "sdry-" + id;
    Result r =
        run("create", "class", name, "--pool", "198.18.8.0/28", "--dry-run=server", "-o", "json");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("\"uid\"").contains("\"" + name + "\"");
    assertThat(stored(name)).isNull();
    Result table = run("create", "class", name, "--pool", "198.18.8.0/28", "--dry-run", "server");
    assertThat(table.out()).contains(name + " created (server dry run)");
  }

  @Test
  void existingNameIsARuntimeError() {
    createClass("dup-" + id, List.of("198.18.9.0/28"), Map.of(), false);
    Result r = run("create", "class", "dup-" + id, "--pool", "198.18.10.0/28");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("already exists: edit it with `kubectl edit mlbc dup-" + id + "`");
  }

  @Test
  void missingPoolWithoutATerminalIsAUsageError() {
    Result r = run("create", "class", "x-" + id);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "error: missing --pool: kubectl l2lb create class NAME --pool 192.0.2.10-192.0.2.20");
    Result bad =
        run("create", "class", "y-" + id, "--pool", "198.18.11.0/28", "--node-selector", "novalue");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--node-selector novalue: write KEY=VALUE");
  }
}
