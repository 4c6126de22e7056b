package io.l2lb.core.placement;

import io.l2lb.core.model.NodeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of one computation, sorted by name: the steps refer to a node by its position here. Two
 * nodes with the same name (which the API server never gives) count once: the first in input order.
 */
final class NodeTable {
  private final NodeInfo[] nodes;
  private final String[] names;
  private final long[] keys;
  private final Map<String, Integer> index;

  private NodeTable(NodeInfo[] nodes) {
    this.nodes = nodes;
    this.names = new String[nodes.length];
    this.keys = new long[nodes.length];
    this.index = new HashMap<>(nodes.length * 2);
    for (int i = 0; i < nodes.length; i++) {
      names[i] = nodes[i].name();
      keys[i] = TieBreak.nodeKey(names[i]);
      index.put(names[i], i);
    }
  }

  private NodeTable(NodeInfo[] nodes, NodeTable sameNames) {
    this.nodes = nodes;
    this.names = sameNames.names;
    this.keys = sameNames.keys;
    this.index = sameNames.index;
  }

  /**
   * The table of {@code input}: when its node names are exactly those of {@code previous}, the same
   * names, keys and positions with the new versions of the nodes (no sorting); else {@link
   * #of(List)}.
   */
  static NodeTable of(List<NodeInfo> input, NodeTable previous) {
    if (previous == null || input.size() != previous.size()) {
      return of(input);
    }
    NodeInfo[] byPosition = new NodeInfo[input.size()];
    for (NodeInfo n : input) {
      Integer i = previous.index.get(n.name());
      if (i == null || byPosition[i] != null) {
        return of(input);
      }
      byPosition[i] = n;
    }
    return new NodeTable(byPosition, previous);
  }

  /** Whether node positions mean the same nodes in both tables. */
  boolean samePositionsAs(NodeTable other) {
    return other != null && other.names == names;
  }

  static NodeTable of(List<NodeInfo> input) {
    NodeInfo[] sorted = input.toArray(new NodeInfo[0]);
    Arrays.sort(sorted, Comparator.comparing(NodeInfo::name));
    List<NodeInfo> unique = new ArrayList<>(sorted.length);
    for (NodeInfo n : sorted) {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).name().equals(n.name())) {
        unique.add(n);
      }
    }
    return new NodeTable(unique.toArray(new NodeInfo[0]));
  }

  int size() {
    return nodes.length;
  }

  NodeInfo node(int i) {
    return nodes[i];
  }

  String name(int i) {
    return names[i];
  }

  /** {@link TieBreak#nodeKey} of node i. */
  long key(int i) {
    return keys[i];
  }

  /** Position of the named node, or -1 when it is not in this snapshot (or the name is null). */
  int indexOf(String name) {
    if (name == null) {
      return -1;
    }
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** The nodes in name order, for code that wants the model type. */
  List<NodeInfo> list() {
    return Arrays.asList(nodes);
  }
}
