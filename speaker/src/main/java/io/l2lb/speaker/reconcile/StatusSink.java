package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.AnnouncementObject.Status;

/**
 * Where the reconciler's verdict for each object goes: the status subresource, or a test's list.
 */
public interface StatusSink {

  /**
   * Makes {@code current}'s status say {@code desired}. Must not block (the reconcile thread calls
   * it); a no-op when the object says so already; failed writes are retried when the reconciler
   * publishes the same verdict again on its next pass.
   */
  void publish(AnnouncementObject current, Status desired);
}
