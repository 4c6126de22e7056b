package io.l2lb.core.model;

import java.util.Comparator;
import java.util.Objects;

/** namespace/name of a Service. */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {
  private static final Comparator<ServiceKey> ORDER =
      Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name);

  public ServiceKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ServiceKey parse(String namespacedName) {
    int slash = namespacedName.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + namespacedName + "' is not namespace/name");
    }
    return new ServiceKey(namespacedName.substring(0, slash), namespacedName.substring(slash + 1));
  }

  /** Spelled out: the record default goes through ObjectMethods, measurably slower on hot maps. */
  @Override
  public int hashCode() {
    return 31 * namespace.hashCode() + name.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceKey k && name.equals(k.name) && namespace.equals(k.namespace);
  }

  @Override
  public int compareTo(ServiceKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
