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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2: counters never go down, not across crashes. One instance runs as a separate process
 * and is killed (SIGKILL) under live traffic while the other is scraped every 100 ms; every
 * scrape is 200 with every series (counters and the rolling gauge, whose events all stay well
 * inside the window here) at least as large as before and none missing, or 503. After the
 * survivor has taken over, the totals still equal the oracle: exactly once, through a crash.
 * The scraper thread only records what it saw; every assertion runs on the test thread.
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
        // Port 0: the survivor binds its customer port first and advertises the one it got.
        AppConfig survivorConfig = ServiceFixtures.config(kafka, "crash", tmp.resolve("survivor"), 0, tokensFile);
        TestInstance.createTopics(kafka, survivorConfig, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(3, Instant.now());

        Process victim = startVictim(survivorConfig, tokensFile);
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean scraping = new AtomicBoolean(true);
        AtomicBoolean killed = new AtomicBoolean();
        List<ScrapeObservation> observations = new CopyOnWriteArrayList<>();
        List<Throwable> threadFailures = new CopyOnWriteArrayList<>();
        try (Service survivor = Service.start(survivorConfig, TestInstance.overrides())) {
            AtomicReference<HostInfo> victimHost = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(2)).until(() -> survivor.isReady()
                    && victimServes(survivor, victimHost, tokens));
            int victimPort = victimHost.get().port();
            String victimOrg = ServiceFixtures.orgOwnedBy(survivor, tokens.keySet(), victimPort);

            Thread producer = new Thread(() -> {
                Random random = new Random(1);
                while (producing.get()) {
                    int before = traffic.records.size();
                    synchronized (traffic) {
                        // Event times up to 50 min (+1) old: the rolling 1 h gauge is checked for
                        // decreases, so no bucket may reach the window's edge while the test runs.
                        traffic.add(200, orgs, 4, p -> random.nextInt(50));
                    }
                    ServiceFixtures.produce(kafka, survivorConfig.inputTopic(),
                            new ArrayList<>(traffic.records.subList(before, traffic.records.size())));
                    sleep(100);
                }
            }, "traffic");
            Thread scraper = new Thread(() -> {
                while (scraping.get()) {
                    boolean afterKill = killed.get();
                    HttpResponse<String> response = Scrapes.get(survivor.httpPort(), tokens.get(victimOrg));
                    observations.add(new ScrapeObservation(response.statusCode(),
                            response.headers().firstValue("Retry-After").isPresent(), afterKill,
                            response.statusCode() == 200 ? Scrapes.samples(response.body()) : Map.of()));
                    sleep(100);
                }
            }, "scraper");
            producer.setUncaughtExceptionHandler((thread, error) -> threadFailures.add(error));
            scraper.setUncaughtExceptionHandler((thread, error) -> threadFailures.add(error));
            producer.start();
            scraper.start();

            await().atMost(Duration.ofMinutes(1)).until(() -> ok(observations, false) >= 20 || !scraper.isAlive());
            victim.destroyForcibly().waitFor();
            killed.set(true);
            // The survivor takes the victim's partitions over after its session times out.
            await().atMost(Duration.ofMinutes(3)).until(() -> ok(observations, true) >= 20 || !scraper.isAlive());
            producing.set(false);
            producer.join();
            scraping.set(false);
            scraper.join();
            assertThat(threadFailures).as("failures of the traffic and scraper threads").isEmpty();

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (Map.Entry<String, String> org : tokens.entrySet()) {
                    HttpResponse<String> response = Scrapes.get(survivor.httpPort(), org.getValue());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(Oracle.withoutWindowGauges(Scrapes.samples(response.body()))).as(org.getKey())
                            .isEqualTo(Oracle.withoutWindowGauges(Oracle.expectedSamples(traffic, org.getKey())));
                }
            });
        } finally {
            victim.destroyForcibly();
        }
        assertThat(observations).as("scrapes that were neither 200 nor 503 with Retry-After")
                .allSatisfy(seen -> assertThat(seen.status() == 200 || (seen.status() == 503 && seen.retryAfter()))
                        .as("status %d, Retry-After %s", seen.status(), seen.retryAfter()).isTrue());
        assertThat(ScrapeObservation.decreases(observations)).as("series that went down or disappeared").isEmpty();
        // At least 20 good scrapes of the victim's org before the kill and 20 after the takeover.
        assertThat(ok(observations, false) + ok(observations, true)).isGreaterThanOrEqualTo(40);
        assertThat(ok(observations, true)).isGreaterThanOrEqualTo(20);
    }

    /** Good scrapes before (false) or after (true) the kill. */
    private static long ok(List<ScrapeObservation> observations, boolean afterKill) {
        return observations.stream().filter(seen -> seen.status() == 200 && seen.afterKill() == afterKill).count();
    }

    /**
     * Whether the survivor sees the victim in the group (its advertised address, the port it
     * bound) and the victim answers 200 for an org it owns.
     */
    private static boolean victimServes(Service survivor, AtomicReference<HostInfo> victimHost,
                                        Map<String, String> tokens) {
        HostInfo self = survivor.runtime().self();
        for (StreamsMetadata client : survivor.runtime().streams().metadataForAllStreamsClients()) {
            if (!client.hostInfo().equals(self)) {
                victimHost.set(client.hostInfo());
            }
        }
        if (victimHost.get() == null) {
            return false;
        }
        try {
            String org = ServiceFixtures.orgOwnedBy(survivor, tokens.keySet(), victimHost.get().port());
            return Scrapes.get(victimHost.get().port(), tokens.get(org)).statusCode() == 200;
        } catch (AssertionError | RuntimeException notYet) {
            return false;
        }
    }

    /** The rolling gauge is compared above; the oracle here is of the counters. */
    private Process startVictim(AppConfig shared, Path tokensFile) throws Exception {
        // Ports 0: the victim binds free ports and advertises its customer port to the group.
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "id.audit.tokenid.app.Main", "run",
                "--bootstrap-servers", shared.bootstrapServers(),
                "--application-id", shared.applicationId(),
                "--input-topic", shared.inputTopic(),
                "--dlq-topic", shared.dlqTopic(),
                "--tokens-topic", shared.tokensTopic(),
                "--budgets-topic", shared.budgetsTopic(),
                "--prices-topic", shared.pricesTopic(),
                "--tokens-file", tokensFile.toString(),
                "--internal-secret-file", ServiceFixtures.writeInternalSecretFile(tmp).toString(),
                "--state-dir", tmp.resolve("victim").toString(),
                "--http-port", "0",
                "--management-port", "0",
                "--advertised-address", "localhost");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("victim.log").toFile()).start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
