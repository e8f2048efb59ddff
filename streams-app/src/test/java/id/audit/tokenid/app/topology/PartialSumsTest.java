package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * With dedup off, other tasks send the owner partial sums of their events instead of the events
 * ({@link PartialSumBatch}); the owner must count exactly what the events one by one would have
 * counted: series totals with token parts and unpriced counts, the OVERFLOW series of a small
 * series limit, the rolling 24 h and 1 h buckets, the month's quarter-hours, buckets past their
 * retention, sums beyond a long.
 */
class PartialSumsTest {

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final List<String> ORGS = List.of("acme", "globex", "initech", "umbrella", "hooli");
    private static final String[][] PAIRS = {{"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"},
            {"anthropic", "claude-sonnet"}, {"anthropic", "claude-haiku"}, {"google", "gemini-pro"}};

    @TempDir
    Path stateDir;

    private static TopologySettings dedupOff(Duration bucket, int orgPartitions, int maxSeries) {
        return new TopologySettings("api-calls", "api-calls.dlq", "api-tokens", Duration.ZERO, bucket, orgPartitions)
                .withMaxSeriesPerOrg(maxSeries);
    }

    @ParameterizedTest(name = "bucket {0} min")
    @ValueSource(ints = {1, 20})
    void theOwnerCountsPartialSumsExactlyAsTheirEventsOneByOne(int bucketMinutes) {
        // given: the same events, in the same records, once as events and once summed
        TopologySettings settings = dedupOff(Duration.ofMinutes(bucketMinutes), 4, 3);
        List<List<ApiCallEvent>> records = generatedRecords(new Random(bucketMinutes));
        long cell = PartialSumBatch.cellMillis(settings);
        long events = records.stream().mapToLong(List::size).sum();
        long entries = 0;

        // when
        try (TopologyFixture oneByOne = new TopologyFixture(settings, START, stateDir.resolve("events"));
             TopologyFixture summed = new TopologyFixture(settings, START, stateDir.resolve("sums"))) {
            for (List<ApiCallEvent> record : records) {
                CountedBatch asEvents = new CountedBatch();
                PartialSumBatch asSums = new PartialSumBatch(cell);
                record.forEach(asEvents::add);
                record.forEach(asSums::add);
                byte[] sums = asSums.take(0);
                entries += CountedBatch.decode(sums).size();
                oneByOne.sendByOrg(asEvents.take(0));
                summed.sendByOrg(sums);
                oneByOne.advanceWallClock(Duration.ofSeconds(1));
                summed.advanceWallClock(Duration.ofSeconds(1));
            }

            // then: every figure at every read time, and the counter of counted events
            for (Duration later : List.of(Duration.ZERO, Duration.ofMinutes(40), Duration.ofHours(23))) {
                Instant at = summed.now().plus(later);
                assertThat(summed.allUsage(at, BudgetLookup.none()))
                        .isEqualTo(oneByOne.allUsage(at, BudgetLookup.none()));
            }
            assertThat(summed.metrics.counted.get()).isEqualTo(oneByOne.metrics.counted.get()).isEqualTo(events);
            assertOracle(summed.allUsage(), records);
            assertThat(summed.allUsage().stream().flatMap(org -> org.series().stream()))
                    .as("the series limit of 3 folded pairs into OVERFLOW")
                    .anyMatch(ModelUsage::isOverflow);
        }
        // Times spread over 40 days leave most cells with one event; PartialSumBatchTest shows live traffic's merge.
        assertThat(entries).as("the sums are fewer than the events").isLessThan(events);
    }

    /** Independent of the topology: per org, requests, unpriced requests, tokens and cost over every series. */
    private static void assertOracle(List<OrgUsage> usage, List<List<ApiCallEvent>> records) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, BigInteger[]> sums = new HashMap<>();
        for (List<ApiCallEvent> record : records) {
            for (ApiCallEvent event : record) {
                if (!event.hasModel()) {
                    continue;
                }
                long[] count = counts.computeIfAbsent(event.orgId(), org -> new long[2]);
                count[0]++;
                count[1] += event.costPresent() ? 0 : 1;
                BigInteger[] sum = sums.computeIfAbsent(event.orgId(),
                        org -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
                sum[0] = sum[0].add(BigInteger.valueOf(event.inputTokens()));
                sum[1] = sum[1].add(BigInteger.valueOf(event.cachedInputTokens()));
                sum[2] = sum[2].add(BigInteger.valueOf(event.reasoningTokens()));
                sum[3] = sum[3].add(BigInteger.valueOf(event.costNanos()));
            }
        }
        for (OrgUsage org : usage) {
            List<ModelUsage> series = org.series();
            assertThat(series.stream().mapToLong(ModelUsage::requests).sum()).isEqualTo(counts.get(org.orgId())[0]);
            assertThat(series.stream().mapToLong(ModelUsage::unpricedRequests).sum())
                    .isEqualTo(counts.get(org.orgId())[1]);
            BigInteger[] expected = sums.get(org.orgId());
            assertThat(series.stream().map(ModelUsage::inputTokens).reduce(BigInteger.ZERO, BigInteger::add))
                    .isEqualTo(expected[0]);
            assertThat(series.stream().map(ModelUsage::cachedInputTokens).reduce(BigInteger.ZERO, BigInteger::add))
                    .isEqualTo(expected[1]);
            assertThat(series.stream().map(ModelUsage::reasoningTokens).reduce(BigInteger.ZERO, BigInteger::add))
                    .isEqualTo(expected[2]);
            assertThat(series.stream().map(ModelUsage::costNanos).reduce(BigInteger.ZERO, BigInteger::add))
                    .isEqualTo(expected[3]);
        }
        assertThat(usage).extracting(OrgUsage::orgId).containsExactlyInAnyOrderElementsOf(counts.keySet());
    }

    /**
     * Records of 1 to 400 resolved events: five orgs over five pairs (a limit of 3 folds some
     * into OVERFLOW), 1 in 10 without a pair, 1 in 5 unpriced, token parts, 1 in 50 at the
     * largest cost (sums beyond a long), event times from 40 days ago (past both retentions) to
     * the 5 minutes of allowed skew ahead, most of them in the last two hours.
     */
    private static List<List<ApiCallEvent>> generatedRecords(Random random) {
        List<List<ApiCallEvent>> records = new ArrayList<>();
        long now = START.toEpochMilli();
        int id = 0;
        for (int r = 0; r < 30; r++) {
            List<ApiCallEvent> record = new ArrayList<>();
            int size = 1 + random.nextInt(400);
            for (int i = 0; i < size; i++) {
                String org = ORGS.get(random.nextInt(ORGS.size()));
                String[] pair = random.nextInt(10) == 0 ? new String[2] : PAIRS[random.nextInt(PAIRS.length)];
                int when = random.nextInt(100);
                long time = when < 60 ? now - random.nextInt(2 * 3_600_000)
                        : when < 85 ? now - (long) (random.nextDouble() * 86_400_000L)
                        : when < 95 ? now - (long) (random.nextDouble() * 40 * 86_400_000L)
                        : now + random.nextInt(300_000);
                long input = random.nextInt(50) == 0 ? 1L << 53 : random.nextInt(9000);
                long cached = input == 0 ? 0 : Math.floorMod(random.nextLong(), input / 2 + 1);
                long cacheWrite = Math.floorMod(random.nextLong(), input - cached + 1) / 2;
                long output = random.nextInt(3000);
                long reasoning = output / 3;
                boolean priced = random.nextInt(5) != 0;
                long cost = !priced ? 0 : random.nextInt(50) == 0 ? CostNanos.MAX_NANOS
                        : random.nextInt(20) == 0 ? 0 : random.nextInt(2_000_000_000);
                record.add(new ApiCallEvent("e-" + (id++), org, pair[0], pair[1], input, output, cached, cacheWrite,
                        reasoning, cost, priced, time));
            }
            records.add(record);
        }
        return records;
    }

    @Test
    void unkeyedInputCountsTheSameThroughPartialSumsAsWhereItIsRead() {
        // given: dedup off; with 4 partitions most orgs cross the by-org topic, with 1 none does
        List<String> traffic = jsonTraffic();

        // when
        Route crossing = run(4, traffic);
        Route local = run(1, traffic);

        // then
        assertThat(crossing.usage).isNotEmpty().isEqualTo(local.usage);
        assertThat(crossing.counted).isEqualTo(local.counted).isEqualTo(traffic.size() - 1); // one bad record
        assertThat(crossing.usage.stream().flatMap(org -> org.series().stream())).anyMatch(ModelUsage::isOverflow);
        assertThat(crossing.byOrgEntries).isNotEmpty()
                .allMatch(entry -> !(entry instanceof ByOrgEntry.Event), "partial sums only")
                .anyMatch(entry -> entry instanceof ByOrgEntry.CostCell);
        assertThat(local.byOrgEntries).isEmpty();
    }

    private record Route(List<OrgUsage> usage, long counted, List<ByOrgEntry> byOrgEntries) {
    }

    private Route run(int orgPartitions, List<String> traffic) {
        TopologySettings settings = dedupOff(Duration.ofMinutes(1), orgPartitions, 2);
        try (TopologyFixture fixture = new TopologyFixture(settings, START, stateDir.resolve("p" + orgPartitions))) {
            var byOrg = fixture.driver.createOutputTopic(TopologyFixture.BY_ORG_TOPIC, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            for (String json : traffic) {
                fixture.send(json);
            }
            // What the last commit kept goes out with the next punctuation.
            fixture.advanceWallClock(ParseProcessor.SEND_KEPT_EVERY);
            List<ByOrgEntry> entries = new ArrayList<>();
            byOrg.readValuesToList().forEach(value -> entries.addAll(CountedBatch.decode(value)));
            return new Route(fixture.allUsage(), fixture.metrics.counted.get(), entries);
        }
    }

    /**
     * Ten orgs, three pairs each (a limit of 2 folds one), repeated ids (counted twice: dedup is
     * off), events without a pair, unpriced ones (no cost, no price row), priced ones (no cost,
     * a row), token parts, times from two days ago to far in the future (clamped to now), and a
     * bad record.
     */
    private static List<String> jsonTraffic() {
        List<String> orgs = List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell",
                "cyberdyne", "soylent");
        List<String> events = new ArrayList<>();
        int n = 0;
        for (int round = 0; round < 3; round++) {
            for (String org : orgs) {
                for (int i = 0; i < 3; i++) {
                    events.add(apiCall(org.toUpperCase()).eventId(org + "-" + i).provider("openai").model("gpt-" + i)
                            .tokens(100 + i, 50).parts(10, 5, i).cost("0.00" + (++n))
                            .at(START.minus(Duration.ofMinutes(7L * i + 50L * round))).json());
                }
                events.add(apiCall(org).provider("nobody").model("unpriced-" + round).tokens(3, 2).json());
                events.add(apiCall(org).provider("openai").model("gpt-4o").tokens(1000, 200)
                        .at(START.minus(Duration.ofDays(round))).json());
                events.add(apiCall(" " + org).cost("0.25").at(START.plus(Duration.ofHours(round))).json());
            }
        }
        events.add("not json");
        return events;
    }
}
