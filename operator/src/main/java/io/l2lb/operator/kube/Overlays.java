package io.l2lb.operator.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;

/** The operator's own recent writes, per kind (see {@link OwnWrites}). */
public final class Overlays {
  public final OwnWrites<L2Announcement> announcements = new OwnWrites<>(true);
  public final OwnWrites<Service> services = new OwnWrites<>(false);
  public final OwnWrites<MetalLoadBalancerClass> classes = new OwnWrites<>(false);
  public final OwnWrites<Node> nodes = new OwnWrites<>(false);

  public void clear() {
    announcements.clear();
    services.clear();
    classes.clear();
    nodes.clear();
  }
}
