package io.l2lb.e2e.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficLogTest {
  static final List<String> LINES =
      List.of(
          "resolved app.example.com 192.0.2.100,192.0.2.101",
          "0 1000 192.0.2.100 ok front-0 900",
          "1 1050 192.0.2.101 ok front-1 800",
          "2 1100 192.0.2.100 fail SocketTimeoutException 300000",
          "3 1150 192.0.2.101 ok front-1 700",
          "4 1200 192.0.2.100 fail SocketTimeoutException 300000",
          "5 2250 192.0.2.100 ok front-2 1200");

  @Test
  void answersTheStorysQuestions() {
    TrafficLog log = TrafficLog.parse(LINES);
    assertThat(log.requests()).hasSize(6);
    assertThat(log.failures(1000, 3000))
        .extracting(TrafficLog.Request::seq)
        .containsExactly(2L, 4L);
    assertThat(log.firstSuccess("192.0.2.100", 1100))
        .get()
        .extracting(TrafficLog.Request::detail)
        .isEqualTo("front-2");
    assertThat(log.servedBy("192.0.2.100", 1100)).contains("front-0");
    assertThat(log.lastFailure("192.0.2.100", 1000, 3000))
        .get()
        .extracting(TrafficLog.Request::seq)
        .isEqualTo(4L);
    assertThat(log.successesPerSecond(1000, 2).get("192.0.2.100")).containsExactly(1, 1);
    assertThat(log.successesPerSecond(1000, 2).get("192.0.2.101")).containsExactly(2, 0);
  }
}
