package io.l2lb.cli.cmd;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code expose svc|deployment ...}. */
@Command(
    name = "expose",
    description = "Give a Service (or a new Service for a Deployment) several public IPs.",
    mixinStandardHelpOptions = true,
    subcommands = {ExposeServiceCommand.class, ExposeDeploymentCommand.class})
public final class ExposeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to expose: `kubectl l2lb expose svc NAME --ips 3`");
  }
}
