package io.l2lb.core.placement;

import io.l2lb.core.validation.ClassCheck;
import java.math.BigInteger;
import java.util.List;

/** Status of one class: address counts (saturated to long), node counts, conditions. */
public record ClassOutcome(
    String name,
    ClassCheck check,
    BigInteger total,
    long allocated,
    long free,
    int selectedNodes,
    int readyNodes,
    List<ConditionState> conditions) {

  public ClassOutcome {
    conditions = List.copyOf(conditions);
  }

  public long totalSaturated() {
    return total.bitLength() < 63 ? total.longValueExact() : Long.MAX_VALUE;
  }

  public ConditionState condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
