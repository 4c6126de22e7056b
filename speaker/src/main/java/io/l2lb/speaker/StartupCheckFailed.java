package io.l2lb.speaker;

/** A start-up check failed: the message says what and how to fix it, the code how to exit. */
public final class StartupCheckFailed extends RuntimeException {

  private final ExitCode exitCode;

  public StartupCheckFailed(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public StartupCheckFailed(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
