package io.l2lb.cli.kube;

import io.l2lb.cli.CliError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads kubeconfig files the way kubectl does and resolves one context into what a request needs.
 *
 * <ul>
 *   <li>{@code --kubeconfig FILE}: that file only (it must exist);
 *   <li>else {@code KUBECONFIG}: a {@code :}-separated list, merged: for clusters, users and
 *       contexts the first file that names an entry wins, and the first file that sets {@code
 *       current-context} wins; files that do not exist are skipped;
 *   <li>else {@code ~/.kube/config};
 *   <li>else, inside a pod, the service account.
 * </ul>
 *
 * Relative file paths in a kubeconfig are relative to the file that holds them.
 */
public final class KubeConfig {

  /** Everything a request to one cluster needs. Byte arrays hold PEM text. */
  public record Access(
      String contextName,
      String server,
      byte[] caPem,
      boolean insecure,
      byte[] clientCertPem,
      byte[] clientKeyPem,
      String token,
      String username,
      String password,
      String namespace,
      Map<String, Object> exec) {}

  private final Map<String, Map<String, Object>> clusters = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> contexts = new LinkedHashMap<>();
  private final Map<Map<String, Object>, Path> origin = new java.util.IdentityHashMap<>();
  private String currentContext;
  private final List<Path> files = new ArrayList<>();

  private KubeConfig() {}

  /**
   * @param explicitFile {@code --kubeconfig}, or null
   * @param env the process environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST)
   */
  public static KubeConfig load(String explicitFile, Map<String, String> env) {
    KubeConfig c = new KubeConfig();
    if (explicitFile != null && !explicitFile.isBlank()) {
      Path p = Path.of(explicitFile);
      if (!Files.isRegularFile(p)) {
        throw CliError.usage("--kubeconfig " + explicitFile + ": no such file");
      }
      c.read(p);
      return c;
    }
    String list = env.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      for (String f : list.split(":")) {
        if (!f.isBlank() && Files.isRegularFile(Path.of(f))) {
          c.read(Path.of(f));
        }
      }
      return c;
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path def = Path.of(home, ".kube", "config");
    if (Files.isRegularFile(def)) {
      c.read(def);
    }
    return c;
  }

  public List<Path> files() {
    return files;
  }

  public String currentContext() {
    return currentContext;
  }

  public List<String> contextNames() {
    return new ArrayList<>(contexts.keySet());
  }

  @SuppressWarnings("unchecked")
  private void read(Path file) {
    Object doc;
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      doc =
          text.isBlank() ? Map.of() : new Load(LoadSettings.builder().build()).loadFromString(text);
    } catch (IOException e) {
      throw CliError.runtime("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw CliError.runtime("kubeconfig " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map)) {
      throw CliError.runtime("kubeconfig " + file + " is not a kubeconfig (no mapping at the top)");
    }
    files.add(file);
    Map<String, Object> m = (Map<String, Object>) doc;
    merge(m.get("clusters"), "cluster", clusters, file);
    merge(m.get("users"), "user", users, file);
    merge(m.get("contexts"), "context", contexts, file);
    Object cc = m.get("current-context");
    if (currentContext == null && cc instanceof String s && !s.isEmpty()) {
      currentContext = s;
    }
  }

  @SuppressWarnings("unchecked")
  private void merge(
      Object entries, String field, Map<String, Map<String, Object>> into, Path file) {
    if (!(entries instanceof List)) {
      return;
    }
    for (Object e : (List<Object>) entries) {
      if (e instanceof Map<?, ?> named && named.get("name") instanceof String name) {
        Object body = named.get(field);
        Map<String, Object> value = body instanceof Map ? (Map<String, Object>) body : Map.of();
        if (!into.containsKey(name)) {
          Map<String, Object> copy = new LinkedHashMap<>(value);
          into.put(name, copy);
          origin.put(copy, file);
        }
      }
    }
  }

  /**
   * Resolves a context (null: the current one) into request settings.
   *
   * @param namespaceOverride {@code -n}, or null for the context's namespace (else "default")
   */
  public Access resolve(String contextOverride, String namespaceOverride, Map<String, String> env) {
    if (files.isEmpty()) {
      String host = env.get("KUBERNETES_SERVICE_HOST");
      if (host != null && !host.isBlank()) {
        return inCluster(
            host, env.getOrDefault("KUBERNETES_SERVICE_PORT", "443"), namespaceOverride);
      }
      throw CliError.runtime(
          "no kubeconfig found: set KUBECONFIG, pass --kubeconfig FILE, or write ~/.kube/config");
    }
    String name =
        contextOverride != null && !contextOverride.isBlank() ? contextOverride : currentContext;
    if (name == null) {
      throw CliError.usage(
          "no current context in "
              + files
              + ": pass --context NAME (contexts: "
              + String.join(", ", contexts.keySet())
              + ")");
    }
    Map<String, Object> ctx = contexts.get(name);
    if (ctx == null) {
      throw CliError.usage(
          "context \""
              + name
              + "\" not found in "
              + files
              + " (contexts: "
              + String.join(", ", contexts.keySet())
              + ")");
    }
    String clusterName = (String) ctx.get("cluster");
    Map<String, Object> cluster = clusters.get(clusterName);
    if (cluster == null || !(cluster.get("server") instanceof String server)) {
      throw CliError.runtime(
          "context \"" + name + "\" names cluster \"" + clusterName + "\", which has no server");
    }
    Map<String, Object> user = users.getOrDefault(String.valueOf(ctx.get("user")), Map.of());
    String ns = namespaceOverride;
    if (ns == null || ns.isBlank()) {
      ns = ctx.get("namespace") instanceof String s && !s.isEmpty() ? s : "default";
    }
    Path clusterDir = dirOf(cluster);
    Path userDir = dirOf(user);
    @SuppressWarnings("unchecked")
    Map<String, Object> exec =
        user.get("exec") instanceof Map ? (Map<String, Object>) user.get("exec") : null;
    if (user.get("auth-provider") != null) {
      throw CliError.runtime(
          "user of context \""
              + name
              + "\" uses an auth-provider, which kubectl l2lb does not support: use an exec"
              + " credential plugin or a token");
    }
    String token = (String) user.get("token");
    if (token == null && user.get("tokenFile") instanceof String tf) {
      token = readString(userDir, tf).strip();
    }
    return new Access(
        name,
        server.endsWith("/") ? server.substring(0, server.length() - 1) : server,
        data(cluster, "certificate-authority", clusterDir),
        Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify")),
        data(user, "client-certificate", userDir),
        data(user, "client-key", userDir),
        token,
        (String) user.get("username"),
        (String) user.get("password"),
        ns,
        exec);
  }

  private Path dirOf(Map<String, Object> entry) {
    Path f = origin.get(entry);
    return f == null || f.toAbsolutePath().getParent() == null
        ? Path.of(".")
        : f.toAbsolutePath().getParent();
  }

  /** {@code <key>-data} (base64) or {@code <key>} (a file). */
  private static byte[] data(Map<String, Object> m, String key, Path dir) {
    Object inline = m.get(key + "-data");
    if (inline instanceof String s && !s.isBlank()) {
      return Base64.getMimeDecoder().decode(s.strip());
    }
    Object file = m.get(key);
    if (file instanceof String f && !f.isBlank()) {
      return readString(dir, f).getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  private static String readString(Path dir, String file) {
    Path p = dir.resolve(file);
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliError.runtime("cannot read " + p + " (named in the kubeconfig): " + e.getMessage());
    }
  }

  private static Access inCluster(String host, String port, String namespaceOverride) {
    Path sa = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    String ns = namespaceOverride;
    try {
      if (ns == null || ns.isBlank()) {
        ns = Files.readString(sa.resolve("namespace")).strip();
      }
      return new Access(
          "in-cluster",
          "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port,
          Files.readAllBytes(sa.resolve("ca.crt")),
          false,
          null,
          null,
          Files.readString(sa.resolve("token")).strip(),
          null,
          null,
          ns,
          null);
    } catch (IOException e) {
      throw CliError.runtime(
          "no kubeconfig and no service account to fall back on: " + e.getMessage());
    }
  }
}
