package io.l2lb.operator.plan;

import io.l2lb.core.pool.IpAddress;

/** Test access to the IP part of announcement names. */
public final class AnnouncementNamesTestAccess {
  private AnnouncementNamesTestAccess() {}

  public static String slug(String ip) {
    return AnnouncementNames.slug(IpAddress.parse(ip));
  }
}
