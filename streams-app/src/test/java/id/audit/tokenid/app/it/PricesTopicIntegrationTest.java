package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.pricing.PriceStore;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prices topic on a real broker, across restarts: rows written before the first start price
 * events (the global store is loaded from the topic, each record through the store's processor),
 * after a restart that keeps the state directory (the store resumes from its checkpoint: no record
 * goes through the processor, so the parse step must read the rows from the store itself) and
 * after one on an empty state directory (loaded from the topic again); a tombstone brings back the
 * shipped row.
 */
class PricesTopicIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    /** The shipped table prices gpt-4o at 2.50 USD per million input tokens. */
    private static final long SHIPPED_GPT_4O_NANOS = 2_500_000L;

    @TempDir
    Path tmp;

    @Test
    void topicRowsPriceEventsAfterEachKindOfRestartAndATombstoneRestoresTheShippedRow() throws Exception {
        // Given: a row for a model the shipped table does not know, and one overriding gpt-4o.
        AppConfig first = TestInstance.config(kafka.bootstrapServers(), "prices-restart", "prices-restart-calls",
                tmp.resolve("state-a"), 0);
        TestInstance.createTopics(kafka, first, 2);
        putPriceRow(first, "openai|topic-model|2026-01-01", "{\"input\": \"2\", \"output\": \"2\"}");
        putPriceRow(first, "openai|gpt-4o|2024-08-06", "{\"input\": \"100\", \"cached_input\": 50, \"output\": 400}");
        Map<String, Long> expected = new TreeMap<>();

        // When / then: each run sends 1,000 input tokens of each model without a cost.
        try (StreamsRuntime runtime = TestInstance.start(first)) {
            sendBoth(first, expected, 2_000_000L, 100_000_000L);
            awaitCosts(runtime, expected);
        }
        try (StreamsRuntime runtime = TestInstance.start(first)) {
            sendBoth(first, expected, 2_000_000L, 100_000_000L);
            awaitCosts(runtime, expected);
        }
        AppConfig emptyState = TestInstance.config(kafka.bootstrapServers(), "prices-restart", "prices-restart-calls",
                tmp.resolve("state-b"), 0);
        try (StreamsRuntime runtime = TestInstance.start(emptyState)) {
            sendBoth(emptyState, expected, 2_000_000L, 100_000_000L);
            awaitCosts(runtime, expected);

            putPriceRow(emptyState, "openai|gpt-4o|2024-08-06", null);
            // The tombstone reaches the global store on its own thread: wait until it is applied.
            ReadOnlyKeyValueStore<String, byte[]> rows = runtime.streams().store(
                    StoreQueryParameters.fromNameAndType(PriceStore.NAME, QueryableStoreTypes.keyValueStore()));
            await().atMost(Duration.ofSeconds(60)).until(() -> rows.get("openai|gpt-4o|2024-08-06") == null);
            // The parse step rebuilds its table at most once a second: an event or two may still
            // see the override; each is priced at one of the two rows, and soon at the shipped one.
            List<Long> deltas = new ArrayList<>();
            while (deltas.isEmpty() || deltas.get(deltas.size() - 1) != SHIPPED_GPT_4O_NANOS) {
                assertThat(deltas).as("events priced after the tombstone").hasSizeLessThan(20);
                long before = costOf(runtime, "gpt-4o");
                send(emptyState, "gpt-4o");
                await().atMost(Duration.ofSeconds(30)).until(() -> costOf(runtime, "gpt-4o") != before);
                deltas.add(costOf(runtime, "gpt-4o") - before);
            }
            assertThat(deltas).allMatch(d -> d == SHIPPED_GPT_4O_NANOS || d == 100_000_000L);
        }
    }

    private static void sendBoth(AppConfig config, Map<String, Long> expected, long topicModel, long gpt4o) {
        send(config, "topic-model");
        send(config, "gpt-4o");
        expected.merge("topic-model", topicModel, Long::sum);
        expected.merge("gpt-4o", gpt4o, Long::sum);
    }

    private static void send(AppConfig config, String model) {
        String json = "{\"org_id\":\"acme\",\"provider\":\"openai\",\"model\":\"" + model
                + "\",\"input_tokens\":1000,\"output_tokens\":0}";
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(config.inputTopic(), "acme".getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putPriceRow(AppConfig config, String key, String json) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(config.pricesTopic(), key.getBytes(StandardCharsets.UTF_8),
                    json == null ? null : json.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void awaitCosts(StreamsRuntime runtime, Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Map.Entry<String, Long> model : expected.entrySet()) {
                assertThat(costOf(runtime, model.getKey())).as(model.getKey()).isEqualTo(model.getValue());
            }
        });
    }

    /** The model's cost in acme's totals, or -1 while the store cannot be read. */
    private static long costOf(StreamsRuntime runtime, String model) {
        ReadResult read = runtime.localReader().read(UsageQuery.forOrg("acme", Instant.now()));
        if (!(read instanceof ReadResult.Found found)) {
            return -1;
        }
        return found.orgs().stream().map(OrgUsage::series).flatMap(List::stream)
                .filter(s -> s.model().equals(model)).map(ModelUsage::costNanos).findFirst()
                .map(java.math.BigInteger::longValueExact).orElse(0L);
    }
}
