package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "uninstall")
public final class UninstallCommand implements Runnable {
  @Override
  public void run() {}
}
