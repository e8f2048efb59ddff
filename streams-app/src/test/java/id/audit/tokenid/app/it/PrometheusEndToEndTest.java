package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} package; {@code .ci/run} installs it) scrapes a
 * running instance with a scrape config in the product page's shape.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafka kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void prometheusScrapesTheOrgWithItsTokenAndGetsTheOracleWhileABadTokenIsDown() throws Exception {
        String prometheus = findPrometheus();
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(ScaleOutIntegrationTest.ORGS);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        int httpPort = Scrapes.freePort();
        AppConfig config = ServiceFixtures.config(kafka, "e2e-prom", tmp.resolve("state"), httpPort, tokensFile);
        TestInstance.createTopics(kafka, config, 2);
        GeneratedTraffic traffic = new GeneratedTraffic(5, Instant.now())
                .add(5_000, ScaleOutIntegrationTest.ORGS, 2, p -> new Random(p).nextInt(20 * 60));
        String org = "org-3";

        try (Service service = Service.start(config, TestInstance.overrides())) {
            ServiceFixtures.produce(kafka, config.inputTopic(), traffic.records);
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(
                    Scrapes.samples(Scrapes.get(httpPort, tokens.get(org)).body()))
                    .isEqualTo(Oracle.expectedSamples(traffic, org)));

            int promPort = Scrapes.freePort();
            Path promConfig = tmp.resolve("prometheus.yml");
            Files.writeString(promConfig, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: tokenid
                        metrics_path: /metrics
                        scheme: http
                        static_configs:
                          - targets: ['localhost:%d']
                        authorization:
                          type: Bearer
                          credentials: '%s'
                      - job_name: tokenid-bad-token
                        metrics_path: /metrics
                        static_configs:
                          - targets: ['localhost:%d']
                        authorization:
                          type: Bearer
                          credentials: 'td_live_not-a-real-token'
                    """.formatted(httpPort, tokens.get(org), httpPort));
            Process process = new ProcessBuilder(prometheus, "--config.file=" + promConfig,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(query(promPort, "up{job=\"tokenid\"}")).containsValue(1.0);
                    assertThat(query(promPort, "up{job=\"tokenid-bad-token\"}")).containsValue(0.0);
                });
                Map<String, Double> expected = new TreeMap<>();
                traffic.expectedSeries(org).forEach((pm, totals) -> expected.put(pm, totals.cost().doubleValue()));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(query(promPort, "llm_cost_usd_total{job=\"tokenid\"}")).isEqualTo(expected));
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /** Instant query through the HTTP API: "provider/model" (or "" when absent) → value. */
    private static Map<String, Double> query(int port, String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(response.body()).isEqualTo("success");
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : body.path("data").path("result")) {
            JsonNode metric = sample.path("metric");
            String key = metric.has("model") ? metric.path("provider").asText() + "/" + metric.path("model").asText() : "";
            values.put(key, Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }

    private static String findPrometheus() {
        for (String candidate : new String[] {"/usr/bin/prometheus", "/usr/local/bin/prometheus"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("this test needs a real Prometheus: apt-get install prometheus "
                + "(.ci/run does it)");
    }
}
