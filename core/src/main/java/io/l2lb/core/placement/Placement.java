package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.List;

/**
 * One desired L2Announcement: {@code ip} of {@code service}, announced by {@code nodeName} (null:
 * by nobody).
 */
public record Placement(
    IpAddress ip, String nodeName, ServiceKey service, String className, List<String> interfaces) {
  public Placement {
    interfaces = List.copyOf(interfaces);
  }

  public boolean announced() {
    return nodeName != null;
  }
}
