package io.l2lb.cli.kube;

import io.l2lb.cli.CliError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context for a kubeconfig: trust the cluster's CA (or the JDK's, when none is given),
 * present the client certificate. Private keys are read from PEM as kubectl writes them: PKCS#8
 * ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY"); the last two are wrapped
 * into PKCS#8 here, because the JDK reads only that.
 */
final class Tls {
  private Tls() {}

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

  static SSLContext context(KubeConfig.Access a) {
    try {
      TrustManager[] trust = null;
      if (a.insecure()) {
        trust = new TrustManager[] {new TrustAll()};
      } else if (a.caPem() != null) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int n = 0;
        for (Certificate c : certificates(a.caPem())) {
          ts.setCertificateEntry("ca" + n++, c);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trust = tmf.getTrustManagers();
      }
      javax.net.ssl.KeyManager[] keys = null;
      if (a.clientCertPem() != null && a.clientKeyPem() != null) {
        List<Certificate> chain = certificates(a.clientCertPem());
        PrivateKey key = privateKey(a.clientKeyPem());
        // Our own key manager, not a PKCS12 KeyStore + KeyManagerFactory: a PKCS12 store
        // encrypts the key on setKeyEntry and decrypts it again (PBKDF2, 10,000 rounds), which
        // a cold JVM pays ~0.2 s for, per run.
        keys =
            new javax.net.ssl.KeyManager[] {
              new ClientKey(key, chain.toArray(new X509Certificate[0]))
            };
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw CliError.runtime(
          "cannot use the TLS settings of context \"" + a.contextName() + "\": " + e.getMessage(),
          e);
    }
  }

  /** A server-side context with one key (the start-up training server, {@link TrainingServer}). */
  static SSLContext serverContext(byte[] certPem, byte[] keyPem) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        new javax.net.ssl.KeyManager[] {
          new ClientKey(privateKey(keyPem), certificates(certPem).toArray(new X509Certificate[0]))
        },
        null,
        new SecureRandom());
    return ctx;
  }

  static List<Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    return new ArrayList<>(cf.generateCertificates(new ByteArrayInputStream(pem)));
  }

  static PrivateKey privateKey(byte[] pemBytes) throws GeneralSecurityException {
    String pem = new String(pemBytes, StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(RSA_ALGORITHM, der)));
        case "EC PRIVATE KEY":
          return KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(ecAlgorithm(der), der)));
        default:
          // e.g. "EC PARAMETERS" before the key: skip
      }
    }
    throw new GeneralSecurityException("no PEM private key found in the client key");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  // AlgorithmIdentifier { rsaEncryption, NULL }
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  // id-ecPublicKey 1.2.840.10045.2.1
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  /**
   * SEC1 ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters (the curve
   * OID), [1] publicKey }: the AlgorithmIdentifier for PKCS#8 is {id-ecPublicKey, curve}.
   */
  private static byte[] ecAlgorithm(byte[] sec1) throws GeneralSecurityException {
    int[] seq = header(sec1, 0);
    int p = seq[0];
    int end = seq[0] + seq[1];
    while (p < end) {
      int tag = sec1[p] & 0xff;
      int[] h = header(sec1, p);
      if (tag == 0xa0) {
        byte[] curve = Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
        return der(0x30, concat(EC_PUBLIC_KEY_OID, curve));
      }
      p = h[0] + h[1];
    }
    throw new GeneralSecurityException("EC private key without curve parameters");
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, key)));
  }

  /** {content offset, content length} of the DER element at {@code at}. */
  private static int[] header(byte[] d, int at) throws GeneralSecurityException {
    if (at + 1 >= d.length) {
      throw new GeneralSecurityException("truncated DER");
    }
    int len = d[at + 1] & 0xff;
    int p = at + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int k = 0; k < n; k++) {
        len = (len << 8) | (d[p++] & 0xff);
      }
    }
    return new int[] {p, len};
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The one client certificate of the kubeconfig, offered for every handshake. */
  private static final class ClientKey extends javax.net.ssl.X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKey(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String chooseClientAlias(
        String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(
        String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
      return "client";
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String chooseServerAlias(
        String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineServerAlias(
        String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
      return "client";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  /** insecure-skip-tls-verify: true, as the user asked for. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
