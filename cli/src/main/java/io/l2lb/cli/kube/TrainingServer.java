package io.l2lb.cli.kube;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLServerSocket;

/**
 * A loopback HTTPS server with canned answers, for the launcher's start-up training run ({@code
 * __train}): the run that the JVM's class-data / AOT cache is built from must take the paths a real
 * command takes (TLS with a client certificate, HTTP/1.1, JSON), but must never touch a real
 * cluster. The key pair under io/l2lb/cli/train/ is a self-signed localhost certificate that only
 * this server and its one client ever use.
 */
public final class TrainingServer implements AutoCloseable {
  private final SSLServerSocket server;
  private final Thread thread;

  /**
   * @param answer path-and-query to JSON body (null: 404)
   */
  public TrainingServer(Function<String, String> answer) throws Exception {
    byte[] cert = resource("cert.pem");
    byte[] key = resource("key.pem");
    server =
        (SSLServerSocket)
            Tls.serverContext(cert, key)
                .getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    server.setWantClientAuth(true);
    thread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  serve(s, answer);
                } catch (IOException e) {
                  // next connection (or closed)
                }
              }
            },
            "l2lb-training-server");
    thread.setDaemon(true);
    thread.start();
  }

  public static byte[] resource(String name) throws IOException {
    try (InputStream in = TrainingServer.class.getResourceAsStream("/io/l2lb/cli/train/" + name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return in.readAllBytes();
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private static void serve(Socket s, Function<String, String> answer) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = s.getOutputStream();
    String requestLine;
    while ((requestLine = r.readLine()) != null) {
      int length = 0;
      String h;
      while ((h = r.readLine()) != null && !h.isEmpty()) {
        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(h.substring(15).strip());
        }
      }
      for (int i = 0; i < length; i++) {
        r.read();
      }
      String path = requestLine.split(" ")[1];
      String body = answer.apply(path);
      int code = body == null ? 404 : 200;
      if (body == null) {
        body = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 "
                  + code
                  + " X\r\nContent-Type: application/json\r\nContent-Length: "
                  + b.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
