package io.l2lb.e2e.traffic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's client: resolves a host name to all its addresses (the JVM resolver reads the lab's
 * hosts file, one line per IP, like three A records), then sends HTTP GETs round-robin over them at
 * a steady rate, each on a new TCP connection (so every request depends on ARP being right), and
 * prints one line per request:
 *
 * <pre>
 * seq startEpochMillis ip ok node latencyMicros
 * seq startEpochMillis ip fail reason latencyMicros
 * </pre>
 *
 * Usage: {@code TrafficClient HOST RATE_PER_SECOND TIMEOUT_MILLIS [PORT]}. Runs until killed. The
 * first line is {@code resolved HOST ip1,ip2,...}.
 */
public final class TrafficClient {
  private TrafficClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TrafficClient HOST RATE_PER_SECOND TIMEOUT_MILLIS [PORT]");
      System.exit(2);
    }
    String host = args[0];
    double rate = Double.parseDouble(args[1]);
    int timeout = Integer.parseInt(args[2]);
    int port = args.length > 3 ? Integer.parseInt(args[3]) : 80;
    List<InetAddress> targets =
        Arrays.stream(InetAddress.getAllByName(host))
            .sorted((a, b) -> Arrays.compare(a.getAddress(), b.getAddress()))
            .toList();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(
        "resolved "
            + host
            + " "
            + String.join(",", targets.stream().map(InetAddress::getHostAddress).toList()));
    // enough threads that requests timing out on a dead IP never delay the others
    int threads = (int) Math.max(4, Math.ceil(rate * timeout / 1000.0) + 4);
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(threads);
    AtomicLong seq = new AtomicLong();
    long periodMicros = (long) (1_000_000 / rate);
    pool.scheduleAtFixedRate(
        () -> {
          long n = seq.getAndIncrement();
          InetAddress ip = targets.get((int) (n % targets.size()));
          pool.execute(() -> out.println(n + " " + request(ip, port, timeout)));
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
  }

  private static String request(InetAddress ip, int port, int timeoutMillis) {
    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    String prefix = start + " " + ip.getHostAddress() + " ";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream o = s.getOutputStream();
      o.write(
          ("GET / HTTP/1.0\r\nHost: " + ip.getHostAddress() + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      o.flush();
      String response = readAll(s.getInputStream());
      long micros = (System.nanoTime() - t0) / 1000;
      int bodyAt = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || bodyAt < 0 || !response.contains(" 200 ")) {
        return prefix + "fail bad-response " + micros;
      }
      return prefix + "ok " + response.substring(bodyAt + 4).trim() + " " + micros;
    } catch (IOException e) {
      long micros = (System.nanoTime() - t0) / 1000;
      String reason = e.getClass().getSimpleName();
      return prefix + "fail " + reason + " " + micros;
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[512];
    int n;
    while ((n = in.read(chunk)) > 0) {
      buf.write(chunk, 0, n);
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }
}
