package io.l2lb.cli.kube;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over one kept-alive socket, on the calling thread. Why not java.net.http: its selector
 * thread waits in native code, and the VM waits up to 300 ms at exit for such threads, every run;
 * it also costs ~400 classes more to start. The API server speaks HTTP/1.1, which is all a CLI
 * needs (chunked bodies for watches included).
 */
final class Http1 implements AutoCloseable {

  /** Status, headers (lower-case names) and a body stream that ends with the response. */
  record Response(int status, Map<String, String> headers, InputStream body) {
    String text() throws IOException {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private final URI server;
  private final SSLContext tls;
  private final boolean verifyHostname;
  private final Duration timeout;
  private Socket socket;
  private BufferedInputStream in;
  private OutputStream out;

  Http1(URI server, SSLContext tls, boolean verifyHostname, Duration timeout) {
    this.server = server;
    this.tls = tls;
    this.verifyHostname = verifyHostname;
    this.timeout = timeout;
  }

  private boolean fullGroups;

  /**
   * Offers X25519 only (Java 20+, SSLParameters.setNamedGroups): the JDK otherwise computes a
   * second key share (P-256) that Kubernetes API servers (Go: X25519 first) never use, ~30 ms of
   * cold elliptic-curve math per run. A server that refuses gets a second handshake with the full
   * list.
   */
  private static boolean onlyX25519(SSLParameters p) {
    try {
      SSLParameters.class
          .getMethod("setNamedGroups", String[].class)
          .invoke(p, (Object) new String[] {"x25519"});
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // Java 17-19: the JDK's default groups
    }
  }

  private String host() {
    String h = server.getHost();
    return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }

  private int port() {
    return server.getPort() > 0 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
  }

  private void connect() throws IOException {
    close();
    Socket plain = new Socket();
    plain.setTcpNoDelay(true);
    plain.connect(new InetSocketAddress(host(), port()), (int) timeout.toMillis());
    Socket s = plain;
    if ("https".equals(server.getScheme())) {
      SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host(), port(), true);
      SSLParameters p = ssl.getSSLParameters();
      if (verifyHostname) {
        p.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (!Character.isDigit(host().charAt(0)) && !host().contains(":")) {
        p.setServerNames(java.util.List.of(new SNIHostName(host())));
      }
      p.setApplicationProtocols(new String[] {"http/1.1"});
      boolean oneShare = !fullGroups && onlyX25519(p);
      ssl.setSSLParameters(p);
      ssl.setSoTimeout((int) timeout.toMillis());
      try {
        ssl.startHandshake();
      } catch (javax.net.ssl.SSLHandshakeException e) {
        if (!oneShare) {
          throw e;
        }
        // a server without X25519 (FIPS builds): again with the JDK's full list of groups
        fullGroups = true;
        plain.close();
        connect();
        return;
      }
      s = ssl;
    }
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16384);
    out = s.getOutputStream();
  }

  /**
   * Sends one request; {@code readTimeout} null means wait forever (watches).
   *
   * @param headers extra request headers
   */
  Response send(
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      byte[] body,
      Duration readTimeout)
      throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(method, pathAndQuery, headers, body, readTimeout);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      if (!reused) {
        throw e;
      }
      // the server closed the kept-alive connection: once more on a new one
      socket = null;
      return exchange(method, pathAndQuery, headers, body, readTimeout);
    }
  }

  private Response exchange(
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      byte[] body,
      Duration readTimeout)
      throws IOException {
    if (socket == null) {
      connect();
    }
    socket.setSoTimeout(readTimeout == null ? 0 : (int) readTimeout.toMillis());
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    req.append("Host: ").append(server.getRawAuthority()).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (body != null) {
      req.append("Content-Length: ").append(body.length).append("\r\n");
    } else if (!"GET".equals(method)) {
      req.append("Content-Length: 0\r\n");
    }
    req.append("\r\n");
    out.write(req.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.write(body);
    }
    out.flush();

    String status = line();
    if (status == null) {
      throw new IOException("connection closed before the response");
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 response: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    Map<String, String> h = new LinkedHashMap<>();
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        h.put(
            l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
      }
    }
    boolean close = "close".equalsIgnoreCase(h.get("connection"));
    InputStream b;
    if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
      b = new Chunked();
    } else if (h.containsKey("content-length")) {
      b = new Limited(Long.parseLong(h.get("content-length")));
    } else {
      b = in; // until the server closes
      close = true;
    }
    if (close) {
      Socket dying = socket;
      socket = null;
      InputStream inner = b;
      b =
          new java.io.FilterInputStream(inner) {
            @Override
            public void close() throws IOException {
              dying.close();
            }
          };
    }
    return new Response(code, h, b);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(80);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      return null;
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }

  /** A Content-Length body. */
  private final class Limited extends InputStream {
    private long left;

    Limited(long length) {
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      while (left > 0 && skip(left) > 0) {
        // drain, so the connection can carry the next request
      }
    }
  }

  /** A chunked body (watches arrive this way, one event per chunk or several). */
  private final class Chunked extends InputStream {
    private long left;
    private boolean done;

    private boolean nextChunk() throws IOException {
      if (done) {
        return false;
      }
      if (left == 0) {
        String size = line();
        if (size != null && size.isEmpty()) {
          size = line(); // the CRLF after the previous chunk
        }
        if (size == null) {
          done = true;
          return false;
        }
        int semi = size.indexOf(';');
        left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        if (left == 0) {
          String trailer;
          while ((trailer = line()) != null && !trailer.isEmpty()) {
            // skip trailers
          }
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      if (!nextChunk()) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (!nextChunk()) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      while (nextChunk()) {
        skip(left);
        left = 0;
      }
    }
  }
}
