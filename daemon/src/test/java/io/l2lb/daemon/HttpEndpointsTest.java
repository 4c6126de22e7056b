package io.l2lb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(HttpEndpoints e, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerWhatTheSupplierSaysAndMetricsScrapeTheRegistry() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("l2lb_test_events_total").help("events").register(registry).inc(3);
    AtomicReference<HttpEndpoints.Probe> ready =
        new AtomicReference<>(new HttpEndpoints.Probe(false, "caches not synced"));
    try (HttpEndpoints e =
        new HttpEndpoints(
            "127.0.0.1", 0, registry, () -> new HttpEndpoints.Probe(true, "alive"), ready::get)) {
      HttpResponse<String> health = get(e, "/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok: alive\n");

      HttpResponse<String> notReady = get(e, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("not ok: caches not synced\n");
      ready.set(new HttpEndpoints.Probe(true, "synced"));
      assertThat(get(e, "/readyz").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = get(e, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body()).contains("l2lb_test_events_total 3.0");
    }
  }
}
