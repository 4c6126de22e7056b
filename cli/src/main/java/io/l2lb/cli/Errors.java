package io.l2lb.cli;

import io.l2lb.cli.kube.ApiException;

/** One line for an API failure, naming the fix where there is one. */
public final class Errors {
  private Errors() {}

  public static final String NOT_INSTALLED =
      "l2lb is not installed here: run `kubectl l2lb install`";

  public static String describe(ApiException e) {
    String path = e.path() == null ? "" : e.path();
    boolean ours =
        path.contains("/network.deckhouse.io/") || path.contains("/internal.network.deckhouse.io/");
    return switch (e.code()) {
      case 401 ->
          "the API server rejected the credentials (401 Unauthorized): "
              + e.getMessage()
              + "; log in again or pick another --context";
      case 403 ->
          "forbidden: "
              + e.getMessage()
              + "; ask your cluster admin for this permission or use another --context";
      case 404 -> {
        if (!e.objectNotFound() && ours) {
          yield NOT_INSTALLED;
        }
        yield e.getMessage();
      }
      case 409 -> e.getMessage();
      case 422 -> {
        var causes = e.causes();
        yield causes.isEmpty()
            ? e.getMessage()
            : "the API server refused it: " + String.join("; ", causes);
      }
      default ->
          "the API server answered "
              + e.code()
              + " to "
              + e.method()
              + " "
              + path
              + ": "
              + e.getMessage();
    };
  }
}
