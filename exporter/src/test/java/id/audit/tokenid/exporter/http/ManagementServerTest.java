package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageReader;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagementServerTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicBoolean streamsRunning = new AtomicBoolean(false);
    private final FakeTokens tokens = new FakeTokens();
    private MetricsServer metricsServer;
    private ManagementServer management;

    @BeforeEach
    void startServers() throws IOException {
        JvmMetrics.builder().register(registry);
        ExporterMetrics metrics = ExporterMetrics.register(registry);
        UsageReader reader = UsageReader.fixed(new ReadResult.Found(List.of()));
        metricsServer = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).metrics(metrics).start();
        management = ManagementServer.builder().bindAddress("127.0.0.1").port(0).registry(registry)
                .ready(streamsRunning::get).metricsServer(metricsServer).start();
    }

    @AfterEach
    void stopServers() {
        management.close();
        metricsServer.close();
    }

    @Test
    void answersHealthzWithOk() {
        HttpResponse<String> response = Http.get(management.port(), "/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void flipsReadyzWithTheStreamsAndTheMetricsServer() {
        // given streams not running yet
        assertThat(Http.get(management.port(), "/readyz").statusCode()).isEqualTo(503);

        // when the streams are running
        streamsRunning.set(true);

        // then
        assertThat(Http.get(management.port(), "/readyz").statusCode()).isEqualTo(200);

        // and when the metrics server stops
        metricsServer.close();

        // then
        assertThat(Http.get(management.port(), "/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void exposesJvmAndExporterMetricsWithoutAuth() {
        // given a customer scrape without a token
        Http.get(metricsServer.port(), "/metrics");

        // when the scrape's duration is recorded (just after its response is out)
        await().atMost(Duration.ofSeconds(5)).until(() ->
                Http.get(management.port(), "/metrics").body().contains("tokenid_scrape_duration_seconds_count{code=\"401\"} 1"));
        HttpResponse<String> response = Http.get(management.port(), "/metrics");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("jvm_memory_used_bytes")
                .contains("tokenid_auth_failures_total{reason=\"missing\"} 1.0")
                .contains("tokenid_scrape_duration_seconds_bucket{code=\"401\"")
                .contains("tokenid_forwarded_scrapes_total{outcome=\"found\"} 0.0")
                .contains("tokenid_scrapes_unavailable_total 0.0")
                .doesNotContain("llm_");
    }

    @Test
    void countsForwardedScrapesByOutcome() {
        // given
        PrometheusRegistry own = new PrometheusRegistry();
        ExporterMetrics metrics = ExporterMetrics.register(own);

        // when
        metrics.forwardedScrape(new ReadResult.Found(List.of()));
        metrics.forwardedScrape(new ReadResult.Unavailable("owner down"));
        metrics.forwardedScrape(new ReadResult.Unavailable("owner down"));

        // then
        CounterSnapshot forwarded = (CounterSnapshot) own.scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("tokenid_forwarded_scrapes"))
                .findFirst().orElseThrow();
        assertThat(forwarded.getDataPoints()).extracting(p -> p.getLabels().get("outcome") + "=" + p.getValue())
                .containsExactlyInAnyOrder("found=1.0", "unavailable=2.0");
    }

    @Test
    void answers405And404LikeTheMetricsServer() {
        HttpResponse<String> post = Http.send(management.port(), "POST", "/healthz");
        HttpResponse<String> other = Http.get(management.port(), "/internal/v1/usage");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(other.statusCode()).isEqualTo(404);
    }
}
