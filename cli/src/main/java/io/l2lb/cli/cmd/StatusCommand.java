package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "status")
public final class StatusCommand implements Runnable {
  @Override
  public void run() {}
}
