package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "validate")
public final class ValidateCommand implements Runnable {
  @Override
  public void run() {}
}
