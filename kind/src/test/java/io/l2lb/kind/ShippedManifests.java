package io.l2lb.kind;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The Kubernetes objects in {@code manifests/} (every YAML file, every document). */
final class ShippedManifests {

  /** One object and the file it came from. */
  record Entry(Path file, HasMetadata object) {}

  /** A pod template of a workload, with where it came from. */
  record Template(Path file, String kind, String name, PodTemplateSpec template) {}

  private final Path dir;
  private final List<Entry> entries;

  private ShippedManifests(Path dir, List<Entry> entries) {
    this.dir = dir;
    this.entries = entries;
  }

  static ShippedManifests load(Path repoRoot) {
    Path dir = repoRoot.resolve("manifests");
    List<Entry> entries = new ArrayList<>();
    for (Path file : yamlFiles(dir)) {
      if (isKustomization(file)) {
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        Object parsed = Serialization.unmarshal(in);
        addAll(file, parsed, entries);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
      }
    }
    return new ShippedManifests(dir, List.copyOf(entries));
  }

  private static void addAll(Path file, Object parsed, List<Entry> into) {
    if (parsed instanceof KubernetesList list) {
      list.getItems().forEach(o -> into.add(new Entry(file, o)));
    } else if (parsed instanceof List<?> list) {
      list.forEach(o -> addAll(file, o, into));
    } else if (parsed instanceof HasMetadata o) {
      into.add(new Entry(file, o));
    }
  }

  List<Entry> entries() {
    return entries;
  }

  /** Pod templates of every workload (DaemonSet, Deployment, StatefulSet, Job). */
  List<Template> podTemplates() {
    List<Template> out = new ArrayList<>();
    for (Entry e : entries) {
      HasMetadata o = e.object();
      PodTemplateSpec t = null;
      if (o instanceof DaemonSet d) {
        t = d.getSpec().getTemplate();
      } else if (o instanceof Deployment d) {
        t = d.getSpec().getTemplate();
      } else if (o instanceof StatefulSet s) {
        t = s.getSpec().getTemplate();
      } else if (o instanceof Job j) {
        t = j.getSpec().getTemplate();
      }
      if (t != null) {
        out.add(
            new Template(e.file(), e.object().getKind(), e.object().getMetadata().getName(), t));
      }
    }
    return out;
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return entries.stream()
        .map(Entry::object)
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst();
  }

  /**
   * The {@code images:} list of every kustomization file under manifests/ (the packaging's one
   * place for overriding names and tags), as maps with name / newName / newTag.
   */
  List<Map<String, Object>> kustomizationImages() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path file : yamlFiles(dir)) {
      if (!isKustomization(file)) {
        continue;
      }
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> k = Serialization.unmarshal(Files.readString(file), Map.class);
        Object images = k == null ? null : k.get("images");
        if (images instanceof List<?> list) {
          for (Object i : list) {
            if (i instanceof Map<?, ?> m) {
              @SuppressWarnings("unchecked")
              Map<String, Object> entry = (Map<String, Object>) m;
              out.add(entry);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static boolean isKustomization(Path file) {
    String n = file.getFileName().toString();
    return n.equals("kustomization.yaml") || n.equals("kustomization.yml");
  }

  private static List<Path> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no manifests directory at " + dir);
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
