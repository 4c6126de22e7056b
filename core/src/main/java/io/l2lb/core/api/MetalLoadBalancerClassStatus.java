package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator (Deckhouse leaves status empty). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetalLoadBalancerClassStatus {

  @JsonPropertyDescription(
      "Valid (reasons: Valid, InvalidPool, EmptyPool, PoolOverlap, UnsupportedType)"
          + " and Ready (reasons: NodesReady, NoNodesSelected, NoReadyNodes).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "Address counts of the pool. Counts above 2^63-1 (large IPv6 pools) are capped there.")
  private Addresses addresses;

  @JsonPropertyDescription(
      "Nodes selected by nodeSelector, and those of them able to announce now.")
  private NodeCounts nodes;

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Addresses getAddresses() {
    return addresses;
  }

  public void setAddresses(Addresses addresses) {
    this.addresses = addresses;
  }

  public NodeCounts getNodes() {
    return nodes;
  }

  public void setNodes(NodeCounts nodes) {
    this.nodes = nodes;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public static class Addresses {
    @JsonPropertyDescription("Usable addresses in the pool.")
    private long total;

    @JsonPropertyDescription("Addresses held by Services of this class.")
    private long allocated;

    @JsonPropertyDescription("total - allocated.")
    private long free;

    public Addresses() {}

    public Addresses(long total, long allocated, long free) {
      this.total = total;
      this.allocated = allocated;
      this.free = free;
    }

    public long getTotal() {
      return total;
    }

    public void setTotal(long total) {
      this.total = total;
    }

    public long getAllocated() {
      return allocated;
    }

    public void setAllocated(long allocated) {
      this.allocated = allocated;
    }

    public long getFree() {
      return free;
    }

    public void setFree(long free) {
      this.free = free;
    }
  }

  public static class NodeCounts {
    @JsonPropertyDescription("Nodes matching nodeSelector.")
    private int selected;

    @JsonPropertyDescription(
        "Selected nodes that can announce: Ready, speaker alive, network available, not excluded.")
    private int ready;

    public NodeCounts() {}

    public NodeCounts(int selected, int ready) {
      this.selected = selected;
      this.ready = ready;
    }

    public int getSelected() {
      return selected;
    }

    public void setSelected(int selected) {
      this.selected = selected;
    }

    public int getReady() {
      return ready;
    }

    public void setReady(int ready) {
      this.ready = ready;
    }
  }
}
