package io.l2lb.core.model;

/**
 * An existing L2Announcement: {@code ip} is held by {@code service}, announced from
 * {@code nodeName} (null or empty while unannounced).
 */
public record AnnouncementInfo(String ip, String nodeName, ServiceKey service, String className) {
  public AnnouncementInfo {
    nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
  }
}
