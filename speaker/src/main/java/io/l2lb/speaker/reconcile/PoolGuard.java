package io.l2lb.speaker.reconcile;

import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * The per-IP guard the reconciler hands the announcer: an IP is answered for only while it lies in
 * the pool of its class as the cluster says now. The announcer asks before every reply and
 * gratuitous announcement, so a shrunk pool or a deleted class stops replies at once, before any
 * reconcile pass.
 */
public final class PoolGuard implements Predicate<InetAddress> {

  private final PoolClasses classes;
  private final String className;

  public PoolGuard(PoolClasses classes, String className) {
    this.classes = classes;
    this.className = className;
  }

  @Override
  public boolean test(InetAddress ip) {
    PoolClass c = classes.get(className);
    return c != null && c.contains(ip);
  }

  public String className() {
    return className;
  }
}
