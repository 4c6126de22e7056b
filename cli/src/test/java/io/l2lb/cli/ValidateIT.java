package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.l2lb.cli.kube.Json;
import io.l2lb.core.Names.Annotations;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code validate}: files, live classes, the cluster's view, and the same verdict as the API
 * server.
 */
class ValidateIT extends CliTestBase {

  private Path file(String yaml) throws IOException {
    Path p = Files.createTempFile("validate", ".yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static String cls(String name, String... pool) {
    StringBuilder b =
        new StringBuilder(
            "apiVersion: network.deckhouse.io/v1alpha1\nkind: MetalLoadBalancerClass\nmetadata:\n  name: "
                + name
                + "\nspec:\n  addressPool:\n");
    for (String e : pool) {
      b.append("  - ").append(Json.write(e)).append('\n');
    }
    return b.toString();
  }

  @Test
  void aValidFileExitsZero() throws IOException {
    Result r =
        run("validate", "-f", file(cls("ok-" + id, "198.18.20.0/28")).toString(), "--offline");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("0 errors, 0 warnings in 1 class (without the cluster)\n");
  }

  @Test
  void findingsNameObjectFieldAndFixAndExit3() throws IOException {
    Path f =
        file(
            cls("bad-" + id, "198.18.21.0/28", "198.18.21.5", "198.18.21.20-198.18.21.10")
                + "---\n"
                + cls("other-" + id, "2001:db8:21::/120"));
    Result r = run("validate", "-f", f.toString(), "--offline");
    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.out().lines().findFirst().orElseThrow())
        .startsWith("SEVERITY   OBJECT ")
        .contains("   FIELD ")
        .endsWith("   MESSAGE");
    assertThat(r.out())
        .contains(
            "error      metalloadbalancerclass/bad-"
                + id
                + "   spec.addressPool   addressPool[2] '198.18.21.20-198.18.21.10': range start 198.18.21.20 is above its end 198.18.21.10")
        .contains(
            "entries 198.18.21.0/28 and 198.18.21.5 overlap; remove one or make them disjoint");
    assertThat(r.err())
        .contains("2 errors, 0 warnings in 2 classes")
        .contains("error: validation found 2 errors");

    Result json = run("validate", "-f", f.toString(), "--offline", "-o", "json");
    assertThat(json.code()).isEqualTo(3);
    Map<String, Object> doc = Json.parseObject(json.out());
    assertThat(doc).containsEntry("errors", 2L);
    assertThat(Json.list(doc, "findings"))
        .allSatisfy(x -> assertThat(Json.str(x, "severity")).isEqualTo("error"));
  }

  @Test
  void checksFilesAgainstTheClusterOverlapsNodesAndDemand() throws IOException {
    createClass("live-" + id, List.of("198.18.22.0/28"), Map.of(), false);
    createNode("n-" + id, Map.of("zone-" + id, "a"));
    // two Services ask the file's class for 3 + 2 IPs; its pool has 4
    fixtures
        .service("a")
        .loadBalancerClass("mine-" + id)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "3")
        .create();
    fixtures
        .service("b")
        .annotation(Annotations.CLASS, "mine-" + id)
        .annotation(Annotations.EXTERNAL_IPS_COUNT, "2")
        .create();
    fixtures
        .service("c")
        .annotation(Annotations.CLASS, "mine-" + id)
        .annotation(Annotations.LOAD_BALANCER_IPS, "198.51.100.1")
        .create();
    String yaml =
        cls("mine-" + id, "198.18.23.1-198.18.23.4")
            + "  nodeSelector: {zone-"
            + id
            + ": b}\n"
            + "---\n"
            + cls("clash-" + id, "198.18.22.8/29");
    Result r = run("validate", "-f", file(yaml).toString());
    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.out())
        .contains("metalloadbalancerclass/clash-" + id)
        .contains("overlaps entry 198.18.22.0/28 of class live-" + id)
        .contains("selector {zone-" + id + "=b} matches no node")
        .contains(
            "Services ask for 6 IPs ("
                + namespace
                + "/a: 3, "
                + namespace
                + "/b: 2, "
                + namespace
                + "/c: 1) but the pool has 4")
        .contains("service/" + namespace + "/c")
        .contains("198.51.100.1 is outside the pool of class mine-" + id);
  }

  /**
   * Demand counts where the operator binds (core's rule): the oldest default, not the first name.
   */
  @Test
  void servicesCountOnTheClassTheOperatorBindsThemTo() throws IOException {
    createClass("z-old-" + id, List.of("198.18.26.0/30"), Map.of(), true);
    fixtures.service("d").annotation(Annotations.EXTERNAL_IPS_COUNT, "3").create();
    fixtures.service("t").annotation(Annotations.CLASS, "typo-" + id).create();
    // a file's class does not exist yet: newer than every class that does
    Result file =
        run(
            "validate",
            "-f",
            file(cls("a-new-" + id, "198.18.27.0/28") + "  isDefault: true\n").toString());
    assertThat(file.out())
        .contains("classes z-old-" + id + ", a-new-" + id + " are all default")
        .contains("Services without a class use z-old-" + id + " (the oldest)")
        .doesNotContain("Services ask for");

    Result all = run("validate");
    assertThat(all.code()).as("%s", all).isEqualTo(3);
    assertThat(all.out())
        .contains("Services ask for 3 IPs (" + namespace + "/d: 3) but the pool has 2")
        .contains("service/" + namespace + "/t")
        .contains("names MetalLoadBalancerClass \"typo-" + id + "\", which does not exist");
  }

  @Test
  void liveClassesByNameOrAll() {
    createClass("one-" + id, List.of("198.18.24.0/28"), Map.of(), false);
    Result r = run("validate", "class", "one-" + id);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("warning").contains("matches no node");
    assertThat(r.err()).contains("0 errors, 1 warning in 1 class");
    Result all = run("validate");
    assertThat(all.err()).contains(" in ").contains("class");
    Result bad = run("validate", "one-" + id);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("write `validate class NAME...`");
  }

  @Test
  void stdinAndUnreachableClusterFallBackToTheFiles() throws IOException {
    Path cfg = Files.createTempFile("unreachable", ".kubeconfig");
    writeFile(
        cfg,
        cluster
            .kubeconfigYaml()
            .replaceAll("server: https://127.0.0.1:\\d+", "server: https://127.0.0.1:1"));
    Map<String, String> env = env();
    env.put("KUBECONFIG", cfg.toString());
    Result r = runWith(env, cls("in-" + id, "198.18.25.0/28"), "validate", "-f", "-");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err())
        .contains(
            "warning: checking the files only, without the cluster: cannot reach the API server");
  }

  /** Every kind of pool entry: the CLI (core's parser) and the API server (CEL) must agree. */
  static Stream<String> entries() {
    return Stream.of(
        // accepted
        "192.0.2.0/28",
        "192.0.2.10-192.0.2.20",
        "192.0.2.7",
        "192.0.2.7/32",
        "192.0.2.6/31",
        "0.0.0.0/0",
        "10.0.0.1-10.0.0.1",
        "127.255.255.255-128.0.0.0",
        "192.0.2.255-192.0.3.0",
        "2001:db8::7",
        "2001:db8::/120",
        "2001:db8::10-2001:db8::20",
        "2001:DB8::AB",
        "::/0",
        "::",
        "::-::1",
        "::192.0.2.7",
        "2001:db8::192.0.2.7",
        "2001:0db8:0000:0000:0000:0000:0000:0001",
        "2001:0db8:0000:0000:0000:0000:0000:0000/112",
        "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-8000::",
        // rejected
        "",
        " 192.0.2.0/28",
        "192.0.2.0/28 ",
        "192.0.2.0/28\n",
        "192.0.2.10 - 192.0.2.20",
        "192.0.2.10-\t192.0.2.20",
        "192.0.2.300",
        "banana",
        "192.0.2.1/28",
        "192.0.2.20-192.0.2.10",
        "192.0.2.11-192.0.2.10",
        "128.0.0.0-127.255.255.255",
        "192.0.2.10-2001:db8::1",
        "10.0.0.0/33",
        "2001:db8::/129",
        "::ffff:192.0.2.7",
        "::ffff:192.0.2.0/120",
        "::ffff:c000:207",
        "010.0.0.1",
        "192.0.2.10-",
        "-192.0.2.10",
        "192.0.2.0/24/1",
        "2001:db8::1%eth0",
        "10.0.0.0/-1",
        "10.0.0.0/08",
        "1.2.3.4/",
        "[2001:db8::1]",
        "1.2.3",
        "0x7f.0.0.1",
        "2001:db8::20-2001:db8::10",
        "192.0.2.0/",
        "/24",
        "2001:db8:::1",
        "1.2.3.4-5.6.7.8-9.9.9.9");
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("entries")
  void validateAndTheApiServerGiveTheSameVerdict(String entry) throws IOException {
    String name = "verdict-" + id;
    Result cli = run("validate", "-f", file(cls(name, entry)).toString(), "--offline");
    assertThat(cli.code()).as("%s", cli).isIn(0, 3);
    boolean cliAccepts = cli.code() == 0;

    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    spec.setAddressPool(new ArrayList<>(List.of(entry)));
    c.setSpec(spec);
    boolean serverAccepts;
    String serverSays = "accepted";
    try {
      client.resources(MetalLoadBalancerClass.class).resource(c).dryRun().create();
      serverAccepts = true;
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
      serverAccepts = false;
      serverSays = e.getMessage();
    }
    assertThat(cliAccepts)
        .as("validate says %s, the API server says %s", cli.out() + cli.err(), serverSays)
        .isEqualTo(serverAccepts);
  }
}
