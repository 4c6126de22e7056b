package io.l2lb.speaker.kube;

import java.util.List;
import java.util.Optional;

/**
 * The reconciler's read-only window on the cluster. The real one answers from informer caches,
 * which keep their content while the API server is unreachable: that is what keeps the speaker
 * announcing through an outage. Tests hand in a map-backed fake.
 */
public interface ClusterView {

  /** The L2Announcements labelled for this node, in every namespace. */
  List<Announcement> announcements();

  Optional<PoolClass> poolClass(String name);

  /** The node's InternalIP addresses from its Node object; empty while unknown. */
  List<String> nodeInternalIps();
}
