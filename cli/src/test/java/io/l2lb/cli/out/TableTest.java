package io.l2lb.cli.out;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  private static Table sample() {
    return new Table("NAME", "IP", "MESSAGE")
        .row("web", "192.0.2.10", "announced by front-0 since a long while ago")
        .row("db", "2001:db8::10", "-");
  }

  @Test
  void columnsAreAlignedWithThreeSpaces() {
    assertThat(sample().render(0, false))
        .isEqualTo(
            "NAME   IP             MESSAGE\n"
                + "web    192.0.2.10     announced by front-0 since a long while ago\n"
                + "db     2001:db8::10   -\n");
  }

  @Test
  void withoutATerminalNothingIsCut() {
    assertThat(sample().render(0, false)).contains("a long while ago");
  }

  @Test
  void fitsTheTerminalByCuttingTheWidestColumn() {
    String out = sample().render(40, false);
    assertThat(out.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
    assertThat(out).contains("web    192.0.2.10     announced by fron…").contains("2001:db8::10");
  }

  @Test
  void coloursDoNotCountTowardsTheWidth() {
    String out = new Table("A", "B").row(new Table.Cell("ok", Term.GREEN), "x").render(0, true);
    assertThat(out).isEqualTo("A    B\n" + Term.GREEN + "ok" + Term.RESET + "   x\n");
  }

  @Test
  void tooNarrowToFitKeepsMinimumWidths() {
    int[] w = {10, 10};
    Table.fit(w, 5);
    assertThat(w).containsExactly(4, 4);
  }
}
