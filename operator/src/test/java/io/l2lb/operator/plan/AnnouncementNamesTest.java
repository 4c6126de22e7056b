package io.l2lb.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnnouncementNamesTest {

  static final String DNS1123_SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("web", "192.0.2.100", "web.192-0-2-100"),
        Arguments.of("web", "2001:db8::1", "web.2001-db8-0-0-0-0-0-1"),
        Arguments.of("a-2001", "::1", "a-2001.0-0-0-0-0-0-0-1"),
        Arguments.of("x", "2001:db8:ffff::ffff", "x.2001-db8-ffff-0-0-0-0-ffff"),
        Arguments.of("x", "0.0.0.0", "x.0-0-0-0"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void deterministicAndDns1123Safe(String service, String ip, String expected) {
    String name = AnnouncementNames.of(new ServiceKey("ns", service), IpAddress.parse(ip));
    assertThat(name).isEqualTo(expected).matches(DNS1123_SUBDOMAIN);
    assertThat(name.length()).isLessThanOrEqualTo(253);
  }
}
