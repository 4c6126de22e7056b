package io.l2lb.core.placement;

import io.l2lb.core.pool.AddressPool;
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
    return AddressPool.saturate(total);
  }

  public ConditionState condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
