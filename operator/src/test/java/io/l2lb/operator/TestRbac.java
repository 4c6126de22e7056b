package io.l2lb.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs a shipped RBAC file into a test namespace instead of l2lb-system (cluster-scoped names
 * get the namespace as suffix; a rule limited to the l2lb-system Namespace is limited to the test
 * namespace instead) and returns a token of its ServiceAccount, so a test process runs with exactly
 * the shipped permissions.
 */
public final class TestRbac {
  private TestRbac() {}

  public static String install(
      KubernetesClient client, String file, String serviceAccount, String namespace) {
    try (InputStream in = Files.newInputStream(RepoRoot.get().resolve(file))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o.getMetadata().getNamespace() != null) {
          o.getMetadata().setNamespace(namespace);
        }
        if (o instanceof ClusterRole r) {
          r.getMetadata().setName(r.getMetadata().getName() + "-" + namespace);
          r.getRules().stream()
              .filter(rule -> rule.getResources().contains("namespaces"))
              .forEach(rule -> rule.setResourceNames(List.of(namespace)));
        }
        if (o instanceof ClusterRoleBinding b) {
          b.getMetadata().setName(b.getMetadata().getName() + "-" + namespace);
          b.getRoleRef().setName(b.getRoleRef().getName() + "-" + namespace);
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

  /** A kubeconfig file that authenticates with a bearer token. */
  public static Path kubeconfig(Path file, String server, String caFile, String token) {
    String yaml =
        "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: "
            + server
            + "\n    certificate-authority: "
            + caFile
            + "\nusers:\n- name: sa\n  user:\n    token: "
            + token
            + "\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: sa\n"
            + "current-context: lab\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
