package io.l2lb.speaker.kube;

/** Log text for client failures: fabric8's message says which call failed, the root cause why. */
final class Errors {

  private Errors() {}

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = t.getMessage() != null ? t.getMessage().trim() : t.getClass().getSimpleName();
    return root == t ? first : first + " (" + root + ")";
  }
}
