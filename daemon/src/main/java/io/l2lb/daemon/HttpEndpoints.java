package io.l2lb.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} on one port, for the operator and the
 * speaker alike, on the JDK's built-in HTTP server with one thread: a scrape every few seconds and
 * two probes need no more. A probe answers 200 or 503 with one line saying why.
 */
public final class HttpEndpoints implements AutoCloseable {

  /** A probe's answer: healthy or not, and a line saying why. */
  public record Probe(boolean ok, String detail) {}

  private final HttpServer server;

  public HttpEndpoints(
      String address,
      int port,
      PrometheusRegistry registry,
      Supplier<Probe> health,
      Supplier<Probe> readiness)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "http-endpoints");
              t.setDaemon(true);
              return t;
            }));
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    server.createContext(
        "/metrics",
        ex -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          writer.write(body, registry.scrape());
          respond(ex, 200, writer.getContentType(), body.toByteArray());
        });
    server.createContext("/healthz", ex -> probe(ex, health.get()));
    server.createContext("/readyz", ex -> probe(ex, readiness.get()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, Probe p) throws IOException {
    respond(
        ex,
        p.ok() ? 200 : 503,
        "text/plain; charset=utf-8",
        ((p.ok() ? "ok" : "not ok") + ": " + p.detail() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange ex, int code, String type, byte[] body)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(code, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
