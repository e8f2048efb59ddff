package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2: counters never go down, not across crashes. One instance runs as a separate process
 * and is killed (SIGKILL) under live traffic while the other is scraped every 100 ms; every
 * scrape is 200 with counters at least as large as before, or 503. After the survivor has
 * taken over, the totals still equal the oracle: exactly once, through a crash.
 */
class OwnerCrashIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    @Test
    void countersNeverDecreaseWhenAnOwnerIsKilledUnderLiveTraffic() throws Exception {
        int orgs = 8;
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(orgs);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        int victimPort = Scrapes.freePort();
        AppConfig survivorConfig = ServiceFixtures.config(kafka, "crash", tmp.resolve("survivor"), Scrapes.freePort(),
                tokensFile);
        TestInstance.createTopics(kafka, survivorConfig, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(3, Instant.now());

        Process victim = startVictim(survivorConfig, victimPort, tokensFile);
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean scraping = new AtomicBoolean(true);
        List<String> decreases = new CopyOnWriteArrayList<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger okAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        try (Service survivor = Service.start(survivorConfig, TestInstance.overrides())) {
            await().atMost(Duration.ofMinutes(2)).until(() -> survivor.isReady() && victimReady(victimPort));
            String victimOrg = ServiceFixtures.orgOwnedBy(survivor, tokens.keySet(), victimPort);

            Thread producer = new Thread(() -> {
                Random random = new Random(1);
                while (producing.get()) {
                    int before = traffic.records.size();
                    synchronized (traffic) {
                        traffic.add(200, orgs, 4, p -> random.nextInt(60));
                    }
                    ServiceFixtures.produce(kafka, survivorConfig.inputTopic(),
                            new ArrayList<>(traffic.records.subList(before, traffic.records.size())));
                    sleep(100);
                }
            }, "traffic");
            Thread scraper = new Thread(() -> {
                Map<String, Double> highest = new ConcurrentHashMap<>();
                while (scraping.get()) {
                    HttpResponse<String> response = Scrapes.get(survivor.httpPort(), tokens.get(victimOrg));
                    if (response.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (killed.get()) {
                            okAfterKill.incrementAndGet();
                        }
                        Scrapes.samples(response.body()).forEach((series, value) -> {
                            Double before = highest.get(series);
                            if (series.contains("_total") && before != null && value < before) {
                                decreases.add(series + ": " + before + " -> " + value);
                            }
                            highest.merge(series, value, Math::max);
                        });
                    } else {
                        assertThat(response.statusCode()).isEqualTo(503);
                        assertThat(response.headers().firstValue("Retry-After")).isPresent();
                        unavailable.incrementAndGet();
                    }
                    sleep(100);
                }
            }, "scraper");
            producer.start();
            scraper.start();

            await().atMost(Duration.ofMinutes(1)).until(() -> ok.get() >= 20);
            victim.destroyForcibly().waitFor();
            killed.set(true);
            // The survivor takes the victim's partitions over after its session times out.
            await().atMost(Duration.ofMinutes(3)).until(() -> okAfterKill.get() >= 20);
            producing.set(false);
            producer.join();
            scraping.set(false);
            scraper.join();

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (Map.Entry<String, String> org : tokens.entrySet()) {
                    HttpResponse<String> response = Scrapes.get(survivor.httpPort(), org.getValue());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(withoutRolling(Scrapes.samples(response.body()))).as(org.getKey())
                            .isEqualTo(withoutRolling(Oracle.expectedSamples(traffic, org.getKey())));
                }
            });
        } finally {
            victim.destroyForcibly();
        }
        assertThat(decreases).as("counters that went down").isEmpty();
        // At least 20 good scrapes of the victim's org before the kill and 20 after the takeover.
        assertThat(ok.get()).isGreaterThanOrEqualTo(40);
        assertThat(okAfterKill.get()).isGreaterThanOrEqualTo(20);
    }

    /** The rolling gauge may go down by design (events leave the window); counters may not. */
    private static Map<String, Double> withoutRolling(Map<String, Double> samples) {
        Map<String, Double> counters = new java.util.TreeMap<>(samples);
        counters.keySet().removeIf(series -> series.startsWith("llm_cost_usd_rolling_24h"));
        return counters;
    }

    private Process startVictim(AppConfig shared, int httpPort, Path tokensFile) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "id.audit.tokenid.app.Main", "run",
                "--bootstrap-servers", shared.bootstrapServers(),
                "--application-id", shared.applicationId(),
                "--input-topic", shared.inputTopic(),
                "--dlq-topic", shared.dlqTopic(),
                "--tokens-topic", shared.tokensTopic(),
                "--tokens-file", tokensFile.toString(),
                "--internal-secret-file", ServiceFixtures.writeInternalSecretFile(tmp).toString(),
                "--state-dir", tmp.resolve("victim").toString(),
                "--http-port", Integer.toString(httpPort),
                "--management-port", Integer.toString(victimManagementPort = Scrapes.freePort()),
                "--advertised-address", "localhost:" + httpPort);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("victim.log").toFile()).start();
    }

    private int victimManagementPort;

    private boolean victimReady(int victimHttpPort) {
        try {
            return Scrapes.getPath(victimManagementPort, "/readyz").statusCode() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
