package io.l2lb.speaker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.speaker.wire.FakeInterfaces;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterfaceChoiceTest {

  final FakeInterfaces node =
      new FakeInterfaces()
          .with("lo", "127.0.0.1")
          .with("eth0", "192.0.2.11", "2001:db8::11")
          .with("eth1")
          .with("bond0", "198.51.100.11");

  InterfaceChoice.Result choose(
      List<String> spec, List<String> cls, Optional<String> dflt, List<String> nodeIps) {
    return InterfaceChoice.choose(spec, cls, dflt, nodeIps, node);
  }

  @Test
  void theObjectsListComesFirst() {
    assertThat(
            choose(List.of("eth1"), List.of("bond0"), Optional.of("eth0"), List.of("192.0.2.11"))
                .name())
        .isEqualTo("eth1");
  }

  @Test
  void thenTheClassList() {
    assertThat(
            choose(List.of(), List.of("bond0"), Optional.of("eth0"), List.of("192.0.2.11")).name())
        .isEqualTo("bond0");
  }

  @Test
  void thenTheConfiguredDefault() {
    assertThat(choose(List.of(), List.of(), Optional.of("eth1"), List.of("192.0.2.11")).name())
        .isEqualTo("eth1");
  }

  @Test
  void thenTheInterfaceHoldingAnInternalIp() {
    assertThat(
            choose(List.of(), List.of(), Optional.empty(), List.of("10.9.9.9", "198.51.100.11"))
                .name())
        .isEqualTo("bond0");
    assertThat(choose(List.of(), List.of(), Optional.empty(), List.of("2001:db8::11")).name())
        .isEqualTo("eth0");
  }

  @Test
  void fromAListTheFirstExistingOneWins() {
    assertThat(
            choose(List.of("ens3", "eth1", "eth0"), List.of(), Optional.empty(), List.of()).name())
        .isEqualTo("eth1");
  }

  @Test
  void aListWithNoExistingInterfaceIsAnErrorNotAFallThrough() {
    InterfaceChoice.Result r =
        choose(List.of(), List.of("ens3"), Optional.empty(), List.of("192.0.2.11"));
    assertThat(r.ok()).isFalse();
    assertThat(r.error())
        .contains("the class's l2.interfaces [ens3]", "interfaces here: lo, eth0, eth1, bond0");
  }

  @Test
  void noLocalInterfaceForTheInternalIpSaysWhyAndWhatExists() {
    InterfaceChoice.Result r =
        choose(List.of(), List.of(), Optional.empty(), List.of("203.0.113.7"));
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("203.0.113.7", "host network namespace", "eth0");
    assertThat(choose(List.of(), List.of(), Optional.empty(), List.of()).error())
        .contains("not known");
    assertThat(choose(List.of(), List.of(), Optional.of("wlan0"), List.of()).error())
        .contains("configured interface wlan0 does not exist");
  }
}
