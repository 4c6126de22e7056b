package io.l2lb.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.l2lb.core.Names;
import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped manifests say what the issue asks for (the E2E runs them for real: RBAC and JVM
 * flags).
 */
class SpeakerManifestsTest {

  static List<HasMetadata> load(String file) throws IOException {
    String text = Files.readString(RepoRoot.get().resolve("manifests/speaker").resolve(file));
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : text.split("(?m)^---$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        out.add(Serialization.unmarshal(doc));
      }
    }
    return out;
  }

  @Test
  void daemonSetRunsOnMemberNodesInTheHostNetworkWithOnlyNetRaw() throws IOException {
    DaemonSet ds = (DaemonSet) load("daemonset.yaml").get(0);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry(Names.Labels.MEMBER, "true"));
    assertThat(pod.getServiceAccountName()).isEqualTo("l2lb-speaker");
    Container c = pod.getContainers().get(0);
    var sc = c.getSecurityContext();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactly("NET_RAW");
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getRunAsUser())
        .as("added capabilities reach the effective set only for uid 0")
        .isZero();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getPorts()).anyMatch(p -> p.getContainerPort() == 7472);
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("NODE_NAME")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName"));
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("POD_NAMESPACE")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
    String flags =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow();
    assertThat(Arrays.asList(flags.split("\\s+")))
        .contains("-XX:+UseSerialGC", "-Xss256k", "-XX:TieredStopAtLevel=1");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getVolumes()).anyMatch(v -> v.getEmptyDir() != null);
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    // `kubectl l2lb version` reads the speaker's version from its pods
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(
            Names.Components.VERSION_LABEL,
            c.getImage().substring(c.getImage().lastIndexOf(':') + 1));
  }

  @Test
  void rbacGrantsWhatTheSpeakerUsesAndNoMore() throws IOException {
    List<HasMetadata> objects = load("rbac.yaml");
    ClusterRole cr =
        objects.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(verbs(cr.getRules(), "l2announcements"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(cr.getRules(), "l2announcements/status")).containsExactly("patch");
    assertThat(verbs(cr.getRules(), "metalloadbalancerclasses"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(cr.getRules(), "nodes")).containsExactly("get");
    assertThat(verbs(cr.getRules(), "events")).containsExactly("create");
    assertThat(verbs(cr.getRules(), "leases"))
        .as("leases only through the namespaced Role")
        .isEmpty();
    Role role =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(role.getMetadata().getNamespace()).isEqualTo("l2lb-system");
    assertThat(verbs(role.getRules(), "leases"))
        .as("create, renew by merge patch, delete on SIGTERM: never get or update")
        .containsExactlyInAnyOrder("create", "patch", "delete");
    assertThat(cr.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).doesNotContain("*"));
  }

  static List<String> verbs(List<PolicyRule> rules, String resource) {
    return rules.stream()
        .filter(r -> r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .toList();
  }
}
