package io.l2lb.cli.lab;

import io.l2lb.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real etcd + kube-apiserver with the repository's CRDs for hands-on runs and the start-up
 * benchmark: writes its kubeconfig to the path given and serves until killed.
 *
 * <pre>{@code java -cp ... io.l2lb.cli.lab.ServeCluster /tmp/l2lb-bench.kubeconfig}</pre>
 */
public final class ServeCluster {
  private ServeCluster() {}

  public static void main(String[] args) throws Exception {
    Path kubeconfig = Path.of(args.length > 0 ? args[0] : "l2lb-lab.kubeconfig");
    TestCluster cluster = TestCluster.startDedicated();
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    cluster.installRepoCrds();
    Files.writeString(kubeconfig, cluster.kubeconfigYaml());
    System.out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
    System.out.flush();
    Thread.currentThread().join();
  }
}
