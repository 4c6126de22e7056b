package io.l2lb.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class L2AnnouncementSpec {
  @JsonPropertyDescription("The announced IP (IPv4 or IPv6), canonical form.")
  @Required
  private String ip;

  @JsonPropertyDescription(
      "The node whose speaker answers ARP/NDP for ip. Empty while no node can"
          + " announce it: the IP stays allocated to the Service, unannounced.")
  private String nodeName;

  @JsonPropertyDescription("The Service that holds ip.")
  @Required
  private ServiceRef serviceRef;

  @JsonPropertyDescription("The MetalLoadBalancerClass whose pool ip comes from.")
  @Required
  private String className;

  @JsonPropertyDescription(
      "Interfaces to announce on (from the class's l2.interfaces). Empty = the"
          + " interface that holds the node's InternalIP.")
  private List<String> interfaces = new ArrayList<>();

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public ServiceRef getServiceRef() {
    return serviceRef;
  }

  public void setServiceRef(ServiceRef serviceRef) {
    this.serviceRef = serviceRef;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public List<String> getInterfaces() {
    return interfaces;
  }

  public void setInterfaces(List<String> interfaces) {
    this.interfaces = interfaces;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceRef {
    @JsonPropertyDescription("Service name (same namespace as this object).")
    private String name;

    @JsonPropertyDescription(
        "Service UID, so a re-created Service is not mistaken for the old one.")
    private String uid;

    public ServiceRef() {}

    public ServiceRef(String name, String uid) {
      this.name = name;
      this.uid = uid;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getUid() {
      return uid;
    }

    public void setUid(String uid) {
      this.uid = uid;
    }
  }
}
