package io.l2lb.speaker;

import io.l2lb.speaker.announce.AnnouncerMetrics;
import io.l2lb.speaker.kube.LeaseKeeper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The speaker's Prometheus metrics, in a registry of its own (no JVM metrics: they cost memory and
 * the pod's cgroup already reports it). {@code family} is {@code ipv4} (ARP) or {@code ipv6} (NDP).
 */
public final class SpeakerMetrics implements AnnouncerMetrics, LeaseKeeper.Listener {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests =
      counter(
          "l2lb_speaker_requests_received",
          "ARP requests / neighbour solicitations received for an IP this node holds");
  private final Counter replies =
      counter("l2lb_speaker_replies_sent", "ARP replies / solicited neighbour advertisements sent");
  private final Counter gratuitous =
      counter(
          "l2lb_speaker_gratuitous_sent",
          "gratuitous ARP (each form) / unsolicited neighbour advertisements sent");
  private final Counter conflicts =
      counter("l2lb_speaker_conflicts", "another MAC claimed an IP this node announces");
  private final Counter fences =
      counter(
          "l2lb_speaker_fenced", "IPs this node stopped answering for: ownership not confirmed");
  private final Counter leaseRenewals =
      Counter.builder()
          .name("l2lb_speaker_lease_renewals")
          .help("successful renewals of the speaker Lease")
          .register(registry);
  private final Counter leaseFailures =
      Counter.builder()
          .name("l2lb_speaker_lease_renewal_failures")
          .help("failed renewals of the speaker Lease")
          .register(registry);

  private Counter counter(String name, String help) {
    Counter c = Counter.builder().name(name).help(help).labelNames("family").register(registry);
    for (Family f : Family.values()) {
      c.labelValues(
          label(f)); // present from the start, at 0, so rate() works from the first scrape
    }
    return c;
  }

  /**
   * @param announced the IPs answered for right now, read at scrape time
   */
  public void announcedIps(Supplier<Collection<InetAddress>> announced) {
    GaugeWithCallback.builder()
        .name("l2lb_speaker_announced_ips")
        .help("IPs this node answers ARP/NDP for")
        .labelNames("family")
        .callback(
            cb -> {
              Collection<InetAddress> ips = announced.get();
              long v4 = ips.stream().filter(ip -> ip instanceof Inet4Address).count();
              cb.call(v4, "ipv4");
              cb.call(ips.size() - v4, "ipv6");
            })
        .register(registry);
  }

  private static String label(Family f) {
    return f.name().toLowerCase(Locale.ROOT);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void requestReceived(Family family) {
    requests.labelValues(label(family)).inc();
  }

  @Override
  public void replySent(Family family) {
    replies.labelValues(label(family)).inc();
  }

  @Override
  public void gratuitousSent(Family family) {
    gratuitous.labelValues(label(family)).inc();
  }

  @Override
  public void conflictSeen(Family family) {
    conflicts.labelValues(label(family)).inc();
  }

  @Override
  public void fenced(Family family) {
    fences.labelValues(label(family)).inc();
  }

  @Override
  public void renewed() {
    leaseRenewals.inc();
  }

  @Override
  public void failed() {
    leaseFailures.inc();
  }
}
