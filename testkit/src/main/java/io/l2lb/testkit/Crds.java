package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Loads CustomResourceDefinitions from YAML files and installs them into a cluster. */
public final class Crds {

  public static final String FIELD_MANAGER = "l2lb-testkit";

  private Crds() {}

  /** System property that points the tests at another CRD directory (e.g. to try a rule change). */
  public static final String DIR_PROPERTY = "l2lb.crd.dir";

  /** {@code -Dl2lb.crd.dir} if set, else {@code <repo root>/manifests/crds}. */
  public static Path repoCrdDir() {
    String override = System.getProperty(DIR_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Path.of(override).toAbsolutePath();
    }
    return RepoRoot.get().resolve("manifests").resolve("crds");
  }

  /** All {@code *.yml} / {@code *.yaml} files of {@code dir}, sorted; fails if there are none. */
  public static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "CRD directory "
              + dir
              + " does not exist; generate the CRDs first "
              + "(they are produced from the Java API types in core/)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".yml") || n.endsWith(".yaml");
                  })
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no *.yml CRD files in " + dir);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CustomResourceDefinition load(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      if (crd == null || crd.getMetadata() == null || crd.getMetadata().getName() == null) {
        throw new IllegalStateException(file + " is not a CustomResourceDefinition");
      }
      return crd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Server-side applies each file and waits until every CRD is Established and its resources can be
   * listed. Returns the CRDs as the server stored them.
   */
  public static List<CustomResourceDefinition> install(
      KubernetesClient client, List<Path> files, Duration timeout) {
    List<CustomResourceDefinition> applied = new ArrayList<>();
    for (Path f : files) {
      CustomResourceDefinition crd = load(client, f);
      try {
        applied.add(
            client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
      } catch (KubernetesClientException e) {
        throw new IllegalStateException("API server rejected CRD " + f + ":" + describe(e), e);
      }
    }
    List<CustomResourceDefinition> ready = new ArrayList<>();
    for (CustomResourceDefinition crd : applied) {
      ready.add(waitEstablished(client, crd.getMetadata().getName(), timeout));
    }
    return ready;
  }

  /** One line per cause of a rejected request ("field: message"), else the exception message. */
  static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status == null
        || status.getDetails() == null
        || status.getDetails().getCauses() == null
        || status.getDetails().getCauses().isEmpty()) {
      return " " + e.getMessage();
    }
    StringBuilder sb = new StringBuilder();
    for (StatusCause c : status.getDetails().getCauses()) {
      sb.append(System.lineSeparator())
          .append("  - ")
          .append(c.getField())
          .append(": ")
          .append(c.getMessage());
    }
    return sb.toString();
  }

  public static CustomResourceDefinition waitEstablished(
      KubernetesClient client, String name, Duration timeout) {
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(name)
            .waitUntilCondition(
                c -> c != null && isTrue(c, "Established") && isTrue(c, "NamesAccepted"),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    // Established means the handler is installed; make sure a list really goes through.
    Awaitility.await("resources of CRD " + name + " are served")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> resources(client, crd).list() != null);
    return crd;
  }

  static boolean isTrue(CustomResourceDefinition crd, String type) {
    if (crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return false;
    }
    for (CustomResourceDefinitionCondition c : crd.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** The storage version of a CRD (falls back to the first served one). */
  public static String storageVersion(CustomResourceDefinition crd) {
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    return versions.stream()
        .filter(v -> Boolean.TRUE.equals(v.getStorage()))
        .findFirst()
        .or(() -> versions.stream().filter(v -> Boolean.TRUE.equals(v.getServed())).findFirst())
        .orElseThrow(
            () ->
                new IllegalStateException("CRD " + crd.getMetadata().getName() + " has no version"))
        .getName();
  }

  public static ResourceDefinitionContext context(CustomResourceDefinition crd) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(crd.getSpec().getGroup())
        .withVersion(storageVersion(crd))
        .withKind(crd.getSpec().getNames().getKind())
        .withPlural(crd.getSpec().getNames().getPlural())
        .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
        .build();
  }

  /** Untyped access to the custom resources of a CRD (testkit does not depend on the API types). */
  public static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(KubernetesClient client, CustomResourceDefinition crd) {
    return client.genericKubernetesResources(context(crd));
  }
}
