package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "expose")
public final class ExposeCommand implements Runnable {
  @Override
  public void run() {}
}
