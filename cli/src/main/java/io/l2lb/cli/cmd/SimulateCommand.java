package io.l2lb.cli.cmd;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simulate failover ...}. */
@Command(
    name = "simulate",
    description = "Ask what the operator would do, without changing anything.",
    mixinStandardHelpOptions = true,
    subcommands = {SimulateFailoverCommand.class})
public final class SimulateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to simulate: `kubectl l2lb simulate failover --node NODE`");
  }
}
