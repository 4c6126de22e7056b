package io.l2lb.core.model;

import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;

/**
 * An existing L2Announcement: {@code ip} is held by {@code service}, announced from {@code
 * nodeName} (null or empty while unannounced).
 */
public record AnnouncementInfo(String ip, String nodeName, ServiceKey service, String className) {
  public AnnouncementInfo {
    nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
  }

  /** The edge conversion from the custom resource (null when the spec is too incomplete to use). */
  public static AnnouncementInfo from(L2Announcement resource) {
    L2AnnouncementSpec spec = resource.getSpec();
    if (spec == null
        || spec.getIp() == null
        || spec.getServiceRef() == null
        || spec.getServiceRef().getName() == null) {
      return null;
    }
    return new AnnouncementInfo(
        spec.getIp(),
        spec.getNodeName(),
        new ServiceKey(resource.getMetadata().getNamespace(), spec.getServiceRef().getName()),
        spec.getClassName());
  }
}
