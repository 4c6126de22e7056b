package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "completion")
public final class CompletionCommand implements Runnable {
  @Override
  public void run() {}
}
