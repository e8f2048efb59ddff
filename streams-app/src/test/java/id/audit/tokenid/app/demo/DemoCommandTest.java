package id.audit.tokenid.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code tokenid-metrics demo} as a user runs it: a separate JVM with the embedded broker, the
 * service and the traffic generator, driven only through what it prints and what it serves.
 * The tests that only read share one demo and each waits for what it needs, so none depends on
 * another or on their order; the test that stops a demo starts its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoCommandTest {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration SCRAPE = Duration.ofSeconds(60);
    private static final Pattern CURL = Pattern.compile(
            "curl -H \"Authorization: Bearer (td_live_[A-Za-z0-9_-]+)\" (http://localhost:(\\d+)/metrics)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management endpoint: +http://localhost:(\\d+)/metrics");
    private static final Pattern DATA_DIR = Pattern.compile("Data: +(\\S+) +\\(deleted on exit\\)");
    private static final Pattern PROGRESS = Pattern.compile(
            "produced (\\d+) events \\((\\d+) bad\\) \\| counted (\\d+) \\| dead-lettered (\\d+)");
    private static final List<String> FAMILIES = List.of(
            "llm_requests_total", "llm_tokens_total", "llm_cost_usd_total", "llm_cost_usd_rolling_24h");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DemoProcess demo;
    private String token;
    private URI metricsUrl;
    private int httpPort;

    @BeforeAll
    void startDemo() throws Exception {
        demo = DemoProcess.start();
        Matcher curl = awaitCurlLine(demo);
        token = curl.group(1);
        metricsUrl = URI.create(curl.group(2));
        httpPort = Integer.parseInt(curl.group(3));
    }

    @AfterAll
    void stopDemo() throws InterruptedException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void printsTheDemoTokenTheCurlLineAndAPrometheusScrapeConfig() {
        String printed = demo.output();

        Matcher management = MANAGEMENT.matcher(printed);
        assertThat(management.find()).as(printed).isTrue();
        // Asked for port 0, the servers bound free ports: the printed ones, two different ones.
        assertThat(httpPort).isPositive().isNotEqualTo(Integer.parseInt(management.group(1)));
        assertThat(metricsUrl).isEqualTo(URI.create("http://localhost:" + httpPort + "/metrics"));
        assertThat(printed).contains("Demo token for org \"acme\"", "  " + token + "\n")
                .contains("Customer endpoint:              http://localhost:" + httpPort + "/metrics")
                .contains("job_name: tokenid", "metrics_path: /metrics", "targets: ['localhost:" + httpPort + "']",
                        "type: Bearer", "credentials: '" + token + "'");
    }

    @Test
    void servesAllFourMetricFamiliesToThePrintedToken() {
        await("all four metric families").atMost(SCRAPE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(familiesIn(scrape(token).body())).containsAll(FAMILIES));
    }

    @Test
    void showsOnlyTheTokensOrgWithLowercaseLabelsThoughTrafficIsMixedCase() throws Exception {
        // OpenAI, openai and OPENAI all arrive; wait for calls of several providers to be counted.
        await().atMost(SCRAPE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String body = scrape(token).body();
            return familiesIn(body).containsAll(FAMILIES) && body.contains("provider=\"openai\"")
                    && body.contains("provider=\"anthropic\"");
        });

        HttpResponse<String> response = scrape(token);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> samples = response.body().lines().filter(line -> line.startsWith("llm_")).toList();
        assertThat(samples).isNotEmpty().allSatisfy(sample -> {
            Matcher label = LABEL.matcher(sample.substring(0, sample.lastIndexOf('}') + 1));
            while (label.find()) {
                assertThat(label.group(2)).as(sample).isEqualTo(label.group(2).toLowerCase(Locale.ROOT));
                if (label.group(1).equals("org_id")) {
                    assertThat(label.group(2)).as(sample).isEqualTo("acme");
                }
            }
        });
    }

    @Test
    void rejectsAScrapeWithAnUnknownToken() throws Exception {
        HttpResponse<String> response = scrape("td_live_" + "x".repeat(43));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.body()).doesNotContain("llm_");
    }

    @Test
    void reportsProgressFromTheServicesOwnCounters() {
        await("a progress line with counted events").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(PROGRESS.matcher(demo.output()).results()
                        .anyMatch(line -> Long.parseLong(line.group(3)) > 0 && Long.parseLong(line.group(4)) > 0))
                        .as("the demo's output so far:%n%s", demo.output()).isTrue());
    }

    @Test
    void stopsEverythingAndDeletesItsTempDirWhenTerminated() throws Exception {
        try (DemoProcess own = DemoProcess.start()) {
            awaitCurlLine(own);
            Matcher data = DATA_DIR.matcher(own.output());
            assertThat(data.find()).as("the demo's output:%n%s", own.output()).isTrue();
            Path dataDir = Path.of(data.group(1));
            assertThat(dataDir).isDirectory();

            boolean exited = own.terminate(Duration.ofSeconds(90));

            assertThat(exited).as("the demo's output:%n%s", own.output()).isTrue();
            assertThat(own.output()).contains("Stopped.");
            assertThat(Files.exists(dataDir)).as("%s deleted", dataDir).isFalse();
        }
    }

    private static Matcher awaitCurlLine(DemoProcess process) {
        await("the demo printing its curl line").atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> CURL.matcher(process.output()).find() || !process.isAlive());
        Matcher curl = CURL.matcher(process.output());
        assertThat(curl.find()).as("the demo's output so far:%n%s", process.output()).isTrue();
        return curl;
    }

    private HttpResponse<String> scrape(String bearer) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> familiesIn(String exposition) {
        Set<String> families = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(sample -> families.add(sample.split("[{ ]", 2)[0]));
        return families;
    }
}
