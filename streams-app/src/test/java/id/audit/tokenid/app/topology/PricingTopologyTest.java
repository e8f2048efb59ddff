package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.pricing.PriceRow;
import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.exporter.usage.ModelUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events without cost_usd priced in the parse step, from the file's rows and the prices topic's. */
class PricingTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T08:00:00Z");
    private static final Instant JUNE_FIRST = Instant.parse("2026-06-01T00:00:00Z");
    /** 2^53: the largest token count an event may carry. */
    private static final long MAX_TOKENS = 9_007_199_254_740_992L;

    /** The file's rows: m costs 1 (cached 0.5, write 2) / 4 from January, 3 / 6 from June. */
    private static final List<PriceRow> FILE_ROWS = List.of(
            PriceRow.parse("openai", "m", "2026-01-01", "1", "0.5", "2", "4"),
            PriceRow.parse("openai", "m", "2026-06-01", "3", "", "", "6"),
            PriceRow.parse("openai", "huge", "2026-01-01", "100000", "", "", "100000"));

    @TempDir
    Path stateDir;

    private TopologyFixture t;
    private TestInputTopic<String, byte[]> prices;

    @BeforeEach
    void start() {
        t = new TopologyFixture(TopologySettings.defaults(), new PriceSettings("api-prices", FILE_ROWS), NOW,
                stateDir);
        prices = t.driver.createInputTopic("api-prices", new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        t.close();
    }

    private void sendWithoutCost(String model, long input, long output, Instant at) {
        t.send(apiCall("acme").provider("openai").model(model).tokens(input, output).at(at).json());
    }

    /** Writes a row to the prices topic and lets the wall clock pass the table's least rebuild interval. */
    private void putPriceRow(String key, String json) {
        prices.pipeInput(new TestRecord<>(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), NOW));
        t.advanceWallClock(Duration.ofSeconds(1));
    }

    private ModelUsage series(String model) {
        return t.usage("acme").series().stream().filter(s -> s.model().equals(model)).findFirst().orElseThrow();
    }

    private long cost(String model) {
        return series(model).costNanos().longValueExact();
    }

    @Test
    void pricesAnEventWithoutCostByTheRowValidAtItsEventTime() {
        sendWithoutCost("m", 1000, 1000, JUNE_FIRST.minusMillis(1).minusSeconds(200 * 86_400L)); // 2025: no row
        sendWithoutCost("m", 1000, 1000, MARCH);                                              // January's row
        sendWithoutCost("m", 1000, 1000, JUNE_FIRST);                                         // June's, from midnight
        sendWithoutCost("m", 1000, 1000, JUNE_FIRST.minusMillis(1));                          // still January's
        sendWithoutCost("m", 1000, 1000, NOW);                                                // June's

        // USD per million tokens × tokens × 1000 = nanos: January 1000·1 + 1000·4 = 5,000,000;
        // June 1000·3 + 1000·6 = 9,000,000.
        assertThat(cost("m")).isEqualTo(5_000_000L + 9_000_000 + 5_000_000 + 9_000_000);
        assertThat(series("m").requests()).isEqualTo(5);
        assertThat(series("m").inputTokens()).isEqualTo(5000);
        assertThat(t.usage("acme").rolling24hCostNanos()).as("the priced cost reaches the time buckets")
                .isEqualTo(9_000_000L);
        assertThat(t.metrics.unpriced).as("the 2025 event, before any row").hasValue(1);
        assertThat(t.metrics.counted).hasValue(5);
    }

    @Test
    void pricesEachTokenPartAtItsOwnRate() {
        t.send(apiCall("acme").provider("OpenAI").model("M").tokens(1000, 500).raw("cached_input_tokens", "200")
                .raw("cache_write_input_tokens", "100").raw("reasoning_tokens", "300").at(MARCH).json());

        // 700·1 + 200·0.5 + 100·2 + 500·4 = 3000 USD per million tokens = 3,000,000 nanos.
        assertThat(cost("m")).isEqualTo(3_000_000L);
    }

    @Test
    void aCostOfZeroStaysFree() {
        t.send(apiCall("acme").provider("openai").model("m").tokens(1000, 1000).cost("0").at(MARCH).json());
        t.send(apiCall("acme").provider("openai").model("m").tokens(1000, 1000).cost("\"0.000\"").at(MARCH).json());

        assertThat(cost("m")).isZero();
        assertThat(series("m").requests()).isEqualTo(2);
        assertThat(t.metrics.unpriced).hasValue(0);
    }

    @Test
    void aGivenCostIsKeptEvenWhenARowWouldPriceTheEvent() {
        t.send(apiCall("acme").provider("openai").model("m").tokens(1000, 1000).cost("0.25").at(MARCH).json());

        assertThat(cost("m")).isEqualTo(250_000_000L);
    }

    @Test
    void anEventNoRowPricesCountsWithCostZeroAndIsNotLost() {
        sendWithoutCost("no-such-model", 10, 20, NOW);
        t.send(apiCall("acme").tokens(5, 5).at(NOW).json()); // no provider, no model, no cost

        assertThat(cost("no-such-model")).isZero();
        assertThat(series("no-such-model").requests()).isEqualTo(1);
        assertThat(series("no-such-model").inputTokens()).isEqualTo(10);
        assertThat(series("no-such-model").outputTokens()).isEqualTo(20);
        assertThat(t.usage("acme").rolling24hCostNanos()).isZero();
        assertThat(t.metrics.counted).hasValue(2);
        assertThat(t.metrics.unpriced).hasValue(2);
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void aTopicRowOverridesTheFileRowLiveAndItsTombstoneBringsTheFileRowBack() {
        sendWithoutCost("m", 1000, 1000, MARCH);                             // file: 5,000,000

        putPriceRow("openai|m|2026-01-01", "{\"input\": \"10\", \"output\": 40}");
        sendWithoutCost("m", 1000, 1000, MARCH);                             // topic: 50,000,000

        putPriceRow("openai|m|2026-01-01", null);
        sendWithoutCost("m", 1000, 1000, MARCH);                             // file again: 5,000,000

        assertThat(cost("m")).isEqualTo(5_000_000L + 50_000_000 + 5_000_000);
        assertThat(t.metrics.invalidPriceRows).hasValue(0);
    }

    @Test
    void aTopicRowAddsAModelLive() {
        sendWithoutCost("new-model", 1000, 0, MARCH);
        putPriceRow("openai|new-model*|2026-02-01", "{\"input\": \"0.125\", \"output\": \"1\"}");
        sendWithoutCost("new-model-2026", 1000, 0, MARCH);
        sendWithoutCost("new-model", 1000, 0, MARCH);

        assertThat(cost("new-model")).isEqualTo(125_000L);
        assertThat(cost("new-model-2026")).isEqualTo(125_000L);
        assertThat(t.metrics.unpriced).as("the first, before the row existed").hasValue(1);
    }

    @Test
    void anInvalidTopicValueIsIgnoredCountedAndRemovesItsKeysRow() {
        putPriceRow("openai|m|2026-01-01", "{\"input\": \"10\", \"output\": 40}");
        putPriceRow("openai|m|2026-01-01", "{\"input\": \"ten\", \"output\": 40}");
        putPriceRow("OpenAI|m|2026-01-01", "{\"input\": 99, \"output\": 99}");  // not a row's key
        sendWithoutCost("m", 1000, 1000, MARCH);

        assertThat(cost("m")).as("the file's row: the invalid value replaced the topic row").isEqualTo(5_000_000L);
        assertThat(t.metrics.invalidPriceRows).hasValue(2);
    }

    @Test
    void aPricedCostAboveTheMaximumOfOneEventIsDeadLettered() {
        String json = apiCall("acme").provider("openai").model("huge").tokens(MAX_TOKENS, MAX_TOKENS).at(MARCH).json();
        sendWithoutCost("m", 1000, 1000, MARCH);

        t.send(json);

        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
                .isEqualTo("priced_cost_out_of_range");
        assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.DETAIL))
                .contains("openai|huge|2026-01-01");
        assertThat(t.usage("acme").series()).extracting(ModelUsage::model).containsExactly("m");
        assertThat(t.metrics.deadLetters).containsEntry("priced_cost_out_of_range", 1L);
        assertThat(t.metrics.counted).hasValue(1);
    }
}
