package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "simulate")
public final class SimulateCommand implements Runnable {
  @Override
  public void run() {}
}
