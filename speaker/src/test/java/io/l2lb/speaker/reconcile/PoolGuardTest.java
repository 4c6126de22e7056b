package io.l2lb.speaker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.l2lb.core.model.ClassInfo;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolGuardTest {

  static final List<String> POOL =
      List.of("192.0.2.96/28", "192.0.2.200-192.0.2.201", "2001:db8::100/124", "not-an-entry");

  static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }

  /** 16 bytes as a frame carries them: always IPv6, also when IPv4-mapped. */
  static InetAddress v6(int... tail) throws UnknownHostException {
    byte[] b = new byte[16];
    for (int i = 0; i < tail.length; i++) {
      b[16 - tail.length + i] = (byte) tail[i];
    }
    return Inet6Address.getByAddress(null, b, null);
  }

  static InetAddress doc6(int lastByte) throws UnknownHostException {
    byte[] b = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, (byte) lastByte};
    return InetAddress.getByAddress(b);
  }

  static Stream<Arguments> addresses() throws UnknownHostException {
    return Stream.of(
        // an IPv4 CIDR's network and broadcast addresses are not in the pool
        arguments(v4(192, 0, 2, 96), false),
        arguments(v4(192, 0, 2, 97), true),
        arguments(v4(192, 0, 2, 110), true),
        arguments(v4(192, 0, 2, 111), false),
        arguments(v4(192, 0, 2, 112), false),
        arguments(v4(192, 0, 2, 95), false),
        arguments(v4(192, 0, 2, 201), true),
        arguments(v4(192, 0, 2, 202), false),
        arguments(doc6(0x00), true),
        arguments(doc6(0x0f), true),
        arguments(doc6(0x10), false),
        // ::ffff:192.0.2.100 is not 192.0.2.100: a v4 pool never admits an IPv6 address
        arguments(v6(0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 100), false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("addresses")
  void admitsExactlyThePoolsAddresses(InetAddress ip, boolean admitted) {
    PoolClasses classes = new PoolClasses();
    classes.put(new ClassInfo("public", false, "L2", POOL, Map.of(), List.of()));

    assertThat(new PoolGuard(classes, "public").test(ip)).isEqualTo(admitted);
    assertThat(classes.get("public").poolErrors())
        .singleElement()
        .asString()
        .contains("addressPool[3] 'not-an-entry'");
  }

  @Test
  void followsTheClassAsItChanges() throws UnknownHostException {
    PoolClasses classes = new PoolClasses();
    PoolGuard guard = new PoolGuard(classes, "public");
    InetAddress ip = v4(192, 0, 2, 100);
    assertThat(guard.test(ip)).as("no such class yet").isFalse();

    classes.put(
        new ClassInfo("public", false, "L2", List.of("192.0.2.96/28"), Map.of(), List.of()));
    assertThat(guard.test(ip)).isTrue();

    classes.put(new ClassInfo("public", false, "L2", List.of("192.0.2.0/28"), Map.of(), List.of()));
    assertThat(guard.test(ip)).as("pool shrunk").isFalse();

    classes.put(
        new ClassInfo("public", false, "L2", List.of("192.0.2.96/28"), Map.of(), List.of()));
    classes.remove("public");
    assertThat(guard.test(ip)).as("class deleted").isFalse();
    assertThat(new PoolGuard(classes, null).test(ip)).as("no class named").isFalse();
  }
}
