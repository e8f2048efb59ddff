package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.tokens.TokenRecord;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeMap;
import id.audit.tokenid.exporter.auth.TokensFile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances of the real service on one in-process broker, one application id: any
 * instance answers any org with the same lines, tokens from the topic work everywhere and a
 * tombstone revokes everywhere.
 */
class ScaleOutIntegrationTest {

    static final int ORGS = 20;
    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    @Test
    void everyOrgScrapedFromEitherInstanceGivesIdenticalLinesEqualToTheOracle() throws Exception {
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(ORGS);
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        String admin = Tokens.mint();
        Files.writeString(tokensFile, TokensFile.formatLine(TokenDigests.sha256Hex(admin), Principal.admin()) + "\n",
                StandardOpenOption.APPEND);
        AppConfig a = config("scale-two", tmp.resolve("a"), 0, tokensFile);
        AppConfig b = config("scale-two", tmp.resolve("b"), 0, tokensFile);
        TestInstance.createTopics(kafka, a, 4);
        GeneratedTraffic traffic = new GeneratedTraffic(11, Instant.now())
                .add(20_000, ORGS, 4, p -> GeneratedTraffic.ageAvoidingTheEdge(new Random(p)));

        try (Service first = Service.start(a, TestInstance.overrides());
             Service second = Service.start(b, TestInstance.overrides())) {
            ServiceFixtures.produce(kafka, a.inputTopic(), traffic.records);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (Map.Entry<String, String> org : tokens.entrySet()) {
                    HttpResponse<String> fromFirst = Scrapes.get(first.httpPort(), org.getValue());
                    HttpResponse<String> fromSecond = Scrapes.get(second.httpPort(), org.getValue());
                    assertThat(fromFirst.statusCode()).as("first instance, %s", org.getKey()).isEqualTo(200);
                    assertThat(fromSecond.statusCode()).as("second instance, %s", org.getKey()).isEqualTo(200);
                    assertThat(fromSecond.body()).isEqualTo(fromFirst.body());
                    assertThat(Scrapes.samples(fromFirst.body())).as("samples of %s", org.getKey())
                            .isEqualTo(Oracle.expectedSamples(traffic, org.getKey()));
                }
            });
            // An admin token sees every org, gathered from both instances, on either instance.
            Map<String, Double> everyOrg = new TreeMap<>();
            tokens.keySet().forEach(org -> everyOrg.putAll(Oracle.expectedSamples(traffic, org)));
            traffic.rolling24h.keySet().forEach(org -> everyOrg.putAll(Oracle.expectedSamples(traffic, org)));
            for (Service instance : List.of(first, second)) {
                HttpResponse<String> all = Scrapes.get(instance.httpPort(), admin);
                assertThat(all.statusCode()).isEqualTo(200);
                assertThat(Scrapes.samples(all.body())).isEqualTo(everyOrg);
            }
            // Both instances hold part of the orgs: the identical answers above crossed instances.
            assertThat(first.runtime().streams().metadataForLocalThreads().stream()
                    .flatMap(t -> t.activeTasks().stream()).count()).isPositive();
            assertThat(second.runtime().streams().metadataForLocalThreads().stream()
                    .flatMap(t -> t.activeTasks().stream()).count()).isPositive();
        }
    }

    @Test
    void aTokenFromTheTopicWorksOnEveryInstanceUntilATombstoneRevokesIt() throws Exception {
        Path emptyTokensFile = ServiceFixtures.writeTokensFile(tmp, Map.of());
        AppConfig a = config("scale-tokens", tmp.resolve("a"), 0, emptyTokensFile);
        AppConfig b = config("scale-tokens", tmp.resolve("b"), 0, emptyTokensFile);
        TestInstance.createTopics(kafka, a, 4);
        String token = Tokens.mint();
        String digest = TokenDigests.sha256Hex(token);

        try (Service first = Service.start(a, TestInstance.overrides());
             Service second = Service.start(b, TestInstance.overrides());
             KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            await().atMost(Duration.ofMinutes(2)).until(() -> first.isReady() && second.isReady());
            assertThat(Scrapes.get(first.httpPort(), token).statusCode()).isEqualTo(401);

            producer.send(new ProducerRecord<>(a.tokensTopic(), bytes(digest),
                    bytes(TokenRecord.toJson(Principal.org("acme"))))).get();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> one = Scrapes.get(first.httpPort(), token);
                HttpResponse<String> two = Scrapes.get(second.httpPort(), token);
                assertThat(one.statusCode()).isEqualTo(200);
                assertThat(two.statusCode()).isEqualTo(200);
                assertThat(one.body()).contains("llm_cost_usd_rolling_24h{org_id=\"acme\"} 0.0");
            });

            producer.send(new ProducerRecord<>(a.tokensTopic(), bytes(digest), null)).get();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(Scrapes.get(first.httpPort(), token).statusCode()).isEqualTo(401);
                assertThat(Scrapes.get(second.httpPort(), token).statusCode()).isEqualTo(401);
            });
        }
    }

    private AppConfig config(String appId, Path stateDir, int httpPort, Path tokensFile) {
        return ServiceFixtures.config(kafka, appId, stateDir, httpPort, tokensFile);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
