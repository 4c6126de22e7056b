package io.l2lb.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.PrivateKey;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client keys in every PEM form kubectl users have: PKCS#1, SEC1 and PKCS#8. */
class TlsTest {
  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("rsa-pkcs1.pem", "RSA"),
        Arguments.of("rsa-pkcs8.pem", "RSA"),
        Arguments.of("ec-sec1.pem", "EC"),
        Arguments.of("ec-pkcs8.pem", "EC"),
        Arguments.of("ed25519.pem", "EdDSA"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void readsPrivateKeys(String file, String algorithm) throws Exception {
    byte[] pem;
    try (InputStream in = TlsTest.class.getResourceAsStream("/keys/" + file)) {
      pem = in.readAllBytes();
    }
    PrivateKey k = Tls.privateKey(pem);
    assertThat(k.getAlgorithm()).isIn(algorithm, "Ed25519");
  }
}
