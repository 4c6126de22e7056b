package io.l2lb.cli.kube;

import io.l2lb.cli.CliError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The CLI's REST client: JSON over HTTP/1.1 ({@link Http1}), with the kubeconfig's TLS and
 * credentials. Deliberately small: every command's requests are plain GET/POST/PATCH/DELETE on
 * known paths, and a cold JVM pays for each class it loads (docs/cli-startup.md).
 */
public final class Api {
  public static final String JSON = "application/json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  private final KubeConfig.Access access;
  private final Duration timeout;
  private final String userAgent;
  private Http1 http;
  private String bearer;

  public Api(KubeConfig.Access access, Duration timeout, String userAgent) {
    this.access = access;
    this.timeout = timeout;
    this.userAgent = userAgent;
  }

  public KubeConfig.Access access() {
    return access;
  }

  public String namespace() {
    return access.namespace();
  }

  public String server() {
    return access.server();
  }

  private synchronized Http1 http() {
    if (http == null) {
      KubeConfig.Access a = access;
      if (a.exec() != null && a.token() == null) {
        ExecCredential.Result r = ExecCredential.run(a.contextName(), a.exec());
        a =
            new KubeConfig.Access(
                a.contextName(),
                a.server(),
                a.caPem(),
                a.insecure(),
                r.clientCertPem() != null ? r.clientCertPem() : a.clientCertPem(),
                r.clientKeyPem() != null ? r.clientKeyPem() : a.clientKeyPem(),
                r.token(),
                a.username(),
                a.password(),
                a.namespace(),
                null);
      }
      URI uri;
      try {
        uri = URI.create(a.server());
      } catch (IllegalArgumentException e) {
        throw CliError.runtime(
            "server " + a.server() + " of context \"" + a.contextName() + "\" is not a URL");
      }
      if (uri.getHost() == null) {
        throw CliError.runtime(
            "server " + a.server() + " of context \"" + a.contextName() + "\" is not a URL");
      }
      if (a.token() != null) {
        bearer = "Bearer " + a.token();
      } else if (a.username() != null) {
        bearer =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (a.username() + ":" + (a.password() == null ? "" : a.password()))
                            .getBytes(StandardCharsets.UTF_8));
      }
      http =
          new Http1(
              uri, "https".equals(uri.getScheme()) ? Tls.context(a) : null, !a.insecure(), timeout);
    }
    return http;
  }

  /** Closes the connection (the process may also just exit). */
  public synchronized void close() {
    if (http != null) {
      http.close();
    }
  }

  public Map<String, Object> get(String path) {
    return Json.parseObject(send("GET", path, null, null));
  }

  /** GET that answers null for a 404 about the object itself. */
  public Map<String, Object> getOrNull(String path) {
    try {
      return get(path);
    } catch (ApiException e) {
      if (e.objectNotFound()) {
        return null;
      }
      throw e;
    }
  }

  public List<Map<String, Object>> list(String path) {
    return Json.items(get(path));
  }

  public Map<String, Object> post(String path, Object body) {
    return Json.parseObject(send("POST", path, Json.write(body), JSON));
  }

  public Map<String, Object> put(String path, Object body) {
    return Json.parseObject(send("PUT", path, Json.write(body), JSON));
  }

  public Map<String, Object> mergePatch(String path, Object patch) {
    return Json.parseObject(send("PATCH", path, Json.write(patch), MERGE_PATCH));
  }

  /** Server-side apply of one YAML or JSON document. */
  public Map<String, Object> apply(String path, String document) {
    return Json.parseObject(send("PATCH", path, document, APPLY_PATCH));
  }

  public Map<String, Object> delete(String path) {
    return Json.parseObject(send("DELETE", path, null, null));
  }

  /**
   * Streams {@code ?watch=1} events ({type, object}) to {@code onEvent} until it returns false or
   * the server closes the stream (then returns normally).
   */
  public void watch(String path, Predicate<Map<String, Object>> onEvent) {
    String sep = path.contains("?") ? "&" : "?";
    String full = path + sep + "watch=1";
    Http1.Response resp;
    try {
      resp = http().send("GET", full, headers(null), null, null);
    } catch (IOException e) {
      throw unreachable(e);
    }
    try (InputStream in = resp.body();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      if (resp.status() / 100 != 2) {
        throw error(resp.status(), "GET", path, resp.text());
      }
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !onEvent.test(Json.parseObject(line))) {
          return;
        }
      }
    } catch (IOException e) {
      throw CliError.runtime("watch of " + path + " broke: " + e.getMessage(), e);
    } finally {
      close(); // a watch connection cannot carry another request
      http = null;
    }
  }

  private Map<String, String> headers(String contentType) {
    Http1 h = http();
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("Accept", JSON);
    m.put("User-Agent", userAgent);
    if (contentType != null) {
      m.put("Content-Type", contentType);
    }
    if (bearer != null) {
      m.put("Authorization", bearer);
    }
    return m;
  }

  private String send(String method, String path, String body, String contentType) {
    try {
      Map<String, String> h = headers(contentType);
      Http1.Response resp =
          http()
              .send(
                  method,
                  path,
                  h,
                  body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                  timeout);
      String text;
      try (InputStream in = resp.body()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (resp.status() / 100 != 2) {
        throw error(resp.status(), method, path, text);
      }
      return text;
    } catch (IOException e) {
      close();
      http = null;
      throw unreachable(e);
    }
  }

  private static ApiException error(int code, String method, String path, String body) {
    Map<String, Object> status = null;
    if (body != null && body.startsWith("{")) {
      try {
        Map<String, Object> m = Json.parseObject(body);
        if ("Status".equals(m.get("kind"))) {
          status = m;
        }
      } catch (IllegalArgumentException ignored) {
        // not JSON after all: keep the text
      }
    }
    return new ApiException(code, method, path, body, status);
  }

  private CliError unreachable(IOException e) {
    String why;
    if (e instanceof java.net.SocketTimeoutException) {
      why = "no answer within " + timeout.toMillis() / 1000.0 + "s (--request-timeout)";
    } else if (e instanceof ConnectException) {
      why = "connection refused";
    } else if (e instanceof java.net.UnknownHostException) {
      why = "unknown host " + e.getMessage();
    } else if (e instanceof javax.net.ssl.SSLException) {
      why = "TLS failed: " + e.getMessage();
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return CliError.runtime(
        "cannot reach the API server "
            + access.server()
            + " (context \""
            + access.contextName()
            + "\"): "
            + why
            + "; is the cluster up, and are --context/--kubeconfig right?",
        e);
  }

  /** Percent-encodes a label selector or field value for a query string. */
  public static String query(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Joins path segments. */
  public static String path(String... parts) {
    List<String> p = new ArrayList<>();
    for (String s : parts) {
      if (s != null) {
        p.add(s);
      }
    }
    return String.join("/", p);
  }
}
