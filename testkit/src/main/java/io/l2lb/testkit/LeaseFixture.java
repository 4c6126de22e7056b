package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A coordination.k8s.io/v1 Lease (holder, renew time, duration), e.g. a speaker's liveness lease.
 */
public final class LeaseFixture {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private String holder;
  private Integer durationSeconds;
  private ZonedDateTime renewTime;
  private ZonedDateTime acquireTime;

  LeaseFixture(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = Objects.requireNonNull(name);
  }

  public LeaseFixture holder(String identity) {
    this.holder = identity;
    return this;
  }

  public LeaseFixture durationSeconds(int seconds) {
    this.durationSeconds = seconds;
    return this;
  }

  public LeaseFixture renewedNow() {
    return renewedAt(Instant.now());
  }

  /**
   * A renew time in the past, e.g. {@code renewedAgo(Duration.ofMinutes(1))} for an expired lease.
   */
  public LeaseFixture renewedAgo(Duration age) {
    return renewedAt(Instant.now().minus(age));
  }

  public LeaseFixture renewedAt(Instant when) {
    this.renewTime = ZonedDateTime.ofInstant(when.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    return this;
  }

  public LeaseFixture acquiredAt(Instant when) {
    this.acquireTime = ZonedDateTime.ofInstant(when.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    return this;
  }

  public Lease create() {
    ZonedDateTime renew =
        renewTime != null
            ? renewTime
            : ZonedDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(durationSeconds)
            .withRenewTime(renew)
            .withAcquireTime(acquireTime != null ? acquireTime : renew)
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    return client.leases().inNamespace(namespace).resource(lease).create();
  }

  /** Changes what was set here on an existing lease; a new holder counts as a transition. */
  public Lease update() {
    return client
        .leases()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            l -> {
              var spec = l.getSpec();
              if (holder != null && !holder.equals(spec.getHolderIdentity())) {
                spec.setHolderIdentity(holder);
                spec.setLeaseTransitions(
                    spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
                spec.setAcquireTime(acquireTime != null ? acquireTime : renewTime);
              } else if (acquireTime != null) {
                spec.setAcquireTime(acquireTime);
              }
              if (durationSeconds != null) {
                spec.setLeaseDurationSeconds(durationSeconds);
              }
              if (renewTime != null) {
                spec.setRenewTime(renewTime);
              }
              return l;
            });
  }

  public Lease apply() {
    return client.leases().inNamespace(namespace).withName(name).get() == null
        ? create()
        : update();
  }
}
