package io.l2lb.cli.out;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A kubectl-style table: upper-case headers, columns separated by three spaces, left-aligned. With
 * a width (a terminal), the widest columns are cut (ending in "…") until the table fits; without
 * one nothing is cut, so pipes and scripts see whole values. A cell may carry a colour, which never
 * counts towards the width.
 */
public final class Table {
  private static final String GAP = "   ";

  /** One cell: its text and an optional ANSI colour. */
  public record Cell(String text, String colour) {
    public static Cell of(Object text) {
      return new Cell(text == null ? "" : String.valueOf(text), null);
    }
  }

  private final List<String> headers;
  private final List<Cell[]> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    Cell[] r = new Cell[headers.size()];
    for (int i = 0; i < r.length; i++) {
      Object c = i < cells.length ? cells[i] : "";
      r[i] = c instanceof Cell cell ? cell : Cell.of(c);
    }
    rows.add(r);
    return this;
  }

  public int size() {
    return rows.size();
  }

  /**
   * @param width columns available, 0 = unlimited
   */
  public String render(int width, boolean colour) {
    int n = headers.size();
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = headers.get(i).length();
      for (Cell[] r : rows) {
        w[i] = Math.max(w[i], r[i].text().length());
      }
    }
    if (width > 0) {
      fit(w, width);
    }
    StringBuilder b = new StringBuilder();
    line(b, headers.stream().map(Cell::of).toArray(Cell[]::new), w, false);
    for (Cell[] r : rows) {
      line(b, r, w, colour);
    }
    return b.toString();
  }

  /** Shrinks the widest columns one by one (never below their header, nor 4) until it fits. */
  static void fit(int[] w, int width) {
    while (total(w) > width) {
      int widest = -1;
      for (int i = 0; i < w.length; i++) {
        if (w[i] > 4 && (widest < 0 || w[i] > w[widest])) {
          widest = i;
        }
      }
      if (widest < 0) {
        return; // cannot shrink further: let the terminal wrap
      }
      w[widest]--;
    }
  }

  static int total(int[] w) {
    return Arrays.stream(w).sum() + GAP.length() * (w.length - 1);
  }

  private static void line(StringBuilder b, Cell[] cells, int[] w, boolean colour) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String t = cells[i].text();
      if (t.length() > w[i]) {
        t = t.substring(0, Math.max(0, w[i] - 1)) + "…";
      }
      boolean last = i == cells.length - 1;
      String pad = last ? "" : " ".repeat(w[i] - t.length()) + GAP;
      if (colour && cells[i].colour() != null) {
        l.append(cells[i].colour()).append(t).append(Term.RESET).append(pad);
      } else {
        l.append(t).append(pad);
      }
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }
}
