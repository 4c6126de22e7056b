package io.l2lb.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Liveness on the operator's own clock (a hand-driven one here; {@code checkDue} runs the expiry
 * checks the timer runs at each deadline) and a hand-written API server holding the Leases.
 */
class SpeakerLivenessTest {

  /** The Leases as the API server holds them; {@code down} makes every read fail. */
  static final class FakeApiServer implements SpeakerLiveness.LeaseReader {
    final Map<String, Lease> leases = new HashMap<>();
    boolean down;
    int reads;

    @Override
    public Lease read(String name) {
      reads++;
      if (down) {
        throw new IllegalStateException("connection refused");
      }
      return leases.get(name);
    }

    void holds(Lease lease) {
      leases.put(lease.getMetadata().getName(), lease);
    }
  }

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final FakeApiServer api = new FakeApiServer();
  final SpeakerLiveness liveness = new SpeakerLiveness(Duration.ofSeconds(3), api, now::get);
  final AtomicInteger flips = new AtomicInteger();

  {
    liveness.onFlip(flips::incrementAndGet);
  }

  /** The speaker renews: the API server holds the Lease and the watch delivers it. */
  boolean renewed(Lease lease) {
    api.holds(lease);
    return liveness.observe(lease);
  }

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
    assertThat(renewed(lease("a", "2025-01-01T00:00:00Z", 3))).isTrue();
    assertThat(liveness.alive("a")).isTrue();
    advance(Duration.ofMillis(2999));
    liveness.checkDue();
    assertThat(liveness.alive("a")).isTrue();
    assertThat(api.reads).as("nothing to confirm before the deadline").isZero();
    advance(Duration.ofMillis(2));
    liveness.checkDue();
    assertThat(liveness.alive("a")).isFalse();
    assertThat(flips).hasValue(1);
  }

  @Test
  void aRenewalOfALiveNodeFlipsNothing() {
    assertThat(renewed(lease("a", "2026-01-01T00:00:00Z", 3))).isTrue();
    advance(Duration.ofSeconds(1));
    assertThat(renewed(lease("a", "2026-01-01T00:00:01Z", 3))).isFalse();
    assertThat(renewed(lease("a", "2026-01-01T00:00:01Z", 3)))
        .as("an update without a new renewTime is no renewal")
        .isFalse();
    advance(Duration.ofMillis(2500));
    liveness.checkDue();
    assertThat(liveness.alive("a")).as("deadline moved with the renewal").isTrue();
    advance(Duration.ofMillis(600));
    liveness.checkDue();
    assertThat(liveness.alive("a")).isFalse();
    assertThat(renewed(lease("a", "2026-01-01T00:00:09Z", 3)))
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
    liveness.checkDue();
    assertThat(liveness.alive("a")).as("the renewal seen by sync counts").isTrue();
  }

  @Test
  void aRenewalTheWatchHasNotDeliveredYetKeepsTheNodeAlive() {
    renewed(lease("a", "2026-01-01T00:00:00Z", 3));
    advance(Duration.ofMillis(2000));
    api.holds(lease("a", "2026-01-01T00:00:02Z", 3)); // the watch lags: no observe
    advance(Duration.ofMillis(1001));
    liveness.checkDue();
    assertThat(liveness.alive("a")).as("the expiry read found the renewal").isTrue();
    assertThat(api.reads).isEqualTo(1);
    advance(Duration.ofMillis(3000));
    liveness.checkDue();
    assertThat(liveness.alive("a")).as("a lease duration after the renewal found").isFalse();
    assertThat(flips).hasValue(1);
  }

  @Test
  void aLeaseGoneFromTheApiServerAtItsExpiryIsDead() {
    renewed(lease("a", "2026-01-01T00:00:00Z", 3));
    api.leases.clear(); // the delete event has not arrived
    advance(Duration.ofMillis(3001));
    liveness.checkDue();
    assertThat(liveness.alive("a")).isFalse();
  }

  /**
   * The e2e story's failure: the kube-apiserver restarted, every Lease expired on our clock while
   * the speakers could not renew, and the nodes came back one by one: every IP moved.
   */
  @Test
  void anApiServerOutageFailsNobodyOverAndTheSpeakersGetALeaseDurationAfterIt() {
    renewed(lease("a", "2026-01-01T00:00:00Z", 3));
    renewed(lease("b", "2026-01-01T00:00:00Z", 3));
    api.down = true;
    for (int i = 0; i < 40; i++) {
      advance(SpeakerLiveness.UNREACHABLE_RETRY);
      liveness.checkDue();
    }
    assertThat(liveness.alive("a")).as("10 s of outage").isTrue();
    assertThat(liveness.alive("b")).isTrue();
    assertThat(flips).hasValue(0);

    api.down = false; // back, the speakers have not renewed yet (their old Leases)
    liveness.checkDue();
    assertThat(liveness.alive("a")).isTrue();
    advance(Duration.ofMillis(1000));
    assertThat(renewed(lease("a", "2026-01-01T00:00:11Z", 3))).as("no flip: a lived").isFalse();
    advance(Duration.ofMillis(1999));
    liveness.checkDue();
    assertThat(liveness.alive("b")).as("still within a lease duration of the return").isTrue();
    advance(Duration.ofMillis(2));
    liveness.checkDue();
    assertThat(liveness.alive("b")).as("b never renewed after the outage").isFalse();
    assertThat(liveness.alive("a")).isTrue();
    assertThat(flips).hasValue(1);
  }
}
