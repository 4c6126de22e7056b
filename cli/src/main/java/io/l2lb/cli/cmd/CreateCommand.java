package io.l2lb.cli.cmd;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code create class ...}. */
@Command(
    name = "create",
    description = "Create l2lb resources.",
    mixinStandardHelpOptions = true,
    subcommands = {CreateClassCommand.class})
public final class CreateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say what to create: `kubectl l2lb create class NAME --pool ...`");
  }
}
