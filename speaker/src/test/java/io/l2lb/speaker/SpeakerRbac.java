package io.l2lb.speaker;

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

/**
 * Installs the shipped {@code manifests/speaker/rbac.yaml} into a test namespace (instead of
 * l2lb-system; cluster-scoped names get a suffix so tests do not collide) and mints a token for its
 * ServiceAccount, so test speakers run with exactly the shipped permissions.
 */
public final class SpeakerRbac {

  private SpeakerRbac() {}

  /**
   * @return a one-hour token of the l2lb-speaker ServiceAccount in {@code namespace}
   */
  public static String install(KubernetesClient client, String namespace, String suffix) {
    try (InputStream in =
        Files.newInputStream(RepoRoot.get().resolve("manifests/speaker/rbac.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        if (o.getMetadata().getNamespace() != null) {
          o.getMetadata().setNamespace(namespace);
        }
        if (o instanceof ClusterRole) {
          o.getMetadata().setName(o.getMetadata().getName() + "-" + suffix);
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
        .withName("l2lb-speaker")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }
}
