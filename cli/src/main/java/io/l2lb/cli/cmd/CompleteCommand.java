package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "__complete")
public final class CompleteCommand implements Runnable {
  @Override
  public void run() {}
}
