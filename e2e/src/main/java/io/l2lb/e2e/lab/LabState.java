package io.l2lb.e2e.lab;

import io.l2lb.testkit.lab.NetnsLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a lab keeps its state ({@code /tmp/l2lb-lab-<name>}: control-plane data, certificates,
 * kubeconfigs, logs), and how a new lab removes what a killed earlier one of the same name left
 * behind: processes whose command line names the state folder (etcd, kube-apiserver, operators) or
 * that live in its network namespaces (speakers, HTTP servers, the client), then the namespaces
 * themselves.
 */
public final class LabState {
  private LabState() {}

  public static Path dir(String labName) {
    return Path.of(System.getProperty("java.io.tmpdir"), "l2lb-lab-" + labName);
  }

  /** Network-namespace prefix of the lab called {@code labName}. */
  public static String netnsPrefix(String labName) {
    return "l2lb" + labName.substring(0, Math.min(5, labName.length()));
  }

  /** Removes an earlier run's leftovers; returns what it removed, for the log. */
  public static List<String> removeStale(String labName) {
    List<String> removed = new ArrayList<>();
    Path dir = dir(labName);
    String marker = dir.toString() + "/";
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String pid = p.getFileName().toString();
        if (!pid.matches("\\d+") || Long.parseLong(pid) == self) {
          continue;
        }
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue; // gone meanwhile, or not ours to read
        }
        if (cmdline.contains(marker)) {
          ProcessHandle.of(Long.parseLong(pid))
              .ifPresent(
                  h -> {
                    h.destroyForcibly();
                    try {
                      h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                      // reported below as removed anyway: SIGKILL cannot be refused
                    }
                    removed.add("process " + pid + " (" + cmdline.split("\0")[0] + ")");
                  });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String ns : NetnsLab.removeStale(netnsPrefix(labName))) {
      removed.add("namespace " + ns);
    }
    return removed;
  }
}
