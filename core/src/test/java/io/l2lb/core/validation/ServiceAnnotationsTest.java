package io.l2lb.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.Names.Annotations;
import io.l2lb.core.pool.AddressPool;
import io.l2lb.core.pool.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceAnnotationsTest {
  private static final AddressPool POOL =
      AddressPool.parse(List.of("192.0.2.100-192.0.2.104", "2001:db8::/126"));
  private static final String COUNT = Annotations.EXTERNAL_IPS_COUNT;
  private static final String IPS = Annotations.LOAD_BALANCER_IPS;

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(Map.of(), 1, List.of()),
        Arguments.of(Map.of(COUNT, "3"), 3, List.of()),
        Arguments.of(Map.of(COUNT, " 2 "), 2, List.of()),
        Arguments.of(Map.of(COUNT, "9"), 9, List.of()),
        // more than the pool (9 addresses) is no error: the Service gets what exists
        Arguments.of(Map.of(COUNT, "10"), 10, List.of()),
        Arguments.of(Map.of(COUNT, "1024"), 1024, List.of()),
        Arguments.of(
            Map.of(IPS, "192.0.2.101, 2001:db8::2"), 2, List.of("192.0.2.101", "2001:db8::2")),
        Arguments.of(Map.of(IPS, "192.0.2.104", COUNT, "1"), 1, List.of("192.0.2.104")),
        Arguments.of(Map.of(IPS, "2001:DB8:0::3"), 1, List.of("2001:db8::3")));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void acceptsValidAnnotations(Map<String, String> annotations, int wanted, List<String> ips) {
    ServiceRequest request = ServiceAnnotations.parse(annotations, "front", POOL);
    assertThat(request.problems()).isEmpty();
    assertThat(request.wantedCount()).isEqualTo(wanted);
    assertThat(request.requestedIps()).extracting(IpAddress::toString).isEqualTo(ips);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            Map.of(COUNT, "three"), COUNT, List.of("\"three\" is not an integer", "e.g. \"3\"")),
        Arguments.of(Map.of(COUNT, "1.5"), COUNT, List.of("not an integer")),
        Arguments.of(Map.of(COUNT, "0"), COUNT, List.of("below 1", "set it to 1 or more")),
        Arguments.of(Map.of(COUNT, "-2"), COUNT, List.of("below 1")),
        Arguments.of(
            Map.of(COUNT, "1025"),
            COUNT,
            List.of("value 1025 is above 1024", "set it to the number of IPs the Service needs")),
        Arguments.of(
            Map.of(IPS, "192.0.2.200"),
            IPS,
            List.of(
                "192.0.2.200 is outside the pool of class front",
                "192.0.2.100-192.0.2.104",
                "pick addresses from that pool")),
        Arguments.of(
            Map.of(IPS, "192.0.2.101,192.0.2.101"), IPS, List.of("192.0.2.101 is listed twice")),
        Arguments.of(
            Map.of(IPS, "192.0.2.101,frontend"),
            IPS,
            List.of("\"frontend\" is not an IPv4 or IPv6 address")),
        Arguments.of(Map.of(IPS, "192.0.2.101,,192.0.2.102"), IPS, List.of("empty entry")),
        Arguments.of(
            Map.of(IPS, "192.0.2.101,192.0.2.102", COUNT, "3"),
            IPS,
            List.of(
                "lists 2 IPs but " + COUNT + " asks for 3",
                "list exactly 3 IPs or set the count to 2")));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsInvalidAnnotationsNamingFieldAndFix(
      Map<String, String> annotations, String field, List<String> fragments) {
    ServiceRequest request = ServiceAnnotations.parse(annotations, "front", POOL);
    assertThat(request.valid()).isFalse();
    assertThat(request.problems())
        .first()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo(field);
              assertThat(p.message()).contains(fragments);
              assertThat(p.isError()).isTrue();
            });
  }
}
