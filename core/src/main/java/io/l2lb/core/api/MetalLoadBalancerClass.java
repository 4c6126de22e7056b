package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.l2lb.core.Names;

/**
 * A class of Layer-2 load balancers: which nodes may announce, and the pool of public IPs they
 * announce. Compatible with Deckhouse's MetalLoadBalancerClass.
 */
@Group(Names.API_GROUP)
@Version(Names.API_VERSION)
@Kind("MetalLoadBalancerClass")
@Plural("metalloadbalancerclasses")
@Singular("metalloadbalancerclass")
@ShortNames("mlbc")
@AdditionalPrinterColumn(
    name = "DEFAULT",
    jsonPath = ".spec.isDefault",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "FREE",
    jsonPath = ".status.addresses.free",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "TOTAL",
    jsonPath = ".status.addresses.total",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "NODES",
    jsonPath = ".status.nodes.ready",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MetalLoadBalancerClass
    extends CustomResource<MetalLoadBalancerClassSpec, MetalLoadBalancerClassStatus> {
  // Cluster-scoped: it deliberately does not implement Namespaced.

  // Overridden only to carry the descriptions `kubectl explain` shows.
  @Override
  @JsonPropertyDescription("Which nodes may announce, and the pool of public IPs they announce.")
  public MetalLoadBalancerClassSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Written by the l2lb operator: conditions, address and node counts.")
  public MetalLoadBalancerClassStatus getStatus() {
    return super.getStatus();
  }
}
