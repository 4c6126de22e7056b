package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetalLoadBalancerClassSpec {

  @JsonPropertyDescription(
      "Use this class for LoadBalancer Services that name no class"
          + " (neither spec.loadBalancerClass nor the network.deckhouse.io/metal-load-balancer-class annotation)."
          + " At most one class should be the default.")
  @Default("false")
  private Boolean isDefault = false;

  @JsonPropertyDescription(
      "Load balancer mode. Only L2 is supported: each IP is announced by ARP (IPv4)"
          + " or NDP (IPv6) from one node.")
  @Default("L2")
  @ValidationRule(
      value = "self == 'L2'",
      message = "type must be L2: l2lb announces IPs by ARP/NDP only (BGP is not supported)",
      reason = "FieldValueInvalid")
  private String type = "L2";

  @JsonPropertyDescription(
      "Public IPs handed out to Services of this class: CIDRs (192.0.2.0/28,"
          + " 2001:db8::/120), ranges (192.0.2.10-192.0.2.20) and single addresses (192.0.2.7, a /32"
          + " or /128), IPv4 and IPv6, without whitespace. An IPv4 CIDR shorter than /31"
          + " never hands out its network and broadcast addresses; ranges are used as written."
          + " At most 40 entries. Pools of different classes must not overlap.")
  @Required
  @Size(max = PoolRules.MAX_ENTRIES)
  @ValidationRule(value = PoolRules.NOT_EMPTY, message = PoolRules.NOT_EMPTY_MESSAGE)
  @ValidationRule(
      value = PoolRules.NO_WHITESPACE,
      messageExpression = PoolRules.NO_WHITESPACE_MESSAGE)
  @ValidationRule(
      value = PoolRules.ALL_WELL_FORMED,
      messageExpression = PoolRules.WELL_FORMED_MESSAGE)
  @ValidationRule(
      value = PoolRules.ALL_SAME_FAMILY,
      messageExpression = PoolRules.SAME_FAMILY_MESSAGE)
  @ValidationRule(value = PoolRules.ALL_ORDERED, messageExpression = PoolRules.ORDERED_MESSAGE)
  private List<@Size(max = 100) String> addressPool = new ArrayList<>();

  @JsonPropertyDescription(
      "Labels a node must carry to announce IPs of this class (e.g. node-role: front)."
          + " Empty selects every node.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Layer-2 settings.")
  private L2Settings l2;

  public Boolean getIsDefault() {
    return isDefault;
  }

  public void setIsDefault(Boolean isDefault) {
    this.isDefault = isDefault;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public List<String> getAddressPool() {
    return addressPool;
  }

  public void setAddressPool(List<String> addressPool) {
    this.addressPool = addressPool;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public L2Settings getL2() {
    return l2;
  }

  public void setL2(L2Settings l2) {
    this.l2 = l2;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class L2Settings {
    @JsonPropertyDescription(
        "Interfaces to announce on (e.g. [eth0]). Empty means auto: the interface"
            + " that holds the node's InternalIP.")
    private List<String> interfaces = new ArrayList<>();

    public List<String> getInterfaces() {
      return interfaces;
    }

    public void setInterfaces(List<String> interfaces) {
      this.interfaces = interfaces;
    }
  }
}
