package io.l2lb.cli.out;

import io.l2lb.cli.kube.Json;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** JSON and YAML renderings of plain values (maps, lists, strings, numbers). */
public final class Printer {
  private Printer() {}

  public static String render(Object value, Format f) {
    return f == Format.YAML ? yaml(value) : Json.pretty(value);
  }

  public static String yaml(Object value) {
    DumpSettings s =
        DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build();
    return new Dump(s).dumpToString(value);
  }
}
