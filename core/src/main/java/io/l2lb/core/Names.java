package io.l2lb.core;

/**
 * Every name l2lb shares with the outside world: API groups, annotations, labels, condition types
 * and reasons, event reasons. Annotation names are Deckhouse's so that Services written for
 * Deckhouse work unchanged.
 */
public final class Names {
  private Names() {}

  public static final String API_GROUP = "network.deckhouse.io";
  public static final String INTERNAL_API_GROUP = "internal.network.deckhouse.io";
  public static final String API_VERSION = "v1alpha1";

  /** Service annotations (inputs). */
  public static final class Annotations {
    private Annotations() {}

    /** Names the MetalLoadBalancerClass when {@code spec.loadBalancerClass} is empty. */
    public static final String CLASS = "network.deckhouse.io/metal-load-balancer-class";

    /** Legacy alias of {@link #CLASS} kept for Services written for L2LoadBalancer. */
    public static final String LEGACY_CLASS = "network.deckhouse.io/l2-load-balancer-name";

    /** How many public IPs the Service gets (default 1). */
    public static final String EXTERNAL_IPS_COUNT =
        "network.deckhouse.io/l2-load-balancer-external-ips-count";

    /** Explicit comma-separated IPs; each must lie in the class pool. */
    public static final String LOAD_BALANCER_IPS = "network.deckhouse.io/load-balancer-ips";

    /** Services with the same key (and class) share their IPs on different ports. */
    public static final String SHARED_IP_KEY = "network.deckhouse.io/load-balancer-shared-ip-key";
  }

  /** Labels written or read by l2lb. */
  public static final class Labels {
    private Labels() {}

    /** On Nodes: the speaker DaemonSet runs where this is "true". */
    public static final String MEMBER = "l2-load-balancer.network.deckhouse.io/member";

    /** On Nodes (well known): never announce from this node. */
    public static final String EXCLUDE_FROM_LB =
        "node.kubernetes.io/exclude-from-external-load-balancers";

    /** On L2Announcements: the node that announces the IP, so a speaker watches only its own. */
    public static final String ANNOUNCEMENT_NODE = "internal.network.deckhouse.io/node";

    /** On L2Announcements: the owning Service's name. */
    public static final String ANNOUNCEMENT_SERVICE = "internal.network.deckhouse.io/service";

    /** On L2Announcements: the MetalLoadBalancerClass the IP comes from. */
    public static final String ANNOUNCEMENT_CLASS = "internal.network.deckhouse.io/class";

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "l2lb";
  }

  /** Condition types. */
  public static final class Conditions {
    private Conditions() {}

    /** On Services: which class the Service is bound to (message names it). */
    public static final String SERVICE_CLASS = "network.deckhouse.io/load-balancer-class";

    /** On Services: "2 of 3 public IPs were assigned". */
    public static final String ALL_PUBLIC_IPS_ASSIGNED = "AllPublicIPsAssigned";

    /** On classes: the spec is usable. */
    public static final String VALID = "Valid";

    /** On classes: at least one node can announce. */
    public static final String READY = "Ready";
  }

  /** Condition reasons (CamelCase, as Kubernetes requires). */
  public static final class Reasons {
    private Reasons() {}

    public static final String VALID = "Valid";
    public static final String INVALID_POOL = "InvalidPool";
    public static final String EMPTY_POOL = "EmptyPool";
    public static final String POOL_OVERLAP = "PoolOverlap";
    public static final String UNSUPPORTED_TYPE = "UnsupportedType";
    public static final String NODES_READY = "NodesReady";
    public static final String NO_NODES_SELECTED = "NoNodesSelected";
    public static final String NO_READY_NODES = "NoReadyNodes";
    public static final String CLASS_BOUND = "ClassBound";
    public static final String CLASS_NOT_FOUND = "ClassNotFound";
    public static final String ALL_ASSIGNED = "AllAssigned";
    public static final String POOL_EXHAUSTED = "PoolExhausted";
    public static final String INVALID_ANNOTATION = "InvalidAnnotation";

    /**
     * The Service's own annotations are fine, but a Service it shares IPs with has an invalid one,
     * so the IPs they share are kept as they are.
     */
    public static final String SHARED_WITH_INVALID = "SharedWithInvalidService";
  }

  /** Event reasons. */
  public static final class Events {
    private Events() {}

    public static final String IP_ALLOCATED = "IPAllocated";
    public static final String IP_RELEASED = "IPReleased";
    public static final String NODE_ASSIGNED = "NodeAssigned";
    public static final String FAILED_OVER = "FailedOver";
    public static final String ALLOCATION_FAILED = "AllocationFailed";
    public static final String INVALID_ANNOTATION = "InvalidAnnotation";
    public static final String NO_CANDIDATE_NODE = "NoCandidateNode";

    /**
     * Operator, on a Service: the class it holds IPs of was deleted; it keeps them and their
     * announcements until a class of that name exists again or it names another class.
     */
    public static final String CLASS_NOT_FOUND = "ClassNotFound";

    /** Operator, on each of several default classes: the oldest is the default. */
    public static final String DEFAULT_CONFLICT = "DefaultConflict";

    /** Speaker: this node started answering ARP/NDP for the IP. */
    public static final String ANNOUNCING = "Announcing";

    /** Speaker: this node stopped answering for the IP (moved or deleted). */
    public static final String RELEASED = "Released";

    /** Speaker: another MAC claimed the IP and the API could not confirm it is ours. */
    public static final String FENCED = "Fenced";

    /** Speaker: the object names an IP outside its class pool; never announced. */
    public static final String OUTSIDE_POOL = "OutsidePool";
  }

  /**
   * Where and under which names l2lb runs in a cluster: the manifests, the operator, the speaker
   * and {@code kubectl l2lb status|install|version} all read them from here.
   */
  public static final class Components {
    private Components() {}

    /** Namespace of the operator, the speakers and their Leases. */
    public static final String NAMESPACE = "l2lb-system";

    /** The operator's Deployment and ServiceAccount. */
    public static final String OPERATOR = "l2lb-operator";

    /** The Lease the operator replicas elect their leader with (in {@link #NAMESPACE}). */
    public static final String OPERATOR_LEADER_LEASE = "l2lb-operator-leader";

    /** The speaker's DaemonSet and ServiceAccount. */
    public static final String SPEAKER = "l2lb-speaker";

    /** Label on pods and workloads: which component a pod is. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";

    /** Label on pods and workloads: the l2lb version it runs. */
    public static final String VERSION_LABEL = "app.kubernetes.io/version";

    /** Field manager (server-side apply) and event reporting component of the operator. */
    public static final String OPERATOR_FIELD_MANAGER = "l2lb-operator";

    /** Field manager of {@code kubectl l2lb}. */
    public static final String CLI_FIELD_MANAGER = "kubectl-l2lb";
  }

  /** Lease that proves a node's speaker is alive. */
  public static String speakerLeaseName(String nodeName) {
    return "l2lb-speaker-" + nodeName;
  }
}
