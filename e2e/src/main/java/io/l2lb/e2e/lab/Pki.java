package io.l2lb.e2e.lab;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The lab cluster's own certificates: one CA, the API server's serving certificate (valid for the
 * loopback address and the address the lab namespaces reach it on), an admin client certificate in
 * {@code system:masters}, and the service-account signing key pair. All ECDSA P-256 (fast to make,
 * accepted by kube-apiserver), valid for 30 days, written as PEM.
 */
final class Pki {
  private static final SecureRandom RANDOM = new SecureRandom();

  record Material(
      Path caCert,
      Path serverCert,
      Path serverKey,
      Path adminCert,
      Path adminKey,
      Path serviceAccountKey,
      Path serviceAccountPub) {}

  private Pki() {}

  /**
   * Makes every file in {@code dir} unless they are there already (a restarted lab reuses them).
   */
  static Material ensure(Path dir, List<String> serverIps) {
    Material f =
        new Material(
            dir.resolve("ca.crt"),
            dir.resolve("apiserver.crt"),
            dir.resolve("apiserver.key"),
            dir.resolve("admin.crt"),
            dir.resolve("admin.key"),
            dir.resolve("sa.key"),
            dir.resolve("sa.pub"));
    if (Files.isRegularFile(f.serviceAccountPub())) {
      return f;
    }
    try {
      Files.createDirectories(dir);
      KeyPair caKey = newKey();
      X500Name caName = new X500Name("CN=l2lb-lab-ca");
      X509Certificate ca = sign(caName, caKey, caName, caKey, true, null, null);
      KeyPair serverKey = newKey();
      List<GeneralName> sans = new ArrayList<>();
      for (String dns :
          List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc")) {
        sans.add(new GeneralName(GeneralName.dNSName, dns));
      }
      sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      sans.add(new GeneralName(GeneralName.iPAddress, "10.0.0.1"));
      for (String ip : serverIps) {
        sans.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      X509Certificate server =
          sign(
              new X500Name("CN=kube-apiserver"),
              serverKey,
              caName,
              caKey,
              false,
              KeyPurposeId.id_kp_serverAuth,
              new GeneralNames(sans.toArray(new GeneralName[0])));
      KeyPair adminKey = newKey();
      X509Certificate admin =
          sign(
              new X500Name("O=system:masters,CN=l2lb-lab-admin"),
              adminKey,
              caName,
              caKey,
              false,
              KeyPurposeId.id_kp_clientAuth,
              null);
      KeyPair saKey = newKey();
      write(f.caCert(), ca);
      write(f.serverCert(), server);
      write(f.serverKey(), serverKey.getPrivate());
      write(f.adminCert(), admin);
      write(f.adminKey(), adminKey.getPrivate());
      write(f.serviceAccountKey(), saKey.getPrivate());
      write(f.serviceAccountPub(), saKey.getPublic());
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not make the lab certificates: " + e, e);
    }
  }

  private static KeyPair newKey() throws GeneralSecurityException {
    // RSA: every consumer reads it (fabric8's PEM reader mis-parses PKCS#8 EC keys)
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name subject,
      KeyPair subjectKey,
      X500Name issuer,
      KeyPair issuerKey,
      boolean ca,
      KeyPurposeId purpose,
      GeneralNames sans)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(30))),
            subject,
            subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (ca) {
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (sans != null) {
      b.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
  }

  private static void write(Path file, Object pemObject) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      // private keys as PKCS#8 ("PRIVATE KEY"), which carries the curve: Go's parser needs it
      w.writeObject(
          pemObject instanceof PrivateKey k
              ? new JcaPKCS8Generator(k, null).generate()
              : pemObject);
    }
    Files.writeString(file, out.toString());
  }
}
