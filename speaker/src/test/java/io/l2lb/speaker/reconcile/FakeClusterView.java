package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.ClassInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ClusterView} the test fills by hand, like an informer cache would be. */
final class FakeClusterView implements ClusterView {

  private final Map<String, AnnouncementObject> announcements = new LinkedHashMap<>();
  private final PoolClasses classes = new PoolClasses();
  private List<String> nodeIps = List.of();

  synchronized FakeClusterView put(AnnouncementObject a) {
    announcements.put(a.key(), a);
    return this;
  }

  synchronized FakeClusterView remove(String key) {
    announcements.remove(key);
    return this;
  }

  /** As the informer handler does: core's record in, the pool parsed once. */
  FakeClusterView put(ClassInfo c) {
    classes.put(c);
    return this;
  }

  FakeClusterView removeClass(String name) {
    classes.remove(name);
    return this;
  }

  synchronized FakeClusterView nodeIps(String... ips) {
    nodeIps = List.of(ips);
    return this;
  }

  /** As the informer would after our status patch landed. */
  synchronized void applyStatus(String key, AnnouncementObject.Status status) {
    AnnouncementObject a = announcements.get(key);
    AnnouncementObject updated = a.withStatus(status);
    announcements.put(
        key,
        new AnnouncementObject(
            updated.namespace(),
            updated.name(),
            updated.uid(),
            updated.resourceVersion() + "+",
            updated.ip(),
            updated.nodeName(),
            updated.serviceName(),
            updated.serviceUid(),
            updated.className(),
            updated.interfaces(),
            updated.status()));
  }

  @Override
  public synchronized List<AnnouncementObject> announcements() {
    return new ArrayList<>(announcements.values());
  }

  @Override
  public PoolClasses poolClasses() {
    return classes;
  }

  @Override
  public synchronized List<String> nodeInternalIps() {
    return nodeIps;
  }
}
