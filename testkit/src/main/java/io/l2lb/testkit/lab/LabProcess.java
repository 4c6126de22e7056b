package io.l2lb.testkit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running process in a lab namespace whose merged stdout/stderr is collected line by line,
 * so a test can wait for "READY" or inspect a capture afterwards.
 */
public final class LabProcess implements AutoCloseable {

  private final String label;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  LabProcess(String label, Process process) {
    this.label = label;
    this.process = process;
    this.reader = new Thread(this::pump, "lab-output-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // process gone
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public String output() {
    return String.join("\n", lines());
  }

  /**
   * Waits for a line matching {@code match}; fails with the output so far if none comes in time.
   */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        Optional<String> hit = lines.stream().filter(match).findFirst();
        if (hit.isPresent()) {
          return hit.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          throw new AssertionError(
              "no expected line from "
                  + label
                  + " within "
                  + timeout
                  + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
                  + "; output:\n"
                  + String.join("\n", lines));
        }
        try {
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  public String awaitLineStartingWith(String prefix, Duration timeout) {
    return awaitLine(l -> l.startsWith(prefix), timeout);
  }

  /**
   * SIGTERM, then SIGKILL if it has not exited within {@code grace}.
   *
   * @return how long it took to exit after SIGTERM
   */
  public Duration stop(Duration grace) {
    long start = System.nanoTime();
    if (process.isAlive()) {
      // SIGTERM ("ip netns exec" execs the command, so the pid is the command's own).
      // Through the handle: Process.destroy() would also close our end of the output
      // pipe and lose what the process prints while shutting down.
      process.toHandle().destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.toHandle().destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    try {
      reader.join(2000); // let the last lines in
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return took;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return label + " (pid " + process.pid() + ")";
  }
}
