package io.l2lb.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base class for {@code *IT} tests against a real kube-apiserver.
 *
 * <p>Before the first test of the JVM, etcd + kube-apiserver are started (see {@link TestCluster})
 * and {@code <repo root>/manifests/crds/*.yml} are installed and Established. Each test method gets
 * a fresh namespace ({@link #namespace}) and {@link #fixtures} bound to it. Cluster-scoped objects
 * (Nodes, MetalLoadBalancerClasses) are shared by all tests of the JVM: give them unique names or
 * delete them in the test. If the binaries are missing the tests fail (they never skip).
 *
 * <pre>{@code
 * class MyIT extends KubeApiTestBase {
 *   @Test void works() {
 *     fixtures.node("front-0").label("node-role", "front").ready().create();
 *     assertThat(client.nodes().withName("front-0").get()).isNotNull();
 *   }
 * }
 * }</pre>
 */
public abstract class KubeApiTestBase {

  protected static TestCluster cluster;
  protected static KubernetesClient client;

  protected String namespace;
  protected Fixtures fixtures;

  @BeforeAll
  static void startKubeApiServerAndInstallCrds() {
    cluster = TestCluster.shared();
    client = cluster.client();
  }

  @BeforeEach
  void createTestNamespace(TestInfo info) {
    String prefix =
        info.getTestClass().map(Class::getSimpleName).orElse("t")
            + info.getTestMethod().map(m -> "-" + m.getName()).orElse("");
    namespace =
        Fixtures.createUniqueNamespace(
            client, prefix.length() > 40 ? prefix.substring(0, 40) : prefix);
    fixtures = cluster.fixtures(namespace);
  }
}
