package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.topology.DeadLetterHeaders;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 item 2, on a real broker: one org sends the largest values the schema allows, far
 * more of them than a long can sum; its scrape, every other org's and the admin's stay 200,
 * the big org's values equal a BigInteger oracle, the others' equal theirs, and nothing of the
 * big org is dead-lettered.
 */
class LargeSumsIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final BigInteger MAX_TOKENS = BigInteger.ONE.shiftLeft(53);
    private static final int TOKEN_EVENTS = 1_100;
    private static final int COST_EVENTS = 25;
    private static final String WHALE = "whale";

    @TempDir
    Path tmp;

    @Test
    void maximalValuesBeyondALongKeepEveryScrapeWholeAndExact() throws Exception {
        // Given: three ordinary orgs with generated traffic, and a whale with maximal values.
        Map<String, String> tokens = ServiceFixtures.mintOrgTokens(3);
        tokens.put(WHALE, Tokens.mint());
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, tokens);
        String admin = Tokens.mint();
        Files.writeString(tokensFile, TokensFile.formatLine(TokenDigests.sha256Hex(admin), Principal.admin()) + "\n",
                StandardOpenOption.APPEND);
        AppConfig config = ServiceFixtures.config(kafka, "large-sums", tmp.resolve("state"), 0,
                tokensFile);
        TestInstance.createTopics(kafka, config, 4);
        GeneratedTraffic others = new GeneratedTraffic(5, Instant.now())
                .add(3_000, 3, 4, p -> GeneratedTraffic.ageAvoidingTheEdge(new Random(p)));
        List<GeneratedTraffic.Generated> whale = whaleRecords();

        try (Service service = Service.start(config, TestInstance.overrides())) {
            // When
            ServiceFixtures.produce(kafka, config.inputTopic(), others.records);
            ServiceFixtures.produce(kafka, config.inputTopic(), whale);

            // Then
            Map<String, Double> expectedWhale = whaleOracle();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                HttpResponse<String> big = Scrapes.get(service.httpPort(), tokens.get(WHALE));
                assertThat(big.statusCode()).as("the whale's scrape").isEqualTo(200);
                assertThat(Scrapes.samples(big.body())).isEqualTo(expectedWhale);
                for (int i = 0; i < 3; i++) {
                    String org = "org-" + i;
                    HttpResponse<String> small = Scrapes.get(service.httpPort(), tokens.get(org));
                    assertThat(small.statusCode()).as("scrape of %s", org).isEqualTo(200);
                    assertThat(Scrapes.samples(small.body())).isEqualTo(Oracle.expectedSamples(others, org));
                }
                Map<String, Double> everyOrg = new TreeMap<>(expectedWhale);
                others.rolling24h.keySet().forEach(org -> everyOrg.putAll(Oracle.expectedSamples(others, org)));
                HttpResponse<String> all = Scrapes.get(service.httpPort(), admin);
                assertThat(all.statusCode()).as("the admin's scrape").isEqualTo(200);
                assertThat(Scrapes.samples(all.body())).isEqualTo(everyOrg);
            });
            // The scrape's doubles are the nearest to the exact sums; the read behind it is exact.
            ReadResult read = service.runtime().localReader().read(UsageQuery.forOrg(WHALE, Instant.now()));
            assertThat(read).isEqualTo(new ReadResult.Found(List.of(exactWhaleOracle())));
            assertDeadLettersAreExactlyTheBadRecords(config.dlqTopic(), config.inputTopic(), others);
        }
    }

    /** 1,100 events at 2^53 input and output tokens, then 25 at the largest cost as well. */
    private static List<GeneratedTraffic.Generated> whaleRecords() {
        List<GeneratedTraffic.Generated> records = new java.util.ArrayList<>();
        String tokens = ",\"input_tokens\":" + MAX_TOKENS + ",\"output_tokens\":" + MAX_TOKENS;
        for (int i = 0; i < TOKEN_EVENTS; i++) {
            // Cost 0 given: without it the price table would price 2^53 tokens beyond one event's maximum.
            String json = "{\"org_id\":\"Whale\",\"provider\":\"openai\",\"model\":\"gpt-4o\"" + tokens
                    + ",\"cost_usd\":0}";
            records.add(new GeneratedTraffic.Generated(i % 4, json.getBytes(StandardCharsets.UTF_8), null));
        }
        for (int i = 0; i < COST_EVENTS; i++) {
            String json = "{\"org_id\":\"whale\",\"provider\":\"anthropic\",\"model\":\"claude\"" + tokens
                    + ",\"cost_usd\":" + CostNanos.MAX_USD + "}";
            records.add(new GeneratedTraffic.Generated(i % 4, json.getBytes(StandardCharsets.UTF_8), null));
        }
        return records;
    }

    /** The whale's samples, summed in BigInteger and only then turned into the scrape's doubles. */
    private static Map<String, Double> whaleOracle() {
        Map<String, Double> samples = new TreeMap<>();
        BigInteger maxCostNanos = BigInteger.valueOf(CostNanos.MAX_USD).multiply(BigInteger.valueOf(1_000_000_000L));
        String gpt = "{model=\"gpt-4o\",org_id=\"whale\",provider=\"openai\"}";
        samples.put("llm_requests_total" + gpt, (double) TOKEN_EVENTS);
        samples.put("llm_tokens_total" + gpt, MAX_TOKENS.shiftLeft(1).multiply(BigInteger.valueOf(TOKEN_EVENTS))
                .doubleValue());
        samples.put("llm_input_tokens_total" + gpt, MAX_TOKENS.multiply(BigInteger.valueOf(TOKEN_EVENTS)).doubleValue());
        samples.put("llm_output_tokens_total" + gpt, MAX_TOKENS.multiply(BigInteger.valueOf(TOKEN_EVENTS)).doubleValue());
        samples.put("llm_cost_usd_total" + gpt, 0.0);
        String claude = "{model=\"claude\",org_id=\"whale\",provider=\"anthropic\"}";
        BigDecimal cost = new BigDecimal(maxCostNanos.multiply(BigInteger.valueOf(COST_EVENTS)), 9);
        samples.put("llm_requests_total" + claude, (double) COST_EVENTS);
        samples.put("llm_tokens_total" + claude, MAX_TOKENS.shiftLeft(1).multiply(BigInteger.valueOf(COST_EVENTS))
                .doubleValue());
        samples.put("llm_input_tokens_total" + claude, MAX_TOKENS.multiply(BigInteger.valueOf(COST_EVENTS)).doubleValue());
        samples.put("llm_output_tokens_total" + claude, MAX_TOKENS.multiply(BigInteger.valueOf(COST_EVENTS)).doubleValue());
        samples.put("llm_cost_usd_total" + claude, cost.doubleValue());
        // The events carry no time: they happen now, inside every window.
        samples.put("llm_cost_usd_rolling_24h{org_id=\"whale\"}", cost.doubleValue());
        samples.put("llm_cost_usd_rolling_1h{org_id=\"whale\"}", cost.doubleValue());
        samples.put("llm_cost_usd_month_to_date{org_id=\"whale\"}", cost.doubleValue());
        samples.put("llm_series_overflow_total{org_id=\"whale\"}", 0.0);
        return samples;
    }

    private static OrgUsage exactWhaleOracle() {
        BigInteger maxCostNanos = BigInteger.valueOf(CostNanos.MAX_USD).multiply(BigInteger.valueOf(1_000_000_000L));
        BigInteger claudeTokens = MAX_TOKENS.multiply(BigInteger.valueOf(COST_EVENTS));
        BigInteger gptTokens = MAX_TOKENS.multiply(BigInteger.valueOf(TOKEN_EVENTS));
        BigInteger cost = maxCostNanos.multiply(BigInteger.valueOf(COST_EVENTS));
        return new OrgUsage(WHALE, List.of(
                new ModelUsage("anthropic", "claude", COST_EVENTS, claudeTokens, claudeTokens, cost),
                new ModelUsage("openai", "gpt-4o", TOKEN_EVENTS, gptTokens, gptTokens, BigInteger.ZERO)),
                cost, cost, cost, java.util.Optional.empty());
    }

    /** Only the generator's bad records are dead letters, each with its input coordinates. */
    private static void assertDeadLettersAreExactlyTheBadRecords(String dlqTopic, String inputTopic,
                                                                 GeneratedTraffic traffic) {
        Map<String, String> expected = new HashMap<>();
        for (GeneratedTraffic.Generated record : traffic.records) {
            if (record.deadLetterReason() != null) {
                expected.put(new String(record.value(), StandardCharsets.UTF_8), record.deadLetterReason());
            }
        }
        Map<String, String> actual = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + dlqTopic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                            .isEqualTo(inputTopic);
                    actual.put(new String(record.value(), StandardCharsets.UTF_8),
                            DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON));
                }
                assertThat(actual).hasSameSizeAs(expected);
            });
        }
        assertThat(actual).isEqualTo(expected);
    }
}
