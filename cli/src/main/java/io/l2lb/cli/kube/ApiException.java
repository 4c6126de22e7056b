package io.l2lb.cli.kube;

import java.util.List;
import java.util.Map;

/** A non-2xx answer of the API server, with its {@code Status} object when it sent one. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String method;
  private final String path;
  private final transient Map<String, Object> status;

  ApiException(int code, String method, String path, String body, Map<String, Object> status) {
    super(message(code, body, status));
    this.code = code;
    this.method = method;
    this.path = path;
    this.status = status;
  }

  private static String message(int code, String body, Map<String, Object> status) {
    if (status != null && status.get("message") instanceof String m && !m.isEmpty()) {
      return m;
    }
    String b = body == null ? "" : body.strip();
    return b.isEmpty() ? "HTTP " + code : b;
  }

  public int code() {
    return code;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** {@code Status.reason}: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, ... */
  public String reason() {
    return status == null ? null : Json.str(status, "reason");
  }

  /**
   * A 404 about a named object (the Status names it), as opposed to a 404 for a resource type the
   * server does not serve (a CRD that is not installed), which comes without details.
   */
  public boolean objectNotFound() {
    return code == 404 && status != null && Json.str(status, "details", "name") != null;
  }

  /** The causes of a 422 Invalid: "field: message" each. */
  public List<String> causes() {
    if (status == null) {
      return List.of();
    }
    return Json.list(status, "details", "causes").stream()
        .map(
            c -> {
              String f = Json.str(c, "field");
              String m = Json.str(c, "message");
              return f == null || f.isEmpty() ? m : f + ": " + m;
            })
        .toList();
  }
}
