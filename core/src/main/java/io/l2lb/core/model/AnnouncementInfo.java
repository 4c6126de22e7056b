package io.l2lb.core.model;

import io.l2lb.core.api.L2Announcement;

/**
 * An existing L2Announcement: {@code ip} is held by {@code service}, announced from {@code
 * nodeName} (null or empty while unannounced).
 */
public record AnnouncementInfo(String ip, String nodeName, ServiceKey service, String className) {
  public AnnouncementInfo {
    nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
  }

  /**
   * The engine's view of the custom resource, through the one conversion {@link
   * AnnouncementObject#from}; null when the spec is too incomplete to use (no ip or no
   * serviceRef.name).
   */
  public static AnnouncementInfo from(L2Announcement resource) {
    return AnnouncementObject.from(resource).info();
  }
}
