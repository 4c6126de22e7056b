package io.l2lb.speaker.announce;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of gratuitous announcements and of the fencing check.
 *
 * @param garpInterval time between take-over bursts (default 1 s)
 * @param garpDuration how long take-over bursts go on after the first one (default 5 s): with the
 *     defaults bursts go out at 0, 1, 2, 3, 4 and 5 s
 * @param refreshInterval after the take-over, one burst this often for switches that age out their
 *     tables; {@link Duration#ZERO} (default) means off
 * @param ownershipCheckTimeout an {@link OwnershipCheck} not answered within this counts as "not
 *     confirmed" (default 2 s)
 */
public record AnnouncerConfig(
    Duration garpInterval,
    Duration garpDuration,
    Duration refreshInterval,
    Duration ownershipCheckTimeout) {

  public AnnouncerConfig {
    Objects.requireNonNull(garpInterval);
    Objects.requireNonNull(garpDuration);
    Objects.requireNonNull(refreshInterval);
    Objects.requireNonNull(ownershipCheckTimeout);
    if (garpInterval.isNegative() || garpInterval.isZero()) {
      throw new IllegalArgumentException("garpInterval must be positive");
    }
    if (garpDuration.isNegative() || refreshInterval.isNegative()) {
      throw new IllegalArgumentException("garpDuration and refreshInterval must not be negative");
    }
    if (ownershipCheckTimeout.isNegative() || ownershipCheckTimeout.isZero()) {
      throw new IllegalArgumentException("ownershipCheckTimeout must be positive");
    }
  }

  public static AnnouncerConfig defaults() {
    return new AnnouncerConfig(
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(2));
  }

  public AnnouncerConfig withGarp(Duration interval, Duration duration) {
    return new AnnouncerConfig(interval, duration, refreshInterval, ownershipCheckTimeout);
  }

  public AnnouncerConfig withRefreshInterval(Duration refresh) {
    return new AnnouncerConfig(garpInterval, garpDuration, refresh, ownershipCheckTimeout);
  }

  public AnnouncerConfig withOwnershipCheckTimeout(Duration timeout) {
    return new AnnouncerConfig(garpInterval, garpDuration, refreshInterval, timeout);
  }

  /** Bursts after the first one during take-over. */
  int followUpBursts() {
    return (int) (garpDuration.toNanos() / garpInterval.toNanos());
  }
}
