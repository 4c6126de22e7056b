package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.l2lb.core.Names.Annotations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code expose svc|deployment}: the Service the operator needs, and the wait for its IPs. */
class ExposeIT extends CliTestBase {
  private String cls;

  @BeforeEach
  void aClass() {
    cls = "ex-" + id;
    createClass(cls, List.of("198.18.30.1-198.18.30.5"), Map.of(), false);
  }

  private Service svc(String name) {
    return client.services().inNamespace(namespace).withName(name).get();
  }

  @Test
  void clusterIpServiceBecomesALoadBalancerOfTheClass() {
    fixtures.service("web").clusterIP().create();
    Result r = run("expose", "svc", "web", "--ips", "3", "--class", cls, "-n", namespace);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .isEqualTo(
            "service/web exposed (class "
                + cls
                + "): asks for 3 public IPs (`kubectl l2lb where web` shows where they are announced)\n");
    Service s = svc("web");
    assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(s.getSpec().getLoadBalancerClass()).isEqualTo(cls);
    assertThat(s.getMetadata().getAnnotations()).containsEntry(Annotations.EXTERNAL_IPS_COUNT, "3");
  }

  @Test
  void loadBalancerWithoutClassGetsTheAnnotationBecauseTheFieldIsImmutable() {
    fixtures.service("lb").create();
    Result r = run("expose", "svc", "lb", "--ips", "2", "--class", cls, "-n", namespace);
    assertThat(r.code()).as("%s", r).isZero();
    Service s = svc("lb");
    assertThat(s.getSpec().getLoadBalancerClass()).isNull();
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(Annotations.CLASS, cls)
        .containsEntry(Annotations.EXTERNAL_IPS_COUNT, "2");
  }

  @Test
  void refusesToChangeAnImmutableLoadBalancerClass() {
    fixtures.service("other").loadBalancerClass("example.com/cloud").create();
    Result r = run("expose", "svc", "other", "--ips", "2", "--class", cls, "-n", namespace);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "error: service/other has spec.loadBalancerClass \"example.com/cloud\", and the API server does not let a LoadBalancer Service change it");
    assertThat(svc("other").getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void checksExplicitIpsAndCountsAgainstThePool() {
    fixtures.service("web").clusterIP().create();
    Result outside =
        run(
            "expose",
            "svc",
            "web",
            "--ip",
            "198.18.30.2,203.0.113.9",
            "--class",
            cls,
            "-n",
            namespace);
    assertThat(outside.code()).as("%s", outside).isEqualTo(3);
    assertThat(outside.err()).contains("203.0.113.9 is outside the pool of class " + cls);
    Result tooMany = run("expose", "svc", "web", "--ips", "9", "--class", cls, "-n", namespace);
    assertThat(tooMany.code()).isEqualTo(3);
    assertThat(tooMany.err())
        .contains("asks for 9 IPs but the pool of class " + cls + " has only 5 addresses");
    Result malformed = run("expose", "svc", "web", "--ip", "nope", "--class", cls, "-n", namespace);
    assertThat(malformed.code()).isEqualTo(2);
    Result none = run("expose", "svc", "web", "--class", cls, "-n", namespace);
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("missing --ips N");
    Result noClass =
        run("expose", "svc", "web", "--ips", "1", "--class", "ghost-" + id, "-n", namespace);
    assertThat(noClass.code()).isEqualTo(1);
    assertThat(noClass.err())
        .contains("metalloadbalancerclass \"ghost-" + id + "\" not found (classes: ");
    assertThat(svc("web").getSpec().getType()).as("nothing changed").isEqualTo("ClusterIP");
  }

  @Test
  void waitShowsProgressThenTheIpsAndDnsRecords() throws Exception {
    fixtures.service("web").clusterIP().create();
    Running r =
        runAsync(
            "expose",
            "svc",
            "web",
            "--ips",
            "2",
            "--class",
            cls,
            "-n",
            namespace,
            "--wait=20s",
            "--dns-name",
            "app.example.org");
    // play the operator: once the Service is a LoadBalancer (the API refuses ingress before),
    // assign the IPs one by one. (Waiting for "any annotation" raced with expose under load.)
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "LoadBalancer".equals(svc("web").getSpec().getType()));
    fixtures.service("web").ingress("198.18.30.1");
    fixtures.service("web").ingress("198.18.30.1", "198.18.30.2");
    Result done = r.result().get();
    assertThat(done.code()).as("%s", done).isZero();
    assertThat(done.err())
        .contains("service/web: 0 of 2 public IPs assigned")
        .contains("service/web: 2 of 2 public IPs assigned");
    assertThat(done.out())
        .isEqualTo(
            "service/web has 2 public IPs: 198.18.30.1, 198.18.30.2\n"
                + "DNS records to publish:\n"
                + "app.example.org.\t300\tIN\tA\t198.18.30.1\n"
                + "app.example.org.\t300\tIN\tA\t198.18.30.2\n");
  }

  @Test
  void waitTimesOutWithTheReason() {
    fixtures.service("web").clusterIP().create();
    Result r =
        run("expose", "svc", "web", "--ips", "2", "--class", cls, "-n", namespace, "--wait=1s");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "error: timed out after 1s waiting for service/web: 0 of 2 public IPs assigned (is the l2lb operator running? `kubectl l2lb status`)");
  }

  @Test
  void deploymentGetsAServiceAsKubectlExposeMakesIt() {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("nginx")
                .addToLabels("app", "nginx")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "nginx")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "nginx")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("nginx")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    Result r =
        run(
            "expose",
            "deployment",
            "nginx",
            "--port",
            "80:8080",
            "--ips",
            "3",
            "--class",
            cls,
            "-n",
            namespace);
    assertThat(r.code()).as("%s", r).isZero();
    Service s = svc("nginx");
    assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(s.getSpec().getLoadBalancerClass()).isEqualTo(cls);
    assertThat(s.getSpec().getSelector()).containsExactly(Map.entry("app", "nginx"));
    assertThat(s.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(80);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
    assertThat(s.getMetadata().getAnnotations()).containsEntry(Annotations.EXTERNAL_IPS_COUNT, "3");
    Result again =
        run(
            "expose",
            "deployment",
            "nginx",
            "--port",
            "80",
            "--ips",
            "3",
            "--class",
            cls,
            "-n",
            namespace);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("service \"nginx\" already exists");
    Result badPort =
        run("expose", "deployment", "nginx", "--port", "99999", "--ips", "1", "-n", namespace);
    assertThat(badPort.code()).isEqualTo(2);
    Result missing =
        run("expose", "deployment", "ghost", "--port", "80", "--ips", "1", "-n", namespace);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("error: deployment \"ghost\" not found in namespace " + namespace + "\n");
  }
}
