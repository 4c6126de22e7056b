package io.l2lb.speaker.reconcile;

import io.l2lb.core.Names;
import io.l2lb.core.model.AnnouncementObject;

/**
 * Kubernetes Events about L2Announcements. Must not block; an Event lost in an outage is
 * acceptable.
 */
public interface EventSink {

  // Reasons live with every other name in core's Names.Events.
  String ANNOUNCING = Names.Events.ANNOUNCING;
  String RELEASED = Names.Events.RELEASED;
  String FENCED = Names.Events.FENCED;
  String OUTSIDE_POOL = Names.Events.OUTSIDE_POOL;

  void normal(AnnouncementObject about, String reason, String message);

  void warning(AnnouncementObject about, String reason, String message);
}
