package io.l2lb.cli.cmd;

import io.l2lb.cli.Ctx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * A screen region that shows the latest frame: redrawn in place through JLine when stdout is a
 * terminal; without one, each frame is printed after the previous one (for logs and tests).
 */
abstract class Redraw implements AutoCloseable {

  abstract void show(String frame);

  @Override
  public abstract void close();

  static Redraw open(Ctx ctx) {
    if (ctx.term().interactiveOut()) {
      try {
        Terminal t = TerminalBuilder.builder().system(true).build();
        return new InPlace(t);
      } catch (IOException | RuntimeException e) {
        // fall back to appending frames
      }
    }
    return new Appending(ctx);
  }

  private static final class Appending extends Redraw {
    private final Ctx ctx;
    private String last;

    Appending(Ctx ctx) {
      this.ctx = ctx;
    }

    @Override
    void show(String frame) {
      if (frame.equals(last)) {
        return;
      }
      if (last != null) {
        ctx.out().println();
      }
      ctx.out().print(frame);
      ctx.out().flush();
      last = frame;
    }

    @Override
    public void close() {}
  }

  private static final class InPlace extends Redraw {
    private final Terminal terminal;
    private final Display display;

    InPlace(Terminal terminal) {
      this.terminal = terminal;
      this.display = new Display(terminal, false);
      display.resize(terminal.getHeight(), terminal.getWidth());
    }

    @Override
    synchronized void show(String frame) {
      List<AttributedString> lines = new ArrayList<>();
      for (String l : frame.split("\n")) {
        lines.add(AttributedString.fromAnsi(l));
      }
      display.resize(terminal.getHeight(), terminal.getWidth());
      display.update(lines, -1);
      terminal.flush();
    }

    @Override
    public void close() {
      try {
        terminal.writer().println();
        terminal.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
