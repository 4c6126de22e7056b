package io.l2lb.core.placement;

/** A condition to write, independent of any Kubernetes client type. */
public record ConditionState(String type, boolean status, String reason, String message) {}
