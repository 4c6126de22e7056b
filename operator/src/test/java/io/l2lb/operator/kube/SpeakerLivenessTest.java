package io.l2lb.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Liveness on the operator's own clock (a hand-driven one here). */
class SpeakerLivenessTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final SpeakerLiveness liveness = new SpeakerLiveness(Duration.ofSeconds(3), now::get);

  static Lease lease(String node, String renewTime, Integer seconds) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("l2lb-speaker-" + node)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(node)
        .withLeaseDurationSeconds(seconds)
        .withRenewTime(renewTime == null ? null : ZonedDateTime.parse(renewTime))
        .endSpec()
        .build();
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void firstSightCountsAsRenewedNowWhateverTheSpeakersClockSays() {
    // renewTime a year in the past: skew, or an operator restart long after; still alive now
    assertThat(liveness.observe(lease("a", "2025-01-01T00:00:00Z", 3))).isTrue();
    assertThat(liveness.alive("a")).isTrue();
    advance(Duration.ofMillis(2999));
    assertThat(liveness.alive("a")).isTrue();
    advance(Duration.ofMillis(2));
    assertThat(liveness.alive("a")).isFalse();
  }

  @Test
  void aRenewalOfALiveNodeFlipsNothing() {
    assertThat(liveness.observe(lease("a", "2026-01-01T00:00:00Z", 3))).isTrue();
    advance(Duration.ofSeconds(1));
    assertThat(liveness.observe(lease("a", "2026-01-01T00:00:01Z", 3))).isFalse();
    assertThat(liveness.observe(lease("a", "2026-01-01T00:00:01Z", 3)))
        .as("an update without a new renewTime is no renewal")
        .isFalse();
    advance(Duration.ofMillis(2500));
    assertThat(liveness.alive("a")).as("deadline moved with the renewal").isTrue();
    advance(Duration.ofMillis(600));
    assertThat(liveness.alive("a")).isFalse();
    assertThat(liveness.observe(lease("a", "2026-01-01T00:00:09Z", 3)))
        .as("a renewal after expiry flips back")
        .isTrue();
  }

  @Test
  void aDeletedLeaseIsDeadNow() {
    liveness.observe(lease("a", "2026-01-01T00:00:00Z", 30));
    assertThat(liveness.deleted(lease("a", null, null))).isTrue();
    assertThat(liveness.alive("a")).isFalse();
    assertThat(liveness.deleted(lease("a", null, null))).isFalse();
  }

  @Test
  void otherLeasesAreIgnored() {
    Lease leader = lease("x", "2026-01-01T00:00:00Z", 15);
    leader.getMetadata().setName("l2lb-operator-leader");
    assertThat(liveness.observe(leader)).isFalse();
    assertThat(liveness.alive("x")).isFalse();
  }

  /**
   * HandoverIT's flake: a freshly started operator's first pass ran while the informer was still
   * delivering the initial list's Lease events (its cache was synced, the filters had not seen
   * them): every node looked dead, the pass unannounced every IP, the next one placed them again.
   * The pass now reads liveness in line with the cache.
   */
  @Test
  void aPassSeesWhatTheCacheHoldsEvenBeforeItsEventsArrive() {
    assertThat(liveness.alive("a")).as("no event delivered yet").isFalse();
    liveness.sync(java.util.List.of(lease("a", "2026-01-01T00:00:00Z", 3), lease("b", null, 3)));
    assertThat(liveness.alive("a")).isTrue();
    assertThat(liveness.alive("b")).isTrue();
    assertThat(liveness.observe(lease("a", "2026-01-01T00:00:00Z", 3)))
        .as("the late event is no news")
        .isFalse();

    advance(Duration.ofSeconds(1));
    liveness.sync(java.util.List.of(lease("a", "2026-01-01T00:00:01Z", 3)));
    assertThat(liveness.alive("b")).as("gone from the cache: deleted, dead now").isFalse();
    advance(Duration.ofMillis(2900));
    assertThat(liveness.alive("a")).as("the renewal seen by sync counts").isTrue();
  }
}
