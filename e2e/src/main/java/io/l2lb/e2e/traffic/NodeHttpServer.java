package io.l2lb.e2e.traffic;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The lab's "nginx": an HTTP server on port 80 of a node's network namespace that answers every
 * request with the node's name, so the client can tell which node served it. It listens on every
 * address, including the Service IPs on the node's dummy interface (as kube-proxy in IPVS mode
 * binds them).
 *
 * <p>Usage: {@code NodeHttpServer NODE_NAME [PORT]}. Prints {@code listening} once bound.
 */
public final class NodeHttpServer {
  private NodeHttpServer() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: NodeHttpServer NODE_NAME [PORT]");
      System.exit(2);
    }
    byte[] body = (args[0] + "\n").getBytes(StandardCharsets.UTF_8);
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 80;
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.getResponseHeaders().add("Connection", "close");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("listening on port " + port + " as " + args[0]);
    System.out.flush();
  }
}
