package io.l2lb.core.pool;

/**
 * Inclusive address interval of one family; an {@link AddressPool} keeps its entries merged into
 * these.
 */
record Span(IpAddress first, IpAddress last) {}
