package io.l2lb.speaker.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.ClassInfo;
import io.l2lb.speaker.reconcile.ClusterView;
import io.l2lb.speaker.reconcile.PoolClasses;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterView} from two informers: the L2Announcements labelled for this node (all
 * namespaces; the label selector keeps the watch and the cache to this node's share) and every
 * MetalLoadBalancerClass. Plus the node's InternalIPs from a GET of its Node.
 *
 * <p>Outages: the informers are told to retry every error forever and their caches are never
 * cleared by a failing watch, so the reconciler keeps seeing the last known state. A failed Node
 * GET keeps the last known addresses.
 */
public final class KubeClusterView implements ClusterView, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubeClusterView.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Runnable onChange;

  /** Parsed once per class update: the guard asks on every reply it sends. */
  private final PoolClasses classes = new PoolClasses();

  private volatile List<String> nodeIps = List.of();
  private SharedIndexInformer<L2Announcement> announcementInformer;
  private SharedIndexInformer<MetalLoadBalancerClass> classInformer;

  public KubeClusterView(KubernetesClient client, String nodeName, Runnable onChange) {
    this.client = client;
    this.nodeName = nodeName;
    this.onChange = onChange;
  }

  /** Starts both informers without waiting for them; see {@link #synced()}. */
  public synchronized void start() {
    announcementInformer =
        client
            .resources(L2Announcement.class)
            .inAnyNamespace()
            .withLabel(Names.Labels.ANNOUNCEMENT_NODE, nodeName)
            .runnableInformer(0);
    announcementInformer.exceptionHandler(KubeClusterView::retryForever);
    announcementInformer.addEventHandler(changeHandler());
    classInformer = client.resources(MetalLoadBalancerClass.class).runnableInformer(0);
    classInformer.exceptionHandler(KubeClusterView::retryForever);
    classInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(MetalLoadBalancerClass c) {
            classes.put(ClassInfo.from(c));
            onChange.run();
          }

          @Override
          public void onUpdate(MetalLoadBalancerClass old, MetalLoadBalancerClass c) {
            onAdd(c);
          }

          @Override
          public void onDelete(MetalLoadBalancerClass c, boolean finalStateUnknown) {
            classes.remove(c.getMetadata().getName());
            onChange.run();
          }
        });
    classInformer.start();
    announcementInformer.start();
  }

  /**
   * The default handler gives up on errors before the first sync and on most watch errors after it;
   * a speaker must outlive any API outage, so it always retries (with the informer's own backoff)
   * and says so in the log.
   */
  private static boolean retryForever(boolean started, Throwable t) {
    log.warn("watch {}: {}; retrying", started ? "failed" : "could not start", Errors.describe(t));
    return true;
  }

  private <T> ResourceEventHandler<T> changeHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.run();
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        onChange.run();
      }
    };
  }

  /** Both informers have listed at least once. */
  public synchronized boolean synced() {
    return announcementInformer != null
        && announcementInformer.hasSynced()
        && classInformer.hasSynced();
  }

  @Override
  public List<AnnouncementObject> announcements() {
    SharedIndexInformer<L2Announcement> informer;
    synchronized (this) {
      informer = announcementInformer;
    }
    if (informer == null) {
      return List.of();
    }
    return informer.getStore().list().stream().map(AnnouncementObject::from).toList();
  }

  @Override
  public PoolClasses poolClasses() {
    return classes;
  }

  @Override
  public List<String> nodeInternalIps() {
    return nodeIps;
  }

  /**
   * GETs the Node and remembers its InternalIPs. Returns whether it succeeded; on failure the last
   * known addresses stay.
   */
  public boolean refreshNode() {
    Node node;
    try {
      node = client.nodes().withName(nodeName).get();
    } catch (RuntimeException e) {
      log.warn("cannot read Node {}: {}", nodeName, Errors.describe(e));
      return false;
    }
    if (node == null) {
      log.warn("Node {} does not exist (is NODE_NAME the node's name?)", nodeName);
      return false;
    }
    List<String> ips =
        node.getStatus() == null || node.getStatus().getAddresses() == null
            ? List.of()
            : node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .toList();
    if (!ips.equals(nodeIps)) {
      log.info("Node {} InternalIP: {}", nodeName, ips);
      nodeIps = ips;
      onChange.run();
    }
    return true;
  }

  @Override
  public synchronized void close() {
    if (announcementInformer != null) {
      announcementInformer.close();
      classInformer.close();
    }
  }
}
