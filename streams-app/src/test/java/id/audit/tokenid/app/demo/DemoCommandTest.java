package id.audit.tokenid.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code tokenid-metrics demo} as a user runs it: a separate JVM with the embedded broker, the
 * service and the traffic generator, driven only through what it prints and what it serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCommandTest {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration SCRAPE = Duration.ofSeconds(60);
    private static final Pattern CURL = Pattern.compile(
            "curl -H \"Authorization: Bearer (td_live_[A-Za-z0-9_-]+)\" (http://localhost:(\\d+)/metrics)");
    private static final Pattern DATA_DIR = Pattern.compile("Data: +(\\S+) +\\(deleted on exit\\)");
    private static final Pattern PROGRESS = Pattern.compile(
            "produced (\\d+) events \\((\\d+) bad\\) \\| counted (\\d+) \\| dead-lettered (\\d+)");
    private static final List<String> FAMILIES = List.of(
            "llm_requests_total", "llm_tokens_total", "llm_cost_usd_total", "llm_cost_usd_rolling_24h");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuffer output = new StringBuffer();
    private Process demo;
    private Thread reader;
    private String token;
    private URI metricsUrl;
    private int httpPort;

    @BeforeAll
    void startDemo() throws IOException {
        httpPort = freePort();
        int managementPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "id.audit.tokenid.app.Main", "demo",
                "--http-port", Integer.toString(httpPort), "--management-port", Integer.toString(managementPort))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENID_"));
        demo = builder.start();
        reader = new Thread(this::collectOutput, "demo-output");
        reader.setDaemon(true);
        reader.start();

        await("the demo printing its curl line").atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> CURL.matcher(output).find() || !demo.isAlive());
        Matcher curl = CURL.matcher(output);
        assertThat(curl.find()).as("the demo's output so far:%n%s", output).isTrue();
        token = curl.group(1);
        metricsUrl = URI.create(curl.group(2));
    }

    @AfterAll
    void stopDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            if (!demo.waitFor(90, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(1)
    void printsTheDemoTokenTheCurlLineAndAPrometheusScrapeConfig() {
        String printed = output.toString();

        assertThat(metricsUrl).isEqualTo(URI.create("http://localhost:" + httpPort + "/metrics"));
        assertThat(printed).contains("Demo token for org \"acme\"", "  " + token + "\n")
                .contains("job_name: tokenid", "metrics_path: /metrics", "targets: ['localhost:" + httpPort + "']",
                        "type: Bearer", "credentials: '" + token + "'");
    }

    @Test
    @Order(2)
    void servesAllFourMetricFamiliesToThePrintedToken() {
        await("all four metric families").atMost(SCRAPE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(familiesIn(scrape(token).body())).containsAll(FAMILIES));
    }

    @Test
    @Order(3)
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
    @Order(4)
    void rejectsAScrapeWithAnUnknownToken() throws Exception {
        HttpResponse<String> response = scrape("td_live_" + "x".repeat(43));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.body()).doesNotContain("llm_");
    }

    @Test
    @Order(5)
    void reportsProgressFromTheServicesOwnCounters() {
        await("a progress line with counted events").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(PROGRESS.matcher(output).results()
                        .anyMatch(line -> Long.parseLong(line.group(3)) > 0 && Long.parseLong(line.group(4)) > 0))
                        .as("the demo's output so far:%n%s", output).isTrue());
    }

    @Test
    @Order(6)
    void stopsEverythingAndDeletesItsTempDirWhenTerminated() throws Exception {
        Matcher data = DATA_DIR.matcher(output);
        assertThat(data.find()).as("the demo's output:%n%s", output).isTrue();
        Path dataDir = Path.of(data.group(1));
        assertThat(dataDir).isDirectory();

        // SIGTERM, like Ctrl-C's SIGINT, runs the shutdown hook. Through the process handle, so
        // that (unlike Process.destroy) the demo's output stays readable to the end.
        demo.toHandle().destroy();
        boolean exited = demo.waitFor(90, TimeUnit.SECONDS);
        reader.join(10_000);

        assertThat(exited).as("the demo's output:%n%s", output).isTrue();
        assertThat(output.toString()).contains("Stopped.");
        assertThat(Files.exists(dataDir)).as("%s deleted", dataDir).isFalse();
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

    private void collectOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("[reading the demo's output failed: ").append(e).append("]\n");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
