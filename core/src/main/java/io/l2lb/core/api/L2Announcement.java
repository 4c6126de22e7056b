package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.l2lb.core.Names;

/**
 * Internal: one announced IP. The operator writes spec (which node announces which IP for which
 * Service); the speaker of that node writes status. Lives in the Service's namespace with an owner
 * reference to it, labelled with node, service and class so a speaker watches only its own node's
 * objects.
 */
@Group(Names.INTERNAL_API_GROUP)
@Version(Names.API_VERSION)
@Kind("L2Announcement")
@Plural("l2announcements")
@Singular("l2announcement")
@ShortNames("l2a")
@AdditionalPrinterColumn(
    name = "IP",
    jsonPath = ".spec.ip",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "NODE",
    jsonPath = ".spec.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "SERVICE",
    jsonPath = ".spec.serviceRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ANNOUNCING",
    jsonPath = ".status.announcing",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    priority = 1)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class L2Announcement extends CustomResource<L2AnnouncementSpec, L2AnnouncementStatus>
    implements Namespaced {

  // Overridden only to carry the descriptions `kubectl explain` shows.
  @Override
  @JsonPropertyDescription(
      "Written by the l2lb operator: which node announces which IP for which Service.")
  public L2AnnouncementSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Written by the speaker of spec.nodeName: whether and how it announces the IP.")
  public L2AnnouncementStatus getStatus() {
    return super.getStatus();
  }
}
