package io.l2lb.core.validation;

/**
 * One thing wrong with user input. {@code field} is the path a user would edit (e.g. {@code
 * spec.addressPool[2]} or the annotation name); {@code message} says what is wrong and how to fix
 * it.
 */
public record Problem(Severity severity, String field, String message) {
  public enum Severity {
    ERROR,
    WARNING
  }

  public static Problem error(String field, String message) {
    return new Problem(Severity.ERROR, field, message);
  }

  public static Problem warning(String field, String message) {
    return new Problem(Severity.WARNING, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
