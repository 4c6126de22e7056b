package io.l2lb.core.model;

import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.api.L2AnnouncementStatus;
import java.util.List;
import java.util.Objects;

/**
 * One L2Announcement as read from the API server, in plain values: which object it is (namespace,
 * name, uid, resourceVersion), what the operator asked for (spec) and what the speaker reports
 * (status). This is the one conversion of the custom resource ({@link #from}); the placement
 * engine's narrower record is {@link #info()}, the speaker reconciles on this one as it is.
 *
 * <p>Nothing here throws on a half-written object: a missing spec field is null (a missing list
 * empty), so whoever reads it can report what is wrong instead of failing.
 *
 * @param nodeName the announcing node; null while unannounced (an empty string counts as none)
 * @param serviceName spec.serviceRef.name, null when missing
 * @param serviceUid spec.serviceRef.uid, null when missing
 * @param interfaces spec.interfaces, never null
 * @param status never null: {@link Status#EMPTY} when the object has no status
 */
public record AnnouncementObject(
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    String ip,
    String nodeName,
    String serviceName,
    String serviceUid,
    String className,
    List<String> interfaces,
    Status status) {

  public AnnouncementObject {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
    interfaces =
        interfaces == null ? List.of() : interfaces.stream().filter(Objects::nonNull).toList();
    status = status == null ? Status.EMPTY : status;
  }

  /** The edge conversion from the custom resource (metadata must carry namespace and name). */
  public static AnnouncementObject from(L2Announcement resource) {
    L2AnnouncementSpec spec =
        resource.getSpec() == null ? new L2AnnouncementSpec() : resource.getSpec();
    L2AnnouncementSpec.ServiceRef service = spec.getServiceRef();
    return new AnnouncementObject(
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        resource.getMetadata().getUid(),
        resource.getMetadata().getResourceVersion(),
        spec.getIp(),
        spec.getNodeName(),
        service == null ? null : service.getName(),
        service == null ? null : service.getUid(),
        spec.getClassName(),
        spec.getInterfaces(),
        Status.from(resource.getStatus()));
  }

  /** {@code namespace/name}, also the key informer caches use. */
  public String key() {
    return namespace + "/" + name;
  }

  /**
   * What the placement engine reads of this object, or null when the spec names no IP or no Service
   * (nothing to place).
   */
  public AnnouncementInfo info() {
    if (ip == null || serviceName == null) {
      return null;
    }
    return new AnnouncementInfo(
        ip, nodeName, new ServiceKey(namespace, serviceName), className, interfaces);
  }

  /** The same object with another status, as a cache shows it once a status write landed. */
  public AnnouncementObject withStatus(Status value) {
    return new AnnouncementObject(
        namespace,
        name,
        uid,
        resourceVersion,
        ip,
        nodeName,
        serviceName,
        serviceUid,
        className,
        interfaces,
        value);
  }

  @Override
  public String toString() {
    return key() + "(" + ip + " on " + nodeName + ")";
  }

  /**
   * The status of an L2Announcement, written by the speaker of spec.nodeName. Null means the field
   * is absent.
   *
   * @param since RFC 3339, seconds
   */
  public record Status(
      String mac, String interfaceName, String since, Boolean announcing, String message) {

    public static final Status EMPTY = new Status(null, null, null, null, null);

    public static Status from(L2AnnouncementStatus status) {
      if (status == null) {
        return EMPTY;
      }
      return new Status(
          status.getMac(),
          status.getIface(),
          status.getSince(),
          status.getAnnouncing(),
          status.getMessage());
    }

    /** Answering ARP/NDP for the IP with {@code mac} on {@code interfaceName}, since then. */
    public static Status announcing(String mac, String interfaceName, String since) {
      return new Status(mac, interfaceName, since, true, null);
    }

    /** Not answering for the IP, and why. */
    public static Status notAnnouncing(String message) {
      return new Status(null, null, null, false, message);
    }

    /** The same values as the API type (null fields stay unset). */
    public L2AnnouncementStatus toResource() {
      L2AnnouncementStatus s = new L2AnnouncementStatus();
      s.setMac(mac);
      s.setIface(interfaceName);
      s.setSince(since);
      s.setAnnouncing(announcing);
      s.setMessage(message);
      return s;
    }
  }
}
