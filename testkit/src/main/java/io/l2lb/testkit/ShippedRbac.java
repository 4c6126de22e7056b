package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs a shipped RBAC file ({@code manifests/<component>/rbac.yaml}) into a test namespace
 * instead of l2lb-system and returns a token of its ServiceAccount, so a test process runs with
 * exactly the shipped permissions. Cluster-scoped names get a suffix (tests sharing an API server
 * do not collide); a rule limited to the l2lb-system Namespace is limited to the test namespace.
 */
public final class ShippedRbac {
  private ShippedRbac() {}

  /**
   * {@link #install(KubernetesClient, String, String, String, String)} with the namespace as
   * suffix.
   */
  public static String install(
      KubernetesClient client, String file, String serviceAccount, String namespace) {
    return install(client, file, serviceAccount, namespace, namespace);
  }

  /**
   * @param file the RBAC file, relative to the repository root
   * @return a one-hour token of {@code serviceAccount} in {@code namespace}
   */
  public static String install(
      KubernetesClient client,
      String file,
      String serviceAccount,
      String namespace,
      String suffix) {
    try (InputStream in = Files.newInputStream(RepoRoot.get().resolve(file))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o.getMetadata().getNamespace() != null) {
          o.getMetadata().setNamespace(namespace);
        }
        if (o instanceof ClusterRole r) {
          r.getMetadata().setName(r.getMetadata().getName() + "-" + suffix);
          r.getRules().stream()
              .filter(rule -> rule.getResources().contains("namespaces"))
              .forEach(rule -> rule.setResourceNames(List.of(namespace)));
        }
        if (o instanceof ClusterRoleBinding b) {
          b.getMetadata().setName(b.getMetadata().getName() + "-" + suffix);
          b.getRoleRef().setName(b.getRoleRef().getName() + "-" + suffix);
          b.getSubjects().forEach(s -> s.setNamespace(namespace));
        }
        if (o instanceof RoleBinding b) {
          b.getSubjects().forEach(s -> s.setNamespace(namespace));
        }
        client.resource(o).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /**
   * A kubeconfig that authenticates with a bearer token (a ServiceAccount's, from a TokenRequest).
   */
  public static String kubeconfigYaml(String server, String caFile, String token) {
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: "
        + server
        + "\n    certificate-authority: "
        + caFile
        + "\nusers:\n- name: sa\n  user:\n    token: "
        + token
        + "\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: sa\n"
        + "current-context: lab\n";
  }

  /** {@link #kubeconfigYaml} written to {@code file} (its folder created). */
  public static Path kubeconfig(Path file, String server, String caFile, String token) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, kubeconfigYaml(server, caFile, token));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
