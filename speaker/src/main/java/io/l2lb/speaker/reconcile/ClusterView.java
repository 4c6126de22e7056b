package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import java.util.List;

/**
 * The reconciler's read-only window on the cluster. The real one answers from informer caches,
 * which keep their content while the API server is unreachable: that is what keeps the speaker
 * announcing through an outage. Tests hand in a map-backed fake.
 */
public interface ClusterView {

  /** The L2Announcements labelled for this node, in every namespace. */
  List<AnnouncementObject> announcements();

  /** Every MetalLoadBalancerClass's pool; also what the reply guards read. */
  PoolClasses poolClasses();

  /** The node's InternalIP addresses from its Node object; empty while unknown. */
  List<String> nodeInternalIps();
}
