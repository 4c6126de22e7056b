package io.l2lb.core.validation;

import io.l2lb.core.pool.AddressPool;
import java.util.List;

/**
 * The result of checking one class.
 *
 * @param pool the usable part of the pool (entries that parsed); empty when none did
 * @param usable whether Services of this class can get IPs at all (type L2, non-empty pool)
 * @param validReason reason of the Valid condition (Names.Reasons)
 * @param yieldsTo the older classes whose pools overlap this one, by name: the addresses they share
 *     are theirs, so this class hands out none of them (what its Services already hold, they keep)
 */
public record ClassCheck(
    String name,
    AddressPool pool,
    boolean usable,
    List<Problem> problems,
    String validReason,
    List<String> yieldsTo) {
  public ClassCheck {
    problems = List.copyOf(problems);
    yieldsTo = List.copyOf(yieldsTo);
  }

  public boolean valid() {
    return problems.stream().noneMatch(Problem::isError);
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  public List<Problem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }
}
