package io.l2lb.cli.out;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Terminal size without JLine: {@code stty size} on the controlling terminal. */
final class Tty {
  private Tty() {}

  static int columns() {
    try {
      Process p =
          new ProcessBuilder("stty", "size")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] parts = out.split("\\s+");
        if (parts.length == 2) {
          return Integer.parseInt(parts[1]);
        }
      }
    } catch (Exception e) {
      // no tty or no stty: fall back below
    }
    return 80;
  }
}
