package io.l2lb.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the operator sees at the start of one pass, read from the informer caches (overlaid with its
 * own most recent writes): every input of the engine and every object it may write.
 *
 * @param services every Service (of any type: a Service turned into ClusterIP still needs its
 *     status cleaned)
 * @param readyEndpointNodes per Service, the nodes with a ready endpoint (EndpointSlices)
 * @param speakerAlive whether a node's speaker Lease is fresh, on the operator's own clock
 */
public record ClusterState(
    List<MetalLoadBalancerClass> classes,
    List<Node> nodes,
    List<Service> services,
    Map<ServiceKey, Set<String>> readyEndpointNodes,
    List<L2Announcement> announcements,
    Predicate<String> speakerAlive) {}
