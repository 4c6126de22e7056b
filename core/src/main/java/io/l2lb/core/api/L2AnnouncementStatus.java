package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Written by the speaker of spec.nodeName. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class L2AnnouncementStatus {
  @JsonPropertyDescription("MAC address the speaker answers with.")
  private String mac;

  @JsonPropertyDescription("Interface the speaker answers on.")
  private String iface;

  @JsonPropertyDescription("When this node started announcing ip (RFC 3339).")
  private String since;

  @JsonPropertyDescription("True while the speaker answers ARP/NDP for ip.")
  private Boolean announcing;

  @JsonPropertyDescription("Why the speaker does not announce, if it does not.")
  private String message;

  public String getMac() {
    return mac;
  }

  public void setMac(String mac) {
    this.mac = mac;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public String getIface() {
    return iface;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("interface")
  public void setIface(String iface) {
    this.iface = iface;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public Boolean getAnnouncing() {
    return announcing;
  }

  public void setAnnouncing(Boolean announcing) {
    this.announcing = announcing;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
