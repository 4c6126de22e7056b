package io.l2lb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The part of kustomize that {@code manifests/kustomization.yaml} uses, so that {@code kubectl l2lb
 * install} applies the same objects as {@code kubectl apply -k manifests/}: {@code resources}
 * (files, in order) and {@code images} (name, newName, newTag, digest). Any other field is refused
 * with a message (the build's tests read the bundled file, so such a change fails there first):
 * silently ignoring a patch would ship something else than {@code -k} does.
 */
public record Kustomization(List<String> resources, List<Image> images) {

  static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "images");

  /** One {@code images:} entry. */
  public record Image(String name, String newName, String newTag, String digest) {
    /** The image reference this entry makes of {@code image}, or null when it does not match. */
    String rewrite(String image) {
      Ref r = Ref.parse(image);
      if (!r.name().equals(name)) {
        return null;
      }
      String n = newName == null ? r.name() : newName;
      if (newTag != null || digest != null) {
        // kustomize: both set make name:tag@digest
        return n + (newTag == null ? "" : ":" + newTag) + (digest == null ? "" : "@" + digest);
      }
      return n + r.suffix();
    }
  }

  /** An image reference split as kustomize matches it: name, and ":tag" / "@digest" suffix. */
  record Ref(String name, String suffix) {
    static Ref parse(String image) {
      int at = image.indexOf('@');
      String digest = at >= 0 ? image.substring(at) : "";
      String rest = at >= 0 ? image.substring(0, at) : image;
      int slash = rest.lastIndexOf('/');
      int colon = rest.lastIndexOf(':');
      return colon > slash
          ? new Ref(rest.substring(0, colon), rest.substring(colon) + digest)
          : new Ref(rest, digest);
    }
  }

  /** Reads a kustomization; {@code where} names it in messages. */
  public static Kustomization parse(String yaml, String where) {
    Object loaded = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    if (!(loaded instanceof Map<?, ?> k)) {
      throw new IllegalStateException(where + ": not a kustomization (expected a mapping)");
    }
    for (Object key : k.keySet()) {
      if (!KNOWN.contains(String.valueOf(key))) {
        throw new IllegalStateException(
            where
                + ": `"
                + key
                + "` is not supported by kubectl l2lb install (it reads resources and images"
                + " only); teach io.l2lb.cli.Kustomization that field, or leave it out");
      }
    }
    List<String> resources = new ArrayList<>();
    if (k.get("resources") instanceof List<?> list) {
      for (Object r : list) {
        String f = String.valueOf(r);
        if (!(f.endsWith(".yaml") || f.endsWith(".yml")) || f.contains("://")) {
          throw new IllegalStateException(
              where + ": resource " + f + " is not a YAML file (directories and URLs unsupported)");
        }
        resources.add(f.startsWith("./") ? f.substring(2) : f);
      }
    }
    if (resources.isEmpty()) {
      throw new IllegalStateException(where + ": no resources");
    }
    List<Image> images = new ArrayList<>();
    if (k.get("images") instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m) || m.get("name") == null) {
          throw new IllegalStateException(where + ": an images entry without a name: " + o);
        }
        for (Object key : m.keySet()) {
          if (!Set.of("name", "newName", "newTag", "digest").contains(String.valueOf(key))) {
            throw new IllegalStateException(
                where + ": images entry " + m.get("name") + ": `" + key + "` is not supported");
          }
        }
        images.add(
            new Image(
                String.valueOf(m.get("name")),
                str(m, "newName"),
                str(m, "newTag"),
                str(m, "digest")));
      }
    }
    return new Kustomization(List.copyOf(resources), List.copyOf(images));
  }

  private static String str(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }

  /** The image {@code image} becomes (the first matching entry, as kustomize does). */
  public String image(String image) {
    for (Image i : images) {
      String out = i.rewrite(image);
      if (out != null) {
        return out;
      }
    }
    return image;
  }

  /**
   * A copy of {@code object} with every {@code containers[].image} and {@code
   * initContainers[].image} (at any depth: pod templates, CronJob job templates) rewritten.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> transform(Map<String, Object> object) {
    return (Map<String, Object>) copy(object, null);
  }

  private Object copy(Object value, String key) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      boolean container = "containers".equals(key) || "initContainers".equals(key);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        Object v = e.getValue();
        if (container && "image".equals(k) && v instanceof String s) {
          out.put(k, image(s));
        } else {
          out.put(k, copy(v, k));
        }
      }
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        // a list's items belong to the list's key: containers: [{image: ...}]
        out.add(copy(o, key));
      }
      return out;
    }
    return value;
  }

  /** Every container image an object names (after {@link #transform}), in order. */
  public static List<String> imagesOf(Object value) {
    List<String> out = new ArrayList<>();
    collect(value, null, out);
    return out;
  }

  private static void collect(Object value, String key, List<String> out) {
    if (value instanceof Map<?, ?> m) {
      boolean container = "containers".equals(key) || "initContainers".equals(key);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (container && "image".equals(k)) {
          out.add(Objects.toString(e.getValue()));
        } else {
          collect(e.getValue(), k, out);
        }
      }
    } else if (value instanceof List<?> l) {
      for (Object o : l) {
        collect(o, key, out);
      }
    }
  }
}
