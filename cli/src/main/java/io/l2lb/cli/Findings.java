package io.l2lb.cli;

import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Printer;
import io.l2lb.cli.out.Table;
import io.l2lb.cli.out.Term;
import io.l2lb.core.validation.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation findings: what is wrong, where (object and field), how bad, how to fix it. */
public final class Findings {

  public record Finding(Problem.Severity severity, String object, String field, String message) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
      m.put("object", object);
      m.put("field", field);
      m.put("message", message);
      return m;
    }
  }

  private final List<Finding> all = new ArrayList<>();

  public void add(String object, Problem p) {
    all.add(new Finding(p.severity(), object, p.field(), p.message()));
  }

  public void error(String object, String field, String message) {
    all.add(new Finding(Problem.Severity.ERROR, object, field, message));
  }

  public void warning(String object, String field, String message) {
    all.add(new Finding(Problem.Severity.WARNING, object, field, message));
  }

  public List<Finding> all() {
    return all;
  }

  public long errors() {
    return all.stream().filter(f -> f.severity() == Problem.Severity.ERROR).count();
  }

  public long warnings() {
    return all.size() - errors();
  }

  public List<Map<String, Object>> toMaps() {
    return all.stream().map(Finding::toMap).toList();
  }

  /** Table (or JSON/YAML) of the findings on stdout. */
  public void print(Ctx ctx, Format f) {
    if (f.structured()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("errors", errors());
      doc.put("warnings", warnings());
      doc.put("findings", toMaps());
      ctx.out().print(Printer.render(doc, f));
      return;
    }
    if (all.isEmpty()) {
      return;
    }
    Table t = new Table("SEVERITY", "OBJECT", "FIELD", "MESSAGE");
    for (Finding x : all) {
      boolean err = x.severity() == Problem.Severity.ERROR;
      t.row(
          new Table.Cell(err ? "error" : "warning", err ? Term.RED : Term.YELLOW),
          x.object(),
          x.field(),
          x.message());
    }
    ctx.out().print(t.render(ctx.term().width(), ctx.colour()));
  }

  /** One line per finding on stderr (commands whose stdout is something else). */
  public void printLines(Ctx ctx) {
    for (Finding x : all) {
      String sev = x.severity() == Problem.Severity.ERROR ? "error" : "warning";
      if (ctx.colour()) {
        sev = (x.severity() == Problem.Severity.ERROR ? Term.RED : Term.YELLOW) + sev + Term.RESET;
      }
      ctx.err().println(sev + ": " + x.object() + " " + x.field() + ": " + x.message());
    }
    ctx.err().flush();
  }
}
