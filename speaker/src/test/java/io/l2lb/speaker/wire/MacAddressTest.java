package io.l2lb.speaker.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

  @Test
  void parsesFormatsAndRoundTripsBytes() {
    MacAddress mac = MacAddress.parse("02-00-5E-10-00-FF");
    assertThat(mac.toString()).isEqualTo("02:00:5e:10:00:ff");
    assertThat(MacAddress.of(mac.toBytes())).isEqualTo(mac);
    assertThat(mac.toBytes()).containsExactly(0x02, 0x00, 0x5e, 0x10, 0x00, 0xff);
  }

  @Test
  void knowsBroadcastAndMulticast() {
    assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
    assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
    assertThat(MacAddress.parse("33:33:00:00:00:01").isMulticast()).isTrue();
    assertThat(Frames.NODE_MAC.isMulticast()).isFalse();
  }

  @Test
  void mapsIpv6MulticastToEthernetGroup() {
    assertThat(MacAddress.ipv6Multicast(Ip.parse6("ff02::1:ff00:100").getAddress()))
        .isEqualTo(MacAddress.parse("33:33:ff:00:01:00"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "02:00:00:00:00", "02:00:00:00:00:00:00", "zz:00:00:00:00:00"})
  void rejectsMalformed(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
