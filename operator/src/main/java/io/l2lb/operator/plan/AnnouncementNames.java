package io.l2lb.operator.plan;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.IpFamily;
import java.math.BigInteger;

/**
 * The name of the L2Announcement of one IP of one Service: {@code <service>.<ip>}, where the IP is
 * written with dashes (IPv4 {@code 192-0-2-100}; IPv6 as its eight groups in hex without leading
 * zeros, {@code 2001-db8-0-0-0-0-0-1}, so it never starts or ends with a dash as "::1" would).
 * Service names are DNS-1035 labels (no dots), so the first dot separates the two parts and no two
 * (Service, IP) pairs share a name; the result is a valid DNS-1123 subdomain of at most 63 + 1 + 39
 * characters. Deterministic, so a restarted operator finds its own objects by name.
 */
public final class AnnouncementNames {
  private AnnouncementNames() {}

  public static String of(ServiceKey service, IpAddress ip) {
    return service.name() + "." + slug(ip);
  }

  static String slug(IpAddress ip) {
    BigInteger v = ip.toBigInteger();
    StringBuilder sb = new StringBuilder();
    if (ip.family() == IpFamily.IPV4) {
      long x = v.longValue();
      for (int shift = 24; shift >= 0; shift -= 8) {
        if (sb.length() > 0) sb.append('-');
        sb.append((x >>> shift) & 0xff);
      }
    } else {
      for (int group = 7; group >= 0; group--) {
        if (sb.length() > 0) sb.append('-');
        sb.append(Integer.toHexString(v.shiftRight(group * 16).intValue() & 0xffff));
      }
    }
    return sb.toString();
  }
}
