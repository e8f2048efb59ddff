package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 item 4 on a real broker: an admin read is whole or refused while an instance goes
 * away, and partitions added to the input topic are refused (503, not ready, a gauge, and a
 * one-line start-up error naming the topic) rather than routed to the wrong partition.
 */
class PartitionsIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    @Test
    void anAdminScrapeIsWholeOr503WhileAnInstanceLeavesNeverFewerOrgs() throws Exception {
        // given: two instances share the orgs
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(12);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        String admin = appendAdmin(tokensFile);
        AppConfig a = ServiceFixtures.config(kafka, "admin-whole", tmp.resolve("a"), 0, tokensFile);
        AppConfig b = ServiceFixtures.config(kafka, "admin-whole", tmp.resolve("b"), 0, tokensFile);
        TestInstance.createTopics(kafka, a, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(21, Instant.now())
                .add(5_000, 12, 4, p -> GeneratedTraffic.ageAvoidingTheEdge(new Random(p)));
        Map<String, Double> everyOrg = new TreeMap<>();
        traffic.rolling24h.keySet().forEach(org -> everyOrg.putAll(Oracle.expectedSamples(traffic, org)));

        try (Service first = Service.start(a, TestInstance.overrides())) {
            Service second = Service.start(b, TestInstance.overrides());
            try {
                ServiceFixtures.produce(kafka, a.inputTopic(), traffic.records);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    HttpResponse<String> all = Scrapes.get(first.httpPort(), admin);
                    assertThat(all.statusCode()).isEqualTo(200);
                    assertThat(Scrapes.samples(all.body())).isEqualTo(everyOrg);
                });
                assertThat(second.runtime().streams().metadataForLocalThreads().stream()
                        .flatMap(t -> t.activeTasks().stream()).count()).isPositive();
            } finally {
                // when: the second instance goes away
                second.close();
            }

            // then: every admin scrape until the survivor holds everything is 503 or whole
            List<Integer> statuses = new ArrayList<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                HttpResponse<String> all = Scrapes.get(first.httpPort(), admin);
                statuses.add(all.statusCode());
                assertThat(all.statusCode()).isIn(200, 503);
                if (all.statusCode() == 200) {
                    assertThat(Scrapes.samples(all.body())).as("a 200 admin scrape is whole").isEqualTo(everyOrg);
                }
                assertThat(first.runtime().streams().metadataForLocalThreads().stream()
                        .mapToLong(t -> t.activeTasks().size()).sum()).isEqualTo(4);
                assertThat(all.statusCode()).isEqualTo(200);
            });
            System.out.println("admin scrape statuses while the second instance left: " + statuses);
        }
    }

    @Test
    void partitionsAddedToTheInputAreRefusedWhileRunningAndAtTheNextStart() throws Exception {
        // given: one instance, its orgs equal to the oracle on 4 partitions
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(6);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        AppConfig config = ServiceFixtures.config(kafka, "grow", tmp.resolve("state"), 0, tokensFile);
        TestInstance.createTopics(kafka, config, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(8, Instant.now())
                .add(3_000, 6, 4, p -> GeneratedTraffic.ageAvoidingTheEdge(new Random(p)));

        try (Service service = Service.start(config, TestInstance.overrides())) {
            ServiceFixtures.produce(kafka, config.inputTopic(), traffic.records);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (Map.Entry<String, String> org : tokens.entrySet()) {
                    HttpResponse<String> scrape = Scrapes.get(service.httpPort(), org.getValue());
                    assertThat(scrape.statusCode()).isEqualTo(200);
                    assertThat(Scrapes.samples(scrape.body())).isEqualTo(Oracle.expectedSamples(traffic, org.getKey()));
                }
            });

            // when: the input topic goes from 4 to 6 partitions while the service runs
            try (Admin adminClient = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                adminClient.createPartitions(Map.of(config.inputTopic(), NewPartitions.increaseTo(6))).all().get();
            }

            // then: refused, not answered from the wrong partition
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(Scrapes.getPath(service.managementPort(), "/readyz").statusCode()).isEqualTo(503);
                assertThat(Scrapes.getPath(service.managementPort(), "/metrics").body())
                        .contains("tokenid_input_partitions_changed 1.0");
                for (String token : tokens.values()) {
                    assertThat(Scrapes.get(service.httpPort(), token).statusCode()).isEqualTo(503);
                }
            });
            System.out.println("streams state after the input grew: " + service.runtime().streams().state());
        }

        // and the next start stops with one line naming the topic
        assertThatThrownBy(() -> Service.start(config, TestInstance.overrides()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic '" + config.inputTopic() + "' (--input-topic) went from 4 to 6 partitions")
                .hasMessageNotContaining("\n");
    }

    private static String appendAdmin(Path tokensFile) throws Exception {
        String admin = Tokens.mint();
        Files.writeString(tokensFile, TokensFile.formatLine(TokenDigests.sha256Hex(admin), Principal.admin()) + "\n",
                StandardOpenOption.APPEND);
        return admin;
    }
}
