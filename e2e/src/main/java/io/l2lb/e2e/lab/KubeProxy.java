package io.l2lb.e2e.lab;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.l2lb.testkit.lab.NetnsLab;
import io.l2lb.testkit.lab.NetnsLab.Host;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kube-proxy in IPVS mode for the lab's nodes: every IP in any LoadBalancer Service's {@code
 * status.loadBalancer.ingress} is bound to the {@code kube-ipvs0} dummy interface of every node, so
 * a node accepts traffic for it, while {@code arp_ignore=1} / {@code arp_announce=2} on {@code
 * eth0} keep the kernel from answering ARP for it: only the speaker does.
 */
final class KubeProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeProxy.class);
  static final String DUMMY = "kube-ipvs0";

  private final NetnsLab lab;
  private final List<Host> nodes;
  private final Consumer<Service> onService;
  private final Set<String> bound = new HashSet<>();
  private String device = DUMMY;
  private SharedIndexInformer<Service> informer;

  KubeProxy(NetnsLab lab, List<Host> nodes, Consumer<Service> onService) {
    this.lab = lab;
    this.nodes = List.copyOf(nodes);
    this.onService = onService;
  }

  /** Creates the dummy interface and the ARP sysctls on each node. */
  void prepareNodes() {
    for (Host h : nodes) {
      if (device.equals(DUMMY) && !lab.run(h, "ip", "link", "add", DUMMY, "type", "dummy").ok()) {
        LOG.info("no dummy interfaces on this kernel: Service IPs go on lo");
        device = "lo";
      }
      lab.mustRun(h, "ip", "link", "set", device, "up");
      lab.sysctl(h, "net.ipv4.conf.all.arp_ignore", "1");
      lab.sysctl(h, "net.ipv4.conf.all.arp_announce", "2");
      lab.sysctl(h, "net.ipv4.conf.eth0.arp_ignore", "1");
      lab.sysctl(h, "net.ipv4.conf.eth0.arp_announce", "2");
    }
  }

  void start(KubernetesClient client) {
    informer = client.services().inAnyNamespace().runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Service s) {
            changed(s);
          }

          @Override
          public void onUpdate(Service old, Service s) {
            changed(s);
          }

          @Override
          public void onDelete(Service s, boolean unknown) {
            sync();
          }
        });
    informer.start();
  }

  private void changed(Service s) {
    onService.accept(s);
    sync();
  }

  private synchronized void sync() {
    Set<String> wanted = new TreeSet<>();
    for (Service s : informer.getStore().list()) {
      if (s.getSpec() == null
          || !"LoadBalancer".equals(s.getSpec().getType())
          || s.getStatus() == null
          || s.getStatus().getLoadBalancer() == null
          || s.getStatus().getLoadBalancer().getIngress() == null) {
        continue;
      }
      for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
        if (i.getIp() != null) {
          wanted.add(i.getIp());
        }
      }
    }
    for (String ip : wanted) {
      if (!bound.contains(ip)) {
        forEachNode("add", ip);
        bound.add(ip);
      }
    }
    for (String ip : new TreeSet<>(bound)) {
      if (!wanted.contains(ip)) {
        forEachNode("del", ip);
        bound.remove(ip);
      }
    }
  }

  private void forEachNode(String verb, String ip) {
    String cidr = ip + (ip.contains(":") ? "/128" : "/32");
    for (Host h : nodes) {
      NetnsLab.Result r =
          lab.run(h, "ip", "addr", verb.equals("add") ? "replace" : "del", cidr, "dev", device);
      if (!r.ok()) {
        LOG.warn("ip addr {} {} on {} failed: {}", verb, cidr, h.name(), r.output().trim());
      }
    }
    LOG.info(
        "kube-proxy: {} {} on {} nodes",
        verb.equals("add") ? "bound" : "unbound",
        ip,
        nodes.size());
  }

  Set<String> boundIps() {
    synchronized (this) {
      return Set.copyOf(bound);
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
