package io.l2lb.cli.out;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * What the CLI knows about its terminal: whether stdin/stdout are terminals, and the width tables
 * must fit. Asks the JVM only (System.console), never starts JLine: that is for the interactive
 * parts, which pay for it when they run.
 */
public final class Term {
  public static final String RESET = "\u001b[0m";
  public static final String BOLD = "\u001b[1m";
  public static final String RED = "\u001b[31m";
  public static final String GREEN = "\u001b[32m";
  public static final String YELLOW = "\u001b[33m";
  public static final String CYAN = "\u001b[36m";

  private final boolean interactiveIn;
  private final boolean interactiveOut;
  private final int width;

  public Term(boolean interactiveIn, boolean interactiveOut, int width) {
    this.interactiveIn = interactiveIn;
    this.interactiveOut = interactiveOut;
    this.width = width;
  }

  /** No terminal: tests, pipes. Tables are never truncated. */
  public static Term none() {
    return new Term(false, false, 0);
  }

  /** The process's terminal, as far as the JVM can tell. */
  public static Term system(Map<String, String> env) {
    Console c = System.console();
    boolean both = c != null && isTerminal(c);
    int width = 0;
    if (both) {
      String cols = env.get("COLUMNS");
      if (cols != null && cols.matches("\\d+")) {
        width = Integer.parseInt(cols);
      } else {
        width = Tty.columns();
      }
    }
    return new Term(both, both, width);
  }

  /** Java 22+ returns a Console also for redirected streams; isTerminal() tells them apart. */
  private static boolean isTerminal(Console c) {
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // Java < 22: a Console exists only when stdin and stdout are terminals
    }
  }

  public boolean interactiveIn() {
    return interactiveIn;
  }

  public boolean interactiveOut() {
    return interactiveOut;
  }

  /** Columns to fit tables into; 0 = unlimited (not a terminal). */
  public int width() {
    return width;
  }
}
