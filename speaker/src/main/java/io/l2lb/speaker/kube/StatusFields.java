package io.l2lb.speaker.kube;

import io.l2lb.core.api.L2AnnouncementStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status fields the speaker owns, as values: compared with what the object says to decide
 * whether a patch is needed. Null means "absent".
 */
public record StatusFields(
    String mac, String iface, String since, Boolean announcing, String message) {

  public static final StatusFields EMPTY = new StatusFields(null, null, null, null, null);

  public static StatusFields of(L2AnnouncementStatus s) {
    if (s == null) {
      return EMPTY;
    }
    return new StatusFields(
        s.getMac(), s.getIface(), s.getSince(), s.getAnnouncing(), s.getMessage());
  }

  public static StatusFields announcing(String mac, String iface, String since) {
    return new StatusFields(mac, iface, since, true, null);
  }

  public static StatusFields notAnnouncing(String message) {
    return new StatusFields(null, null, null, false, message);
  }

  /**
   * The body of a JSON merge patch on the status subresource: every field is present, null ones as
   * JSON null, so a field we no longer set (e.g. an old message) is removed.
   */
  public Map<String, Object> asMergePatch() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("mac", mac);
    status.put("interface", iface);
    status.put("since", since);
    status.put("announcing", announcing);
    status.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    return body;
  }
}
