package io.l2lb.core.pool;

import java.util.List;

/**
 * Result of {@link AddressPool#parseLenient}: the pool of the entries that parsed, and one message
 * per entry that did not ({@code addressPool[i] '...': ...}), in entry order.
 */
public record PoolParseResult(AddressPool pool, List<String> errors) {
  public PoolParseResult {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
