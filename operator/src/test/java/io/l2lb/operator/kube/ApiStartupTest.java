package io.l2lb.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiStartupTest {
  final AtomicLong now = new AtomicLong();
  final List<Duration> pauses = new ArrayList<>();

  ApiStartup.Pause pause() {
    return d -> {
      pauses.add(d);
      now.addAndGet(d.toNanos());
    };
  }

  /** A read that fails with {@code code} {@code failures} times, then succeeds. */
  static Runnable failing(int code, int failures, AtomicInteger calls) {
    return () -> {
      if (calls.incrementAndGet() <= failures) {
        throw new KubernetesClientException("refused", code, null);
      }
    };
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        // code, waited out?
        Arguments.of(429, true), // CRD storage initializing
        Arguments.of(0, true), // no answer: connection refused, timeout
        Arguments.of(500, true),
        Arguments.of(503, true),
        Arguments.of(403, false), // RBAC: waiting cures nothing
        Arguments.of(404, false), // CRDs not installed
        Arguments.of(401, false));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void waitsOutWhatTimeCuresAndFailsAtOnceOnTheRest(int code, boolean waitedOut) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Map<String, Runnable> reads = Map.of("metalloadbalancerclasses", failing(code, 3, calls));
    if (waitedOut) {
      ApiStartup.awaitServed(reads, Duration.ofMinutes(2), now::get, pause());
      assertThat(calls).hasValue(4);
      assertThat(pauses)
          .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    } else {
      assertThatThrownBy(
              () -> ApiStartup.awaitServed(reads, Duration.ofMinutes(2), now::get, pause()))
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(code));
      assertThat(calls).hasValue(1);
      assertThat(pauses).isEmpty();
    }
  }

  @Test
  void givesUpWithTheLastFailureWhenTheTimeIsUpAndCapsTheBackoff() {
    AtomicInteger calls = new AtomicInteger();
    Map<String, Runnable> reads = new LinkedHashMap<>();
    reads.put("metalloadbalancerclasses", () -> {});
    reads.put("l2announcements", failing(429, Integer.MAX_VALUE, calls));
    assertThatThrownBy(
            () -> ApiStartup.awaitServed(reads, Duration.ofSeconds(20), now::get, pause()))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(429));
    assertThat(pauses).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(4)));
    assertThat(now.get()).isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos());
  }
}
