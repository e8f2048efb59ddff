package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import java.io.File;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} package; {@code .ci/run} installs it) scrapes
 * two running instances with a scrape config in the product page's shape and the shipped alert
 * rules loaded; every rule and every Grafana dashboard expression is evaluated through its HTTP API.
 * Every dashboard expression must return data, including those of series that exist only once
 * non-zero (token parts, unpriced requests) or only with a budget: the test sends such events
 * and sets a budget for the scraped org.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesOneOrgWithItsTokenEvaluatesTheShippedRulesAndDashboardAndMarksABadTokenDown()
            throws Exception {
        String prometheus = findPrometheus();
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(ScaleOutIntegrationTest.ORGS);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        AppConfig a = ServiceFixtures.config(kafka, "e2e-prom", tmp.resolve("a"), 0, tokensFile);
        AppConfig b = ServiceFixtures.config(kafka, "e2e-prom", tmp.resolve("b"), 0, tokensFile);
        TestInstance.createTopics(kafka, a, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(5, Instant.now())
                .add(5_000, ScaleOutIntegrationTest.ORGS, 4, p -> new Random(p).nextInt(20 * 60));
        List<GeneratedTraffic.Generated> otherTypes = List.of(
                new GeneratedTraffic.Generated(0, "{\"type\":\"user_login\",\"org_id\":\"org-1\"}".getBytes(StandardCharsets.UTF_8), null));

        try (Service first = Service.start(a, TestInstance.overrides());
             Service second = Service.start(b, TestInstance.overrides())) {
            ServiceFixtures.produce(kafka, a.inputTopic(), traffic.records);
            ServiceFixtures.produce(kafka, a.inputTopic(), otherTypes);
            await().atMost(Duration.ofMinutes(2)).until(() -> first.isReady() && second.isReady());
            // Scrape through the first instance an org that the second owns: forwarding is exercised.
            String org = ServiceFixtures.orgOwnedBy(first, tokens.keySet(), second.httpPort());
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                HttpResponse<String> scrape = Scrapes.get(first.httpPort(), tokens.get(org));
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(Scrapes.samples(scrape.body())).isEqualTo(Oracle.expectedSamples(traffic, org));
            });

            Path promConfig = tmp.resolve("prometheus.yml");
            Files.writeString(promConfig, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - '%s'
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
                      - job_name: tokenid-ops
                        static_configs:
                          - targets: ['localhost:%d', 'localhost:%d']
                    """.formatted(OPS.resolve("prometheus/rules/tokenid.yml"), first.httpPort(), tokens.get(org),
                    first.httpPort(), first.managementPort(), second.managementPort()));
            // Port 0: Prometheus binds a free port and logs the address it got.
            Path promLog = tmp.resolve("prometheus.log");
            Process process = new ProcessBuilder(prometheus, "--config.file=" + promConfig,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:0")
                    .redirectErrorStream(true).redirectOutput(promLog.toFile()).start();
            try {
                int promPort = await("Prometheus logging its address").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> listeningPort(promLog), port -> port > 0);
                // Refused, then 503 "Service Unavailable", until Prometheus is ready.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort
                                + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                            assertThat(query(promPort, "up{job=\"tokenid\"}")).containsValue(1.0);
                            assertThat(query(promPort, "up{job=\"tokenid-bad-token\"}")).containsValue(0.0);
                        });
                Map<String, Double> expected = new TreeMap<>();
                traffic.expectedSeries(org).forEach((pm, totals) -> expected.put(pm, totals.cost().doubleValue()));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(query(promPort, "llm_cost_usd_total{job=\"tokenid\"}")).isEqualTo(expected));

                // Series that exist only once non-zero or only with a budget, so that every dashboard
                // query has something to show: produced after the oracle checks above, which they
                // would change.
                ServiceFixtures.produce(kafka, a.inputTopic(), extraEvents(org));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertRulesEvaluatedWithoutError(promPort));
                setBudget(org, a.budgetsTopic(), "0.001");
                List<String> expressions = dashboardExpressions(org);
                assertThat(expressions).hasSizeGreaterThan(10);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (String expr : expressions) {
                        if (query(promPort, expr).isEmpty()) {
                            empty.add(expr);
                        }
                    }
                    assertThat(empty).as("dashboard expressions without data").isEmpty();
                });
                // The budget rules match the real exposition's labels: a $0.001 budget is used up
                // (and 80% used) by the $0.01 event above; both wait out their `for` as pending.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alertsOf(promPort, org))
                        .contains("TokenIDBudgetExhausted", "TokenIDBudget80PercentUsed"));
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /**
     * The budgets topic of {@link ServiceFixtures#config} ({@code appId + "-budgets"}), which
     * {@link TestInstance#createTopics} creates.
     */

    /**
     * One event with every token part (cached and cache-write input, reasoning output), and one
     * without cost_usd for a model no price row knows: their series exist only once non-zero.
     */
    private static List<GeneratedTraffic.Generated> extraEvents(String org) {
        long now = System.currentTimeMillis();
        String parts = """
                {"type":"api_call","event_id":"e2e-parts","org_id":"%s","provider":"e2e-parts","model":"parts-model",\
                "input_tokens":1000,"output_tokens":500,"cached_input_tokens":400,"cache_write_input_tokens":100,\
                "reasoning_tokens":200,"cost_usd":"0.01","timestamp":%d}""".formatted(org, now);
        String unpriced = """
                {"type":"api_call","event_id":"e2e-unpriced","org_id":"%s","provider":"e2e-unpriced",\
                "model":"no-price-row","input_tokens":10,"output_tokens":5,"timestamp":%d}""".formatted(org, now);
        return List.of(new GeneratedTraffic.Generated(0, parts.getBytes(StandardCharsets.UTF_8), null),
                new GeneratedTraffic.Generated(0, unpriced.getBytes(StandardCharsets.UTF_8), null));
    }

    /** Writes the org's budget record as {@code budget set} does: key = org id, value JSON. */
    private static void setBudget(String org, String topic, String monthlyUsd) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(topic, org.getBytes(StandardCharsets.UTF_8),
                    ("{\"monthly_usd\": \"" + monthlyUsd + "\"}").getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** Names of the alerts pending or firing for the org. */
    private static List<String> alertsOf(int port, String org) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode alert : get(port, "/api/v1/alerts").path("data").path("alerts")) {
            if (org.equals(alert.path("labels").path("org_id").asText())) {
                names.add(alert.path("labels").path("alertname").asText());
            }
        }
        return names;
    }

    private static void assertRulesEvaluatedWithoutError(int port) throws Exception {
        JsonNode body = get(port, "/api/v1/rules");
        int rules = 0;
        for (JsonNode group : body.path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                assertThat(rule.path("health").asText()).as("rule %s: %s", rule.path("name").asText(),
                        rule.path("lastError").asText()).isEqualTo("ok");
            }
        }
        assertThat(rules).isGreaterThanOrEqualTo(6);
    }

    /** Every target expression of the shipped dashboard, with Grafana's variables filled in. */
    private static List<String> dashboardExpressions(String org) throws Exception {
        JsonNode dashboard = JSON.readTree(OPS.resolve("grafana/dashboards/tokenid.json").toFile());
        List<String> expressions = new ArrayList<>();
        collect(dashboard.path("panels"), expressions);
        return expressions.stream().map(expr -> expr
                .replace("$org_id", org)
                .replace("${org_id}", org)
                .replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "1h")).toList();
    }

    private static void collect(JsonNode panels, List<String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.path("expr").asText());
                }
            }
            collect(panel.path("panels"), expressions);
        }
    }

    /** Instant query: "provider/model" (or the full label set when there is no model) → value. */
    private static Map<String, Double> query(int port, String promql) throws Exception {
        JsonNode body = get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : body.path("data").path("result")) {
            JsonNode metric = sample.path("metric");
            String key = metric.has("model")
                    ? metric.path("provider").asText() + "/" + metric.path("model").asText() : metric.toString();
            values.put(key, Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }

    private static JsonNode get(int port, String pathAndQuery) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(response.body()).isEqualTo("success");
        return body;
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

    private static final Pattern LISTENING = Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");

    /** The port Prometheus says it listens on; 0 while it has not said. */
    private static int listeningPort(Path log) throws IOException {
        Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return listening.find() ? Integer.parseInt(listening.group(1)) : 0;
    }

}
