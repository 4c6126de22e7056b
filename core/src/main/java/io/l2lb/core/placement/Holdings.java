package io.l2lb.core.placement;

import io.l2lb.core.model.AnnouncementInfo;
import io.l2lb.core.model.ServiceInfo;
import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.model.Snapshot;
import io.l2lb.core.pool.IpAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the cluster holds now, read from the snapshot: per Service, its IPs and the node announcing
 * each (from L2Announcements), plus IPs its status.loadBalancer.ingress lists that no announcement
 * records (unannounced). An announcement naming a node the snapshot does not have counts as
 * unannounced. One IP of one Service on two nodes (a state only a crash can leave) resolves to the
 * node whose name sorts first, so input order never matters.
 */
final class Holdings {
  /** Stands for "no node" inside merges (map values cannot be merged from null). */
  private static final String NO_NODE = "";

  private final Map<ServiceKey, TreeMap<IpAddress, String>> byService = new HashMap<>();
  private final Map<ServiceKey, String> heldClass = new HashMap<>();

  private Holdings() {}

  static Holdings read(Snapshot snapshot, NodeTable nodes) {
    Holdings h = new Holdings();
    for (AnnouncementInfo a : snapshot.announcements()) {
      Optional<IpAddress> ip = IpAddress.tryParse(a.ip());
      if (ip.isEmpty()) {
        continue;
      }
      String node = nodes.indexOf(a.nodeName()) >= 0 ? a.nodeName() : NO_NODE;
      h.byService
          .computeIfAbsent(a.service(), k -> new TreeMap<>())
          .merge(ip.get(), node, Holdings::preferred);
      if (a.className() != null) {
        h.heldClass.merge(a.service(), a.className(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
      }
    }
    for (TreeMap<IpAddress, String> held : h.byService.values()) {
      held.replaceAll((ip, n) -> n.equals(NO_NODE) ? null : n);
    }
    for (ServiceInfo s : snapshot.services()) {
      for (String text : s.ingressIps()) {
        IpAddress.tryParse(text)
            .ifPresent(
                ip ->
                    h.byService
                        .computeIfAbsent(s.key(), k -> new TreeMap<>())
                        .putIfAbsent(ip, null));
      }
    }
    return h;
  }

  private static String preferred(String x, String y) {
    if (x.equals(NO_NODE)) return y;
    if (y.equals(NO_NODE)) return x;
    return x.compareTo(y) <= 0 ? x : y;
  }

  /** The Service's IPs, ascending, each with its node (null: unannounced). */
  Map<IpAddress, String> of(ServiceKey service) {
    TreeMap<IpAddress, String> held = byService.get(service);
    return held == null ? Collections.emptyMap() : held;
  }

  /** The class the Service's announcements name (the first by name if they disagree), or null. */
  String heldClass(ServiceKey service) {
    return heldClass.get(service);
  }

  /** Every Service that holds something, in no particular order. */
  Map<ServiceKey, ? extends Map<IpAddress, String>> all() {
    return byService;
  }
}
