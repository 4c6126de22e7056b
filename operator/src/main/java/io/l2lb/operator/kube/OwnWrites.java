package io.l2lb.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own recent writes of one kind, laid over the informer cache until the cache has
 * caught up with them. Without it a pass that starts right after the previous one's writes would
 * see the cache from before them: it would hand a just-allocated IP out again, or write the same
 * status twice. An entry goes as soon as the cache holds the written resourceVersion or a later one
 * (resourceVersions are compared as numbers, as JOSDK does for its own event filtering: they are
 * etcd revisions); a delete hides the object until the cache drops it.
 */
public final class OwnWrites<T extends HasMetadata> {

  private record Entry<T>(long resourceVersion, T object, long atNanos) {}

  /**
   * How long an entry may wait for the cache: far above any watch lag, and bounds the damage if
   * someone else deleted the object before our cache ever showed it.
   */
  static final long TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final boolean creates;

  /**
   * @param creates whether the operator creates objects of this kind; if not, an object missing
   *     from the cache was deleted by someone else and our copy of it is dropped
   */
  public OwnWrites(boolean creates) {
    this.creates = creates;
  }

  public static String key(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return (ns == null ? "" : ns) + "/" + o.getMetadata().getName();
  }

  public static long version(HasMetadata o) {
    try {
      return Long.parseLong(o.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The object as the API server returned it from our write. */
  public void written(T object) {
    if (object != null && object.getMetadata() != null) {
      entries.put(key(object), new Entry<>(version(object), object, System.nanoTime()));
    }
  }

  /** We deleted it; it was at {@code resourceVersion} when we decided to. */
  public void deleted(String namespace, String name, String resourceVersion) {
    long rv;
    try {
      rv = Long.parseLong(resourceVersion);
    } catch (RuntimeException e) {
      rv = Long.MAX_VALUE;
    }
    entries.put(
        (namespace == null ? "" : namespace) + "/" + name,
        new Entry<>(rv, null, System.nanoTime()));
  }

  /** Whether an informer event is the echo of our own write (it needs no new pass). */
  public boolean isEcho(T object) {
    Entry<T> e = entries.get(key(object));
    return e != null && e.object() != null && e.resourceVersion() == version(object);
  }

  public boolean isOwnDelete(T object) {
    Entry<T> e = entries.get(key(object));
    return e != null && e.object() == null;
  }

  /** The cache with our newer writes in place of its older copies. */
  public List<T> merge(Collection<T> cached) {
    if (entries.isEmpty()) {
      return List.copyOf(cached);
    }
    Map<String, T> out = new LinkedHashMap<>();
    for (T o : cached) {
      out.put(key(o), o);
    }
    long now = System.nanoTime();
    for (Map.Entry<String, Entry<T>> e : entries.entrySet()) {
      T inCache = out.get(e.getKey());
      Entry<T> mine = e.getValue();
      if (now - mine.atNanos() > TTL_NANOS) {
        entries.remove(e.getKey(), mine);
      } else if (mine.object() == null) {
        if (inCache == null || version(inCache) > mine.resourceVersion()) {
          entries.remove(e.getKey(), mine);
        } else {
          out.remove(e.getKey());
        }
      } else if (inCache == null ? !creates : version(inCache) >= mine.resourceVersion()) {
        entries.remove(e.getKey(), mine);
      } else {
        out.put(e.getKey(), mine.object());
      }
    }
    return List.copyOf(out.values());
  }

  public int size() {
    return entries.size();
  }

  /** Forget everything (a new term as leader starts from the caches alone). */
  public void clear() {
    entries.clear();
  }
}
