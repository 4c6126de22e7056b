package io.l2lb.kind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the suite drives (kind, kubectl) with a time limit. */
final class Commands {
  private Commands() {}

  /** What a finished command printed (stdout and stderr merged) and its exit code. */
  record Result(List<String> command, int exitCode, String output) {
    Result orFail() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  /**
   * Runs {@code command}; with {@code echoPrefix} non-null every output line is also printed with
   * that prefix as it comes (progress of long steps), else only collected.
   */
  static Result run(List<String> command, Duration limit, String echoPrefix) {
    return run(command, Map.of(), limit, echoPrefix);
  }

  /** {@link #run(List, Duration, String)} with {@code env} added to this process's environment. */
  static Result run(
      List<String> command, Map<String, String> env, Duration limit, String echoPrefix) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    StringBuilder out = new StringBuilder();
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                      out.append(line).append('\n');
                    }
                    if (echoPrefix != null) {
                      System.out.println(echoPrefix + line);
                    }
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "output of " + command.get(0));
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish within " + limit + ":\n" + out);
      }
      reader.join(5_000);
      synchronized (out) {
        return new Result(command, p.exitValue(), out.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
