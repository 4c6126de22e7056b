package io.l2lb.speaker.kube;

import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import java.util.List;
import java.util.Objects;

/**
 * One L2Announcement as the reconciler sees it: plain values copied out of the fabric8 object, so
 * the decisions can be tested with hand-written objects and never see a half-updated cache entry.
 *
 * @param status what the object's status says right now (never null; fields may be)
 */
public record Announcement(
    String namespace,
    String name,
    String uid,
    String ip,
    String nodeName,
    String className,
    List<String> interfaces,
    String resourceVersion,
    StatusFields status) {

  public Announcement {
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    status = status == null ? StatusFields.EMPTY : status;
  }

  /** {@code namespace/name}, the informer's key too. */
  public String key() {
    return namespace + "/" + name;
  }

  public static Announcement of(L2Announcement o) {
    L2AnnouncementSpec spec = o.getSpec() != null ? o.getSpec() : new L2AnnouncementSpec();
    return new Announcement(
        o.getMetadata().getNamespace(),
        o.getMetadata().getName(),
        o.getMetadata().getUid(),
        spec.getIp(),
        spec.getNodeName(),
        spec.getClassName(),
        spec.getInterfaces(),
        o.getMetadata().getResourceVersion(),
        StatusFields.of(o.getStatus()));
  }

  @Override
  public String toString() {
    return key() + "(" + ip + " on " + nodeName + ")";
  }
}
