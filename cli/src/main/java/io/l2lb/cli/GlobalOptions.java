package io.l2lb.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, before or after the command name (inherited scope): which
 * cluster, which namespace, how to print, how chatty.
 */
public final class GlobalOptions {
  @Option(
      names = "--kubeconfig",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Kubeconfig file (default: $KUBECONFIG, merged as kubectl does, else ~/.kube/config).")
  public String kubeconfig;

  @Option(
      names = "--context",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Kubeconfig context (default: the current context).")
  public String context;

  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      paramLabel = "NS",
      description = "Namespace (default: the context's, else default).")
  public String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      scope = ScopeType.INHERIT,
      description = "All namespaces.")
  public boolean allNamespaces;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: table (default), wide, json, yaml.")
  public String output;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "No colours (also when NO_COLOR is set or output is not a terminal).")
  public boolean noColor;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces of failures.")
  public boolean verbose;

  @Option(
      names = "--request-timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      description = "Timeout of each API request, e.g. 5s, 500ms, 1m (default 10s).")
  public String requestTimeout;
}
