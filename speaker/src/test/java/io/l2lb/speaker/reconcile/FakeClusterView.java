package io.l2lb.speaker.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link ClusterView} the test fills by hand, like an informer cache would be. */
final class FakeClusterView implements ClusterView {

  private final Map<String, Announcement> announcements = new LinkedHashMap<>();
  private final Map<String, PoolClass> classes = new LinkedHashMap<>();
  private List<String> nodeIps = List.of();

  synchronized FakeClusterView put(Announcement a) {
    announcements.put(a.key(), a);
    return this;
  }

  synchronized FakeClusterView remove(String key) {
    announcements.remove(key);
    return this;
  }

  synchronized FakeClusterView put(PoolClass c) {
    classes.put(c.name(), c);
    return this;
  }

  synchronized FakeClusterView removeClass(String name) {
    classes.remove(name);
    return this;
  }

  synchronized FakeClusterView nodeIps(String... ips) {
    nodeIps = List.of(ips);
    return this;
  }

  /** As the informer would after our status patch landed. */
  synchronized void applyStatus(String key, StatusFields status) {
    Announcement a = announcements.get(key);
    announcements.put(
        key,
        new Announcement(
            a.namespace(),
            a.name(),
            a.uid(),
            a.ip(),
            a.nodeName(),
            a.className(),
            a.interfaces(),
            a.resourceVersion() + "+",
            status));
  }

  @Override
  public synchronized List<Announcement> announcements() {
    return new ArrayList<>(announcements.values());
  }

  @Override
  public synchronized Optional<PoolClass> poolClass(String name) {
    return Optional.ofNullable(classes.get(name));
  }

  @Override
  public synchronized List<String> nodeInternalIps() {
    return nodeIps;
  }
}
