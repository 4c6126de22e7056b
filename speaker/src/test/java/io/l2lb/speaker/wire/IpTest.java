package io.l2lb.speaker.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpTest {

  @Test
  void parsesLiteralsOfBothFamilies() {
    assertThat(Ip.parse("192.0.2.100")).isInstanceOf(Inet4Address.class);
    assertThat(Ip.parse("2001:db8::100")).isInstanceOf(Inet6Address.class);
    assertThat(Ip.parse("2001:db8::100")).isEqualTo(Ip.parse("2001:0db8:0:0:0:0:0:0100"));
  }

  @Test
  void textIsTheShortFormPeopleWrite() {
    assertThat(Ip.text(Ip.parse("2001:0db8:0:0:0:0:0:0100"))).isEqualTo("2001:db8::100");
    assertThat(Ip.text(Ip.parse("192.0.2.7"))).isEqualTo("192.0.2.7");
    assertThat(Ip.text(Ip.parse("fe80::1"))).isEqualTo("fe80::1");
  }

  /** Names would mean a DNS lookup; they must be refused before InetAddress sees them. */
  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.invalid", "1.2.3", "", "2001:db8::zz"})
  void refusesNamesAndGarbage(String text) {
    assertThatThrownBy(() -> Ip.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void computesSolicitedNodeGroup() {
    assertThat(Ip.solicitedNode(Ip.parse6("2001:db8::1:2345:6789")))
        .isEqualTo(Ip.parse6("ff02::1:ff45:6789"));
  }

  @Test
  void readsIpv4MappedBytesAsIpv6() {
    byte[] mapped = Ip.parse6("2001:db8::1").getAddress();
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(new byte[10], 0, mapped, 0, 10);
    assertThat(Ip.read6(mapped, 0)).isInstanceOf(Inet6Address.class);
  }
}
