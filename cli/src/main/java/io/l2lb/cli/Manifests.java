package io.l2lb.cli;

import io.l2lb.cli.kube.Json;
import io.l2lb.core.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests bundled in the jar: a copy of the repository's manifests/ made at build time
 * (BundledManifestsTest checks the two are equal), applied in the documented order.
 */
public final class Manifests {
  private Manifests() {}

  public static final String ROOT = "io/l2lb/cli/manifests/";

  /** One object of one file. */
  public record Doc(String file, Map<String, Object> object, String yaml) {
    public String kind() {
      return Json.str(object, "kind");
    }

    public String name() {
      return Json.str(object, "metadata", "name");
    }

    public String namespace() {
      return Json.str(object, "metadata", "namespace");
    }

    public String ref() {
      return kind().toLowerCase(Locale.ROOT) + "/" + name();
    }
  }

  /**
   * Apply order: Namespace; CRDs (the installer waits for Established); RBAC; everything else;
   * workloads last. Within a step, by file and position.
   */
  static int rank(String kind) {
    return switch (kind) {
      case "Namespace" -> 0;
      case "CustomResourceDefinition" -> 1;
      case "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding" -> 2;
      case "Deployment", "DaemonSet", "StatefulSet" -> 4;
      default -> 3;
    };
  }

  /** Relative paths (e.g. crds/x.yml) of the bundled files, sorted. */
  public static List<String> files() {
    // the build's index (also where resource directories cannot be listed: a native image)
    try (InputStream in =
        Manifests.class.getClassLoader().getResourceAsStream("io/l2lb/cli/manifests.index")) {
      if (in != null) {
        List<String> out = new ArrayList<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
          String f = line.strip().replace('\\', '/');
          if (!f.isEmpty() && isManifest(f)) {
            out.add(f);
          }
        }
        out.sort(Comparator.naturalOrder());
        return out;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    URL url = Manifests.class.getClassLoader().getResource(ROOT);
    if (url == null) {
      throw CliError.runtime("this kubectl-l2lb build has no bundled manifests (" + ROOT + ")");
    }
    List<String> out = new ArrayList<>();
    try {
      if ("jar".equals(url.getProtocol())) {
        String spec = url.getPath();
        String jarPath = spec.substring("file:".length(), spec.indexOf("!/"));
        try (JarFile jar =
            new JarFile(java.net.URLDecoder.decode(jarPath, StandardCharsets.UTF_8))) {
          Enumeration<JarEntry> e = jar.entries();
          while (e.hasMoreElements()) {
            String n = e.nextElement().getName();
            if (n.startsWith(ROOT) && isManifest(n)) {
              out.add(n.substring(ROOT.length()));
            }
          }
        }
      } else {
        Path root = Path.of(url.toURI());
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString().replace('\\', '/'))
              .filter(Manifests::isManifest)
              .forEach(out::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static boolean isManifest(String n) {
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  public static String text(String file) {
    try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled manifest " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundled manifests/kustomization.yaml: which files install applies, and their images. */
  public static Kustomization kustomization() {
    return Kustomization.parse(text(KUSTOMIZATION), "manifests/" + KUSTOMIZATION);
  }

  public static final String KUSTOMIZATION = "kustomization.yaml";

  /**
   * Every object of the kustomization's resources (its order, then sorted into apply order), with
   * its images as the kustomization sets them.
   */
  public static List<Doc> docs() {
    return docs(kustomization(), files(), Manifests::text);
  }

  /** The same from a directory laid out as manifests/ (tests compare it with kustomize's). */
  static List<Doc> docs(Path dir) {
    java.util.function.Function<String, String> read =
        f -> {
          try {
            return Files.readString(dir.resolve(f));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Kustomization k = Kustomization.parse(read.apply(KUSTOMIZATION), dir + "/" + KUSTOMIZATION);
    return docs(
        k, k.resources().stream().filter(f -> Files.isRegularFile(dir.resolve(f))).toList(), read);
  }

  @SuppressWarnings("unchecked")
  private static List<Doc> docs(
      Kustomization k, List<String> bundled, java.util.function.Function<String, String> read) {
    List<Doc> docs = new ArrayList<>();
    for (String f : k.resources()) {
      if (!bundled.contains(f)) {
        throw new IllegalStateException(
            "manifests/" + KUSTOMIZATION + " names " + f + ", which this build does not bundle");
      }
      String text = read.apply(f);
      for (String part : text.split("(?m)^---\\s*$")) {
        Object o =
            new Load(LoadSettings.builder().build()).loadFromString(part.isBlank() ? "{}" : part);
        if (o instanceof Map<?, ?> m && m.get("kind") != null) {
          Map<String, Object> raw = (Map<String, Object>) m;
          Map<String, Object> object = k.transform(raw);
          docs.add(new Doc(f, object, yamlOf(part, raw, object)));
        }
      }
    }
    List<Doc> sorted = new ArrayList<>(docs);
    sorted.sort(Comparator.comparingInt((Doc d) -> rank(d.kind())));
    return sorted;
  }

  /**
   * The document as YAML: the file's own text (comments kept) when the kustomization changed
   * nothing, else the text with the changed {@code image:} values replaced (checked by parsing it
   * back), else the object rendered anew.
   */
  static String yamlOf(String part, Map<String, Object> raw, Map<String, Object> object) {
    String text = part.strip() + "\n";
    if (object.equals(raw)) {
      return text;
    }
    List<String> before = Kustomization.imagesOf(raw);
    List<String> after = Kustomization.imagesOf(object);
    String edited = text;
    for (int i = 0; i < before.size() && i < after.size(); i++) {
      if (!before.get(i).equals(after.get(i))) {
        edited =
            edited.replaceAll(
                "(?m)^([ \\t]*(?:-[ \\t]+)?image:[ \\t]*)[\"']?"
                    + java.util.regex.Pattern.quote(before.get(i))
                    + "[\"']?[ \\t]*$",
                "$1" + java.util.regex.Matcher.quoteReplacement(after.get(i)));
      }
    }
    Object back = new Load(LoadSettings.builder().build()).loadFromString(edited);
    return object.equals(back) ? edited : io.l2lb.cli.out.Printer.yaml(object);
  }

  /**
   * The bundle declares the namespace itself (the operator's manifests do); else the installer
   * makes it.
   */
  public static boolean hasNamespace(List<Doc> docs) {
    return docs.stream()
        .anyMatch(d -> "Namespace".equals(d.kind()) && Names.Components.NAMESPACE.equals(d.name()));
  }

  /** REST path of an object (its collection when {@code named} is false). */
  public static String path(Map<String, Object> o) {
    String apiVersion = Json.str(o, "apiVersion");
    String kind = Json.str(o, "kind");
    String ns = Json.str(o, "metadata", "namespace");
    String name = Json.str(o, "metadata", "name");
    String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String plural = plural(kind);
    boolean clusterScoped =
        List.of(
                "Namespace",
                "CustomResourceDefinition",
                "ClusterRole",
                "ClusterRoleBinding",
                "PriorityClass",
                "ValidatingWebhookConfiguration",
                "MutatingWebhookConfiguration",
                "MetalLoadBalancerClass")
            .contains(kind);
    String nsPart =
        clusterScoped ? "" : "/namespaces/" + (ns == null ? Names.Components.NAMESPACE : ns);
    return base + nsPart + "/" + plural + "/" + name;
  }

  static String plural(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.endsWith("s")) {
      return k + "es";
    }
    if (k.endsWith("y")) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    return k + "s";
  }
}
