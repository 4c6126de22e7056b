package io.l2lb.cli.cmd;

import picocli.CommandLine.Command;

@Command(name = "install")
public final class InstallCommand implements Runnable {
  @Override
  public void run() {}
}
