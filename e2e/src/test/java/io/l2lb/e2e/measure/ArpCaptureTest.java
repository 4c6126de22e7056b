package io.l2lb.e2e.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.e2e.measure.ArpCapture.Move;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArpCaptureTest {
  static final String A = "02:00:00:00:00:0a";
  static final String B = "02:00:00:00:00:0b";
  static final String CLIENT = "02:00:00:00:00:01";

  static String reply(String time, String mac, String ip) {
    return time
        + " "
        + mac
        + " > "
        + CLIENT
        + ", ethertype ARP (0x0806), length 42: Reply "
        + ip
        + " is-at "
        + mac
        + ", length 28";
  }

  static String garp(String time, String mac, String ip) {
    return time
        + " "
        + mac
        + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has "
        + ip
        + " (ff:ff:ff:ff:ff:ff) tell "
        + ip
        + ", length 28";
  }

  @Test
  void readsRepliesAndGratuitousArpsButNotOrdinaryRequests() {
    ArpCapture c =
        ArpCapture.parse(
            List.of(
                "tcpdump: listening on eth0",
                reply("100.000001", A, "192.0.2.100"),
                garp("101.500000", B, "192.0.2.100"),
                CLIENT.replace(':', ':') + " nonsense",
                "102.000000 "
                    + CLIENT
                    + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
                    + "Request who-has 192.0.2.100 tell 192.0.2.10, length 28"));
    assertThat(c.claims())
        .containsExactly(
            new ArpCapture.Claim(100_000_001L, "192.0.2.100", A, false),
            new ArpCapture.Claim(101_500_000L, "192.0.2.100", B, true));
  }

  @Test
  void aCleanMoveHasNoDualAnswer() {
    ArpCapture c =
        ArpCapture.parse(
            List.of(
                reply("100.000000", A, "192.0.2.100"),
                garp("103.000000", B, "192.0.2.100"),
                reply("104.000000", B, "192.0.2.100"),
                // moved back later by the operator: legitimate
                garp("200.000000", A, "192.0.2.100")));
    List<Move> moves =
        List.of(new Move("192.0.2.100", 102_900_000L, B), new Move("192.0.2.100", 199_000_000L, A));
    assertThat(c.dualAnswers(moves, 0)).isEmpty();
  }

  @Test
  void theOldOwnerAnsweringAfterTheTakeOverIsADualAnswer() {
    ArpCapture c =
        ArpCapture.parse(
            List.of(
                garp("103.000000", B, "192.0.2.100"),
                reply("103.250000", A, "192.0.2.100"),
                reply("104.000000", B, "192.0.2.100")));
    assertThat(c.dualAnswers(List.of(new Move("192.0.2.100", 102_900_000L, B)), 0))
        .containsExactly(
            new ArpCapture.DualAnswer("192.0.2.100", A, B, 103_000_000L, 103_250_000L));
  }

  @Test
  void theNextOwnerClaimingBeforeTheObserverSawTheMoveIsNoDualAnswer() {
    ArpCapture c =
        ArpCapture.parse(
            List.of(
                garp("103.000000", B, "192.0.2.100"),
                // A takes it back; the observer's watch sees that move only at 110.2
                garp("110.000000", A, "192.0.2.100"),
                reply("110.500000", A, "192.0.2.100")));
    List<Move> moves =
        List.of(new Move("192.0.2.100", 102_900_000L, B), new Move("192.0.2.100", 110_200_000L, A));
    assertThat(c.dualAnswers(moves, 0)).hasSize(1);
    assertThat(c.dualAnswers(moves, 500_000)).isEmpty();
  }
}
