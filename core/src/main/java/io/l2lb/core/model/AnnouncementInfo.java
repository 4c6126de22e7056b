package io.l2lb.core.model;

import io.l2lb.core.api.L2Announcement;
import java.util.List;

/**
 * An existing L2Announcement: {@code ip} is held by {@code service}, announced from {@code
 * nodeName} (null or empty while unannounced).
 *
 * @param interfaces spec.interfaces as written: the engine hands an announcement it must leave as
 *     it is (a Service whose class was deleted) back word for word
 */
public record AnnouncementInfo(
    String ip, String nodeName, ServiceKey service, String className, List<String> interfaces) {
  public AnnouncementInfo {
    nodeName = nodeName == null || nodeName.isEmpty() ? null : nodeName;
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
  }

  /** An announcement on the default interface. */
  public AnnouncementInfo(String ip, String nodeName, ServiceKey service, String className) {
    this(ip, nodeName, service, className, List.of());
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
