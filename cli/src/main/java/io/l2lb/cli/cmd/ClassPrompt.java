package io.l2lb.cli.cmd;

import io.l2lb.cli.CliError;
import io.l2lb.cli.Cluster;
import io.l2lb.cli.Ctx;
import io.l2lb.cli.kube.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive part of {@code create class}: asks for what the command line left out, checks
 * each pool entry as it is typed, and completes node label keys and values from the cluster's nodes
 * (TAB).
 */
final class ClassPrompt {
  private final Ctx ctx;
  private final Cluster cluster;

  ClassPrompt(Ctx ctx, Cluster cluster) {
    this.ctx = ctx;
    this.cluster = cluster;
  }

  void ask(CreateClassCommand cmd) {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      Map<String, TreeSet<String>> labels = new TreeMap<>();
      for (Map<String, Object> n : cluster.nodeObjects()) {
        Json.map(n, "metadata", "labels")
            .forEach(
                (k, v) -> labels.computeIfAbsent(k, x -> new TreeSet<>()).add(String.valueOf(v)));
      }
      LineReader plain = LineReaderBuilder.builder().terminal(terminal).build();
      if (cmd.name == null) {
        while (cmd.name == null || cmd.name.isBlank()) {
          cmd.name = plain.readLine("Class name: ").strip();
        }
      }
      if (cmd.pool.isEmpty()) {
        terminal
            .writer()
            .println(
                "Address pool: CIDRs (192.0.2.0/28), ranges (192.0.2.10-192.0.2.20) or addresses, separated by spaces or commas.");
        while (cmd.pool.isEmpty()) {
          List<String> entries = new ArrayList<>();
          for (String e : plain.readLine("Pool: ").split("[,\\s]+")) {
            if (!e.isEmpty()) {
              entries.add(e);
            }
          }
          List<String> problems = new ArrayList<>();
          for (String e : entries) {
            String p = CreateClassCommand.entryProblem(e);
            if (p != null) {
              problems.add(p);
            }
          }
          if (!problems.isEmpty()) {
            problems.forEach(p -> terminal.writer().println("  " + p));
          } else {
            cmd.pool.addAll(entries);
          }
        }
      }
      if (cmd.nodeSelector.isEmpty()) {
        LineReader withLabels =
            LineReaderBuilder.builder()
                .terminal(terminal)
                .completer(labelCompleter(labels))
                .build();
        terminal
            .writer()
            .println(
                "Node selector: KEY=VALUE pairs separated by commas (TAB completes node labels); empty selects every node.");
        String line = withLabels.readLine("Node selector: ").strip();
        cmd.nodeSelector.addAll(Arrays.asList(line.split("\\s*,\\s*")));
        cmd.nodeSelector.removeIf(String::isBlank);
      }
      if (cmd.interfaces.isEmpty()) {
        String line =
            plain.readLine("Interfaces (empty: the one holding each node's InternalIP): ").strip();
        for (String i : line.split("[,\\s]+")) {
          if (!i.isEmpty()) {
            cmd.interfaces.add(i);
          }
        }
      }
      if (!cmd.isDefault) {
        String line = plain.readLine("Default class for Services that name none? [y/N]: ").strip();
        cmd.isDefault = line.equalsIgnoreCase("y") || line.equalsIgnoreCase("yes");
      }
      terminal.flush();
    } catch (UserInterruptException | EndOfFileException e) {
      throw CliError.usage("cancelled: nothing created");
    } catch (IOException e) {
      throw CliError.runtime("cannot use the terminal: " + e.getMessage(), e);
    }
  }

  /** key= completes the key, then key=value the values seen on nodes. */
  static Completer labelCompleter(Map<String, TreeSet<String>> labels) {
    return (reader, line, candidates) -> {
      String word = line.word();
      int comma = word.lastIndexOf(',');
      String head = comma >= 0 ? word.substring(0, comma + 1) : "";
      String part = word.substring(head.length());
      int eq = part.indexOf('=');
      if (eq < 0) {
        for (String k : labels.keySet()) {
          candidates.add(new Candidate(head + k + "=", k, null, null, null, null, false));
        }
      } else {
        String key = part.substring(0, eq);
        for (String v : labels.getOrDefault(key, new TreeSet<>())) {
          candidates.add(new Candidate(head + key + "=" + v, v, null, null, null, null, true));
        }
      }
    };
  }
}
