package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "create")
public final class CreateCommand implements Runnable {
  @Override
  public void run() {}
}
