package io.l2lb.core.model;

import io.l2lb.core.Names;
import java.util.Map;

/** A Node and the health facts that decide whether it may announce. */
public record NodeInfo(
    String name,
    Map<String, String> labels,
    boolean ready,
    boolean speakerAlive,
    boolean networkUnavailable) {

  public NodeInfo {
    labels = Map.copyOf(labels == null ? Map.of() : labels);
  }

  public static NodeInfo healthy(String name, Map<String, String> labels) {
    return new NodeInfo(name, labels, true, true, false);
  }

  public boolean excluded() {
    return labels.containsKey(Names.Labels.EXCLUDE_FROM_LB);
  }

  /** Able to announce anything at all (class and endpoints aside). */
  public boolean healthy() {
    return ready && speakerAlive && !networkUnavailable && !excluded();
  }

  public NodeInfo withReady(boolean value) {
    return new NodeInfo(name, labels, value, speakerAlive, networkUnavailable);
  }

  public NodeInfo withSpeakerAlive(boolean value) {
    return new NodeInfo(name, labels, ready, value, networkUnavailable);
  }

  /** Why this node cannot announce, or null when it can. */
  public String unhealthyReason() {
    if (!ready) return "node is not Ready";
    if (!speakerAlive) return "speaker lease is not fresh";
    if (networkUnavailable) return "node has NetworkUnavailable";
    if (excluded()) return "node carries " + Names.Labels.EXCLUDE_FROM_LB;
    return null;
  }
}
