package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageTopologyTest {

    /** 2^53: the largest token count an event may carry (SPEC §1). */
    private static final long MAX_TOKENS = 9_007_199_254_740_992L;

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    private TopologyFixture start(TopologySettings settings) {
        fixture = new TopologyFixture(settings, START, stateDir);
        return fixture;
    }

    private TopologyFixture start() {
        return start(TopologySettings.defaults());
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void sumsRequestsTokensAndCostPerOrgProviderModel() {
        TopologyFixture t = start();

        t.send(apiCall("acme").provider("openai").model("gpt-4o").tokens(100, 20).cost("0.25").json());
        t.send(apiCall("acme").provider("openai").model("gpt-4o").tokens(50, 5).cost("0.125").json());
        t.send(apiCall("acme").provider("anthropic").model("claude").tokens(1, 2).cost("1").json());

        OrgUsage acme = t.usage("acme");
        assertThat(acme.series()).containsExactly(
                new ModelUsage("anthropic", "claude", 1, 1, 2, 1_000_000_000L),
                new ModelUsage("openai", "gpt-4o", 2, 150, 25, 375_000_000L));
        assertThat(acme.rolling24hCostNanos()).isEqualTo(1_375_000_000L);
        assertThat(t.metrics.counted).hasValue(3);
    }

    @Test
    void normalisesOrgProviderAndModelIntoOneSeries() {
        TopologyFixture t = start();

        t.send(apiCall(" ACME ").provider("OpenAI").model("GPT-4o").tokens(1, 1).cost("0.1").json());
        t.send(apiCall("acme").provider(" openai").model("gpt-4o ").tokens(1, 1).cost("0.1").json());

        assertThat(t.allUsage()).extracting(OrgUsage::orgId).containsExactly("acme");
        assertThat(t.usage("acme").series()).containsExactly(new ModelUsage("openai", "gpt-4o", 2, 2, 2, 200_000_000L));
    }

    @Test
    void dropsEventsWithoutProviderOrModelFromPerModelCountersButCountsTheirCost() {
        TopologyFixture t = start();

        t.send(apiCall("acme").provider("openai").tokens(10, 10).cost("0.5").json());
        t.send(apiCall("acme").model("gpt-4o").tokens(10, 10).cost("0.25").json());
        t.send(apiCall("acme").provider("  ").model("gpt-4o").cost("0.125").json());
        t.send(apiCall("acme").cost("0.125").json());

        OrgUsage acme = t.usage("acme");
        assertThat(acme.series()).isEmpty();
        assertThat(acme.rolling24hCostNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void ignoresOtherEventTypesWithoutDeadLettering() {
        TopologyFixture t = start();

        t.send(apiCall("acme").type("user_login").provider("openai").model("m").cost("5").json());
        t.send(apiCall("acme").type("api_call").provider("openai").model("m").cost("1").json());

        assertThat(t.usage("acme").series()).containsExactly(new ModelUsage("openai", "m", 1, 0, 0, 1_000_000_000L));
        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(t.metrics.ignored).containsEntry("user_login", 1L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                | not_json        | {oops",
            "an array                | not_object      | [1,2]",
            "missing org_id          | missing_org_id  | {\"provider\":\"openai\",\"model\":\"m\"}",
            "blank org_id            | invalid_org_id  | {\"org_id\":\"   \"}",
            "negative input_tokens   | invalid_tokens  | {\"org_id\":\"acme\",\"input_tokens\":-1}",
            "tokens over 2^53        | invalid_tokens  | {\"org_id\":\"acme\",\"output_tokens\":9007199254740993}",
            "fractional tokens       | invalid_tokens  | {\"org_id\":\"acme\",\"output_tokens\":1.5}",
            "negative cost           | invalid_cost    | {\"org_id\":\"acme\",\"cost_usd\":-0.01}",
            "cost as a word          | invalid_cost    | {\"org_id\":\"acme\",\"cost_usd\":\"cheap\"}",
            "timestamp without zone  | invalid_timestamp | {\"org_id\":\"acme\",\"timestamp\":\"2026-11-27T10:00:00\"}",
            "provider is a number    | invalid_provider | {\"org_id\":\"acme\",\"provider\":42}",
            "type is a number        | invalid_type    | {\"org_id\":\"acme\",\"type\":1}",
    })
    void deadLettersBadInputWithItsReasonAndOriginalBytesAndCountsNothing(String what, String reason, String json) {
        TopologyFixture t = start();
        t.send(apiCall("acme").provider("openai").model("m").cost("1").json());

        t.send(json);

        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(json);
        Headers headers = dead.headers();
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON)).isEqualTo(reason);
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.DETAIL)).isNotBlank();
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("api-calls");
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(t.usage("acme").series()).containsExactly(new ModelUsage("openai", "m", 1, 0, 0, 1_000_000_000L));
        assertThat(t.usage("acme").rolling24hCostNanos()).isEqualTo(1_000_000_000L);
        assertThat(t.metrics.deadLetters).containsEntry(reason, 1L);
    }

    @Test
    void deadLettersRecordsOverOneMebibyteAndEmptyValues() {
        TopologyFixture t = start();
        String padding = "x".repeat(1 << 20);

        t.send(apiCall("acme").raw("padding", EventJson.quote(padding)).cost("1").json());
        t.sendBytes(null);

        assertThat(t.dlq.readRecordsToList()).extracting(r -> DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON))
                .containsExactly("too_large", "empty");
        assertThat(t.allUsage()).isEmpty();
    }

    @Test
    void countsARepeatedEventIdOnceInsideTheDedupWindow() {
        TopologyFixture t = start();
        String event = apiCall("acme").eventId("e-1").provider("openai").model("m").tokens(1, 1).cost("1")
                .at(START.minusSeconds(60)).json();

        t.send(event);
        t.send(event);
        t.send(apiCall("acme").eventId("e-1").provider("openai").model("m").tokens(1, 1).cost("1")
                .at(START.minusSeconds(60).plus(Duration.ofMinutes(59))).json());

        assertThat(t.usage("acme").series()).containsExactly(new ModelUsage("openai", "m", 1, 1, 1, 1_000_000_000L));
        assertThat(t.usage("acme").rolling24hCostNanos()).isEqualTo(1_000_000_000L);
        assertThat(t.metrics.duplicates).hasValue(2);
    }

    @Test
    void countsTheSameEventIdAgainOutsideTheDedupWindowOrInAnotherOrg() {
        TopologyFixture t = start();

        t.send(apiCall("acme").eventId("e-1").provider("p").model("m").cost("1").at(START.minus(Duration.ofHours(3))).json());
        t.send(apiCall("acme").eventId("e-1").provider("p").model("m").cost("1").at(START.minus(Duration.ofMinutes(59))).json());
        t.send(apiCall("globex").eventId("e-1").provider("p").model("m").cost("1").at(START.minus(Duration.ofMinutes(59))).json());

        assertThat(t.usage("acme").series()).extracting(ModelUsage::requests).containsExactly(2L);
        assertThat(t.usage("globex").series()).extracting(ModelUsage::requests).containsExactly(1L);
    }

    @Test
    void countsARepeatThatArrivesMoreThanTwoWindowsLaterOnTheWallClock() {
        TopologyFixture t = start();
        String event = apiCall("acme").eventId("e-1").provider("p").model("m").cost("1").at(START).json();

        t.send(event);
        t.advanceWallClock(Duration.ofMinutes(59));
        t.send(event);
        // Ids are kept for one to two windows of arrival time; past two, a repeat counts again.
        t.advanceWallClock(Duration.ofMinutes(62));
        t.send(event);

        assertThat(t.usage("acme").series()).extracting(ModelUsage::requests).containsExactly(2L);
        assertThat(t.metrics.duplicates).hasValue(1);
    }

    @Test
    void reportsTheIdsItIndexesUntilTheirBucketAgesOutOrTheTaskCloses() {
        TopologyFixture t = start();
        String repeated = apiCall("acme").eventId("e-1").provider("p").model("m").cost("1").at(START).json();

        t.send(repeated);
        t.send(repeated);
        t.send(apiCall("acme").eventId("e-2").provider("p").model("m").cost("1").at(START).json());
        t.send(apiCall("globex").eventId("e-1").provider("p").model("m").cost("1").at(START).json());
        t.send(apiCall("globex").provider("p").model("m").cost("1").at(START).json()); // no id: nothing to hold
        assertThat(t.metrics.idsIndexed).hasValue(3);

        t.advanceWallClock(Duration.ofMinutes(121));
        t.send(apiCall("acme").eventId("e-3").provider("p").model("m").cost("1").at(START).json());
        assertThat(t.metrics.idsIndexed).hasValue(1);

        t.close();
        fixture = null;
        assertThat(t.metrics.idsIndexed).hasValue(0);
    }

    @Test
    void countsEveryRepeatWhenDedupIsOff() {
        TopologyFixture t = start(new TopologySettings("api-calls", "api-calls.dlq", "api-tokens", Duration.ZERO,
                Duration.ofMinutes(1), 0));
        String event = apiCall("acme").eventId("e-1").provider("p").model("m").cost("1").json();

        t.send(event);
        t.send(event);

        assertThat(t.usage("acme").series()).extracting(ModelUsage::requests).containsExactly(2L);
    }

    @Test
    void rollingWindowHoldsEventsJustInsideTwentyFourHoursAndNotJustOutside() {
        TopologyFixture t = start();

        t.send(apiCall("acme").provider("p").model("m").cost("1").at(START.minus(Duration.ofHours(24)).plusSeconds(60)).json());
        t.send(apiCall("acme").provider("p").model("m").cost("2").at(START.minus(Duration.ofHours(24)).minusSeconds(60)).json());
        t.send(apiCall("acme").provider("p").model("m").cost("4").at(START).json());

        OrgUsage acme = t.usage("acme");
        assertThat(acme.rolling24hCostNanos()).isEqualTo(5_000_000_000L);
        assertThat(acme.series()).extracting(ModelUsage::costNanos).containsExactly(BigInteger.valueOf(7_000_000_000L));
    }

    @Test
    void rollingWindowMovesWithTheScrapeClock() {
        TopologyFixture t = start();
        t.send(apiCall("acme").cost("3").at(START.minus(Duration.ofHours(23))).json());

        assertThat(t.usage("acme", START).rolling24hCostNanos()).isEqualTo(3_000_000_000L);
        assertThat(t.usage("acme", START.plus(Duration.ofMinutes(59))).rolling24hCostNanos()).isEqualTo(3_000_000_000L);
        assertThat(t.usage("acme", START.plus(Duration.ofMinutes(61))).rolling24hCostNanos()).isZero();
    }

    @Test
    void countsLateEventsOlderThanTheWindowInTotalsOnly() {
        TopologyFixture t = start();
        t.send(apiCall("acme").provider("p").model("m").cost("1").at(START).json());

        t.send(apiCall("acme").provider("p").model("m").cost("10").at(START.minus(Duration.ofDays(3))).json());
        t.send(apiCall("acme").provider("p").model("m").cost("100").at(START.minus(Duration.ofHours(5))).json());

        OrgUsage acme = t.usage("acme");
        assertThat(acme.series()).extracting(ModelUsage::requests, ModelUsage::costNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, BigInteger.valueOf(111_000_000_000L)));
        assertThat(acme.rolling24hCostNanos()).isEqualTo(101_000_000_000L);
    }

    @Test
    void treatsEventsMoreThanFiveMinutesInTheFutureAsNow() {
        TopologyFixture t = start();

        t.send(apiCall("acme").cost("1").at(START.plus(Duration.ofDays(2))).json());
        t.send(apiCall("acme").cost("2").at(START.plus(Duration.ofMinutes(3))).json());

        assertThat(t.usage("acme", START).rolling24hCostNanos()).isEqualTo(1_000_000_000L);
        assertThat(t.usage("acme", START.plus(Duration.ofMinutes(3))).rolling24hCostNanos()).isEqualTo(3_000_000_000L);
        // The far-future one was placed at "now", so it leaves the window 24 h from now, not in 3 days.
        assertThat(t.usage("acme", START.plus(Duration.ofHours(24)).plusSeconds(60)).rolling24hCostNanos())
                .isEqualTo(2_000_000_000L);
    }

    @Test
    void usesTheRecordTimestampWhenTheEventHasNone() {
        TopologyFixture t = start();

        t.send(apiCall("acme").cost("1").json(), START.minus(Duration.ofHours(30)));
        t.send(apiCall("acme").cost("2").json(), START.minus(Duration.ofHours(1)));

        assertThat(t.usage("acme").rolling24hCostNanos()).isEqualTo(2_000_000_000L);
    }

    @Test
    void acceptsEpochMillisTimestamps() {
        TopologyFixture t = start();

        t.send(apiCall("acme").cost("1").raw("timestamp", Long.toString(START.minus(Duration.ofHours(25)).toEpochMilli())).json());
        t.send(apiCall("acme").cost("2").raw("timestamp", Long.toString(START.minus(Duration.ofHours(2)).toEpochMilli())).json());

        assertThat(t.usage("acme").rolling24hCostNanos()).isEqualTo(2_000_000_000L);
    }

    @Test
    void sumsTheLargestValuesTheSchemaAllowsExactlyBeyondALongAndDeadLettersNothing() {
        // given: 3,000 events of one org at or near the largest tokens and cost an event may carry
        TopologyFixture t = start();
        java.util.Random random = new java.util.Random(9);
        java.util.Map<String, BigInteger[]> oracle = new java.util.TreeMap<>(); // requests, in, out, cost
        BigInteger rolling = BigInteger.ZERO;
        for (int i = 0; i < 3_000; i++) {
            String model = "m" + random.nextInt(3);
            long in = random.nextInt(4) == 0 ? MAX_TOKENS - random.nextInt(1000) : MAX_TOKENS;
            long out = random.nextInt(4) == 0 ? random.nextInt(1000) : MAX_TOKENS;
            boolean maxCost = random.nextBoolean();
            String cost = maxCost ? Long.toString(CostNanos.MAX_USD) : "999999999.999999999";
            BigInteger costNanos = maxCost ? BigInteger.TEN.pow(18) : BigInteger.TEN.pow(18).subtract(BigInteger.ONE);
            t.send(apiCall("whale").provider("openai").model(model).tokens(in, out).cost(cost).json());
            BigInteger[] sums = oracle.computeIfAbsent(model,
                    m -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            sums[0] = sums[0].add(BigInteger.ONE);
            sums[1] = sums[1].add(BigInteger.valueOf(in));
            sums[2] = sums[2].add(BigInteger.valueOf(out));
            sums[3] = sums[3].add(costNanos);
            rolling = rolling.add(costNanos);
        }
        t.send(apiCall("minnow").provider("openai").model("m0").tokens(1, 2).cost("0.5").json());

        // when
        OrgUsage whale = t.usage("whale");

        // then
        List<ModelUsage> expected = new java.util.ArrayList<>();
        oracle.forEach((model, sums) -> expected.add(new ModelUsage("openai", model, sums[0].longValueExact(),
                sums[1], sums[2], sums[3])));
        assertThat(rolling).isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(8));
        assertThat(whale.series()).containsExactlyElementsOf(expected);
        assertThat(whale.rolling24hCostNanos()).isEqualTo(rolling);
        assertThat(t.usage("minnow").series()).containsExactly(new ModelUsage("openai", "m0", 1, 1, 2, 500_000_000L));
        assertThat(t.allUsage()).extracting(OrgUsage::orgId).containsExactly("minnow", "whale");
        assertThat(t.dlq.isEmpty()).isTrue();
        assertThat(t.metrics.deadLetters).isEmpty();
        assertThat(t.metrics.counted).hasValue(3_001);
    }

    @Test
    void readsAndAddsToTotalsAndBucketsStoredInTheEightByteFormatOfBefore() {
        // given: a series and a bucket as an earlier build stored them (four longs; one long)
        TopologyFixture t = start();
        org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> totals =
                t.driver.getKeyValueStore(StoreNames.TOTALS);
        org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]> buckets =
                t.driver.getWindowStore(StoreNames.COST_BUCKETS);
        totals.put(StoreKeys.series("acme", "openai", "m"), java.nio.ByteBuffer.allocate(32)
                .putLong(2).putLong(Long.MAX_VALUE).putLong(5).putLong(7).array());
        buckets.put(org.apache.kafka.common.utils.Bytes.wrap(StoreKeys.org("acme")),
                java.nio.ByteBuffer.allocate(8).putLong(Long.MAX_VALUE - 1).array(), START.toEpochMilli());

        // when: one more event takes both beyond a long
        t.send(apiCall("acme").provider("openai").model("m").tokens(MAX_TOKENS, 1).cost("1").json());

        // then
        BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
        assertThat(t.usage("acme").series()).containsExactly(new ModelUsage("openai", "m", 3,
                longMax.add(BigInteger.valueOf(MAX_TOKENS)), BigInteger.valueOf(6),
                BigInteger.valueOf(1_000_000_007L)));
        assertThat(t.usage("acme").rolling24hCostNanos())
                .isEqualTo(longMax.subtract(BigInteger.ONE).add(BigInteger.valueOf(1_000_000_000L)));
    }

    @Test
    void keepsOrgsApartEvenWhenOneIdIsAPrefixOfAnother() {
        TopologyFixture t = start();

        t.send(apiCall("acme").provider("p").model("m").cost("1").json());
        t.send(apiCall("acme2").provider("p").model("m").cost("2").json());
        t.send(apiCall("acm").provider("p").model("m").cost("4").json());

        assertThat(t.usage("acme").series()).extracting(ModelUsage::costNanos)
                .containsExactly(BigInteger.valueOf(1_000_000_000L));
        assertThat(t.usage("acme").rolling24hCostNanos()).isEqualTo(1_000_000_000L);
        assertThat(t.usage("acm").rolling24hCostNanos()).isEqualTo(4_000_000_000L);
    }
}
