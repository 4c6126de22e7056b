package io.l2lb.core.pool;

/**
 * A pool entry that cannot be used. The message names the entry (and its index, when it came from a
 * list) and says how to fix it, because it ends up verbatim in a class condition or a {@code
 * kubectl l2lb} error.
 */
public final class PoolSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String entry;
  private final String reason;
  private final int index;

  public PoolSyntaxException(String entry, String reason) {
    this(entry, reason, -1);
  }

  private PoolSyntaxException(String entry, String reason, int index) {
    super(
        (index < 0 ? "addressPool entry" : "addressPool[" + index + "]")
            + " '"
            + entry
            + "': "
            + reason);
    this.entry = entry;
    this.reason = reason;
    this.index = index;
  }

  /** The entry as written (stripped of surrounding whitespace, for the message). */
  public String entry() {
    return entry;
  }

  /** What is wrong and how to fix it, without the entry prefix. */
  public String reason() {
    return reason;
  }

  /** Position in {@code spec.addressPool}, or -1 when the entry was parsed on its own. */
  public int index() {
    return index;
  }

  /** The same problem, reported as {@code addressPool[i] '...': ...}. */
  PoolSyntaxException atIndex(int i) {
    PoolSyntaxException e = new PoolSyntaxException(entry, reason, i);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
