package io.l2lb.cli;

/**
 * A failure with a one-line message for the user and the exit code it maps to (cli/README.md): 1
 * runtime error, 2 usage, 3 validation findings. {@link Main}'s one handler prints it.
 */
public class CliError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int RUNTIME = 1;
  public static final int USAGE = 2;
  public static final int FINDINGS = 3;

  private final int exitCode;

  public CliError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliError(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static CliError usage(String message) {
    return new CliError(USAGE, message);
  }

  public static CliError runtime(String message) {
    return new CliError(RUNTIME, message);
  }

  public static CliError runtime(String message, Throwable cause) {
    return new CliError(RUNTIME, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
