package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.topology.DeadLetterHeaders;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest path end to end on a real in-process KRaft broker, under exactly-once: generated
 * traffic with bad records and duplicates must add up to an independently computed oracle,
 * through restarts and a restore from the changelog, live or replayed as a backlog.
 */
class IngestIntegrationTest {

    private static final int ORGS = 50;
    private static final int PARTITIONS = 4;
    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    /**
     * Also every family of issue 11: token parts, events without cost priced by a test price
     * table at their event time (or unpriced), the 1 h and month windows, and a series limit of 5
     * per org under 6 (provider, model) pairs, so every org folds one pair into OVERFLOW, and the
     * admitted pairs must stay admitted through a restart and a restore from the changelog.
     */
    @Test
    void totalsEqualTheOracleAcrossRestartsAndARestoreFromTheChangelog() throws Exception {
        Instant now = Instant.now();
        String topic = "live-calls";
        TestPrices prices = new TestPrices();
        GeneratedTraffic traffic = new GeneratedTraffic(42, now).withPricing(prices)
                .add(100_000, ORGS, PARTITIONS, p -> GeneratedTraffic.ageAvoidingTheEdge(trafficRandom))
                .addOversize(0).addOversize(1);
        AppConfig base = TestInstance.config(kafka.bootstrapServers(), "ingest-live", topic, tmp.resolve("state"), 19_501);
        AppConfig config = base.withPrices(Optional.of(prices.write(tmp)), base.pricesTopic())
                .withMaxSeriesPerOrg(SERIES_LIMIT);
        createTopics(config);

        // Live: the app is running while the traffic arrives.
        Map<String, OrgUsage> live;
        try (StreamsRuntime app = TestInstance.start(config)) {
            produce(topic, traffic.records);
            live = awaitOracle(app, traffic, SERIES_LIMIT);
        }
        assertDeadLettersAreExactlyTheBadRecords(topic + ".dlq", traffic);
        assertThat(live.values()).as("orgs that folded a pair").allSatisfy(org ->
                assertThat(org.overflowEvents()).as(org.orgId()).isPositive());

        // Restart on the same state directory: nothing lost, nothing counted twice.
        GeneratedTraffic more = traffic.add(10_000, ORGS, PARTITIONS, p -> GeneratedTraffic.ageAvoidingTheEdge(trafficRandom));
        Map<String, OrgUsage> restarted;
        try (StreamsRuntime app = TestInstance.start(config)) {
            produce(topic, more.records.subList(more.records.size() - 10_000, more.records.size()));
            restarted = awaitOracle(app, more, SERIES_LIMIT);
        }
        assertThat(admitted(restarted)).as("admitted pairs after a restart").isEqualTo(admitted(live));

        // Start on an empty state directory: everything is restored from the changelogs.
        deleteRecursively(config.stateDir());
        try (StreamsRuntime app = TestInstance.start(config)) {
            assertThat(admitted(awaitOracle(app, more, SERIES_LIMIT))).as("admitted pairs after a restore")
                    .isEqualTo(admitted(live));
        }
    }

    private static final int SERIES_LIMIT = 5;

    /**
     * With dedup off, events read outside their org's partition cross the by-org topic as
     * partial sums, kept in {@code by-org-kept} at each commit and sent in the next transaction;
     * the same oracle (without repeated records, which dedup off counts twice), the same series
     * limit, through a restart and a restore from the changelog.
     */
    @Test
    void withDedupOffPartialSumsEqualTheOracleAcrossRestartsAndARestoreFromTheChangelog() throws Exception {
        Instant now = Instant.now();
        String topic = "sums-calls";
        TestPrices prices = new TestPrices();
        GeneratedTraffic traffic = new GeneratedTraffic(43, now).withPricing(prices).withoutRepeats()
                .add(60_000, ORGS, PARTITIONS, p -> GeneratedTraffic.ageAvoidingTheEdge(trafficRandom));
        AppConfig base = TestInstance.config(kafka.bootstrapServers(), "ingest-sums", topic, tmp.resolve("state"), 19_504);
        AppConfig config = base.withPrices(Optional.of(prices.write(tmp)), base.pricesTopic())
                .withMaxSeriesPerOrg(SERIES_LIMIT).withDedupWindow(Duration.ZERO);
        createTopics(config);

        Map<String, OrgUsage> live;
        try (StreamsRuntime app = TestInstance.start(config)) {
            produce(topic, traffic.records);
            live = awaitOracle(app, traffic, SERIES_LIMIT);
        }

        GeneratedTraffic more = traffic.add(10_000, ORGS, PARTITIONS, p -> GeneratedTraffic.ageAvoidingTheEdge(trafficRandom));
        Map<String, OrgUsage> restarted;
        try (StreamsRuntime app = TestInstance.start(config)) {
            produce(topic, more.records.subList(more.records.size() - 10_000, more.records.size()));
            restarted = awaitOracle(app, more, SERIES_LIMIT);
        }
        assertThat(admitted(restarted)).as("admitted pairs after a restart").isEqualTo(admitted(live));

        deleteRecursively(config.stateDir());
        try (StreamsRuntime app = TestInstance.start(config)) {
            assertThat(admitted(awaitOracle(app, more, SERIES_LIMIT))).as("admitted pairs after a restore")
                    .isEqualTo(admitted(live));
        }
    }

    @Test
    void aReplayedBacklogWithPartitionsHoursApartEqualsLiveIngestion() throws Exception {
        Instant now = Instant.now();
        String topic = "backlog-calls";
        // Partition p holds events about 11 * p hours old: the first partitions read are a day
        // apart in event time from the last, which a grace-period window would drop as late.
        // The last partition is recent: well inside the 1 h window for the whole test.
        int[] baseAgeMinutes = {40 * 60, 26 * 60, 12 * 60, 2};
        int[] spreadMinutes = {50, 50, 50, 15};
        GeneratedTraffic traffic = new GeneratedTraffic(7, now)
                .add(40_000, ORGS, PARTITIONS, p -> baseAgeMinutes[p] + trafficRandom.nextInt(spreadMinutes[p]));
        AppConfig backlog = TestInstance.config(kafka.bootstrapServers(), "ingest-backlog", topic,
                tmp.resolve("backlog"), 19_502);
        createTopics(backlog);
        produce(topic, traffic.records);

        Map<String, OrgUsage> replayed;
        try (StreamsRuntime app = TestInstance.start(backlog)) {
            replayed = awaitOracle(app, traffic);
        }

        // The same events, produced while a second deployment is already running.
        String liveTopic = "backlog-calls-live";
        AppConfig live = TestInstance.config(kafka.bootstrapServers(), "ingest-backlog-live", liveTopic,
                tmp.resolve("live"), 19_503);
        createTopics(live);
        try (StreamsRuntime app = TestInstance.start(live)) {
            await().atMost(Duration.ofSeconds(60)).until(app::isRunning);
            produce(liveTopic, traffic.records);
            Map<String, OrgUsage> liveUsage = awaitOracle(app, traffic);
            assertThat(liveUsage).isEqualTo(replayed);
        }
    }

    private static final java.util.Random trafficRandom = new java.util.Random(99);

    private void createTopics(AppConfig config) {
        TestInstance.createTopics(kafka, config, PARTITIONS);
    }

    private void produce(String topic, List<GeneratedTraffic.Generated> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of("max.request.size", 8 << 20))) {
            for (GeneratedTraffic.Generated record : records) {
                producer.send(new ProducerRecord<>(topic, record.partition(), null, record.value()));
            }
            producer.flush();
        }
    }

    /** Waits until every org read through the query seam equals the oracle; returns what it read. */
    private Map<String, OrgUsage> awaitOracle(StreamsRuntime app, GeneratedTraffic traffic) {
        return awaitOracle(app, traffic, Integer.MAX_VALUE);
    }

    /**
     * The same, with a series limit per org: whichever pairs an org's first events admitted, each
     * admitted series must equal the oracle's, there must be {@code min(limit, pairs)} of them,
     * and the OVERFLOW series must hold exactly the oracle's sums of the others.
     */
    private Map<String, OrgUsage> awaitOracle(StreamsRuntime app, GeneratedTraffic traffic, int seriesLimit) {
        Map<String, OrgUsage> read = new TreeMap<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            read.clear();
            Instant at = Instant.now();
            for (String org : traffic.rolling24h.keySet()) {
                ReadResult result = app.localReader().read(UsageQuery.forOrg(org, at));
                assertThat(result).as("read of %s", org).isInstanceOf(ReadResult.Found.class);
                OrgUsage usage = ((ReadResult.Found) result).orgs().get(0);
                assertSeriesEqualTheOracle(usage, traffic, seriesLimit);
                assertThat(new BigDecimal(usage.rolling24hCostNanos(), 9))
                        .as("rolling 24 h cost of %s", org).isEqualByComparingTo(traffic.rolling24h.get(org));
                assertThat(new BigDecimal(usage.rolling1hCostNanos(), 9))
                        .as("rolling 1 h cost of %s", org).isEqualByComparingTo(traffic.rolling1h.get(org));
                assertThat(new BigDecimal(usage.monthToDateCostNanos(), 9))
                        .as("month to date of %s", org).isEqualByComparingTo(traffic.monthToDate.get(org));
                assertThat(usage.budget()).as("budget of %s", org).isEmpty();
                read.put(org, usage);
            }
        });
        return read;
    }

    private static void assertSeriesEqualTheOracle(OrgUsage usage, GeneratedTraffic traffic, int seriesLimit) {
        String org = usage.orgId();
        Map<String, GeneratedTraffic.SeriesTotals> expected = new TreeMap<>(traffic.expectedSeries(org));
        Map<String, GeneratedTraffic.SeriesParts> expectedParts = new TreeMap<>(traffic.expectedParts(org));
        Map<String, GeneratedTraffic.SeriesTotals> series = asOracle(usage);
        Map<String, GeneratedTraffic.SeriesParts> parts = partsAsOracle(usage);
        GeneratedTraffic.SeriesTotals overflow = series.remove(OVERFLOW);
        GeneratedTraffic.SeriesParts overflowParts = parts.remove(OVERFLOW);
        assertThat(series).as("admitted series of %s", org).hasSize(Math.min(seriesLimit, expected.size()));
        assertThat(expected.keySet()).as("pairs of %s", org).containsAll(series.keySet());
        for (String pair : series.keySet()) {
            assertThat(series.get(pair)).as("%s of %s", pair, org).isEqualTo(expected.remove(pair));
            assertThat(parts.getOrDefault(pair, GeneratedTraffic.SeriesParts.NONE)).as("parts of %s of %s", pair, org)
                    .isEqualTo(expectedParts.getOrDefault(pair, GeneratedTraffic.SeriesParts.NONE));
            expectedParts.remove(pair);
        }
        // What is left of the oracle is what was folded.
        GeneratedTraffic.SeriesTotals folded = expected.values().stream()
                .reduce(new GeneratedTraffic.SeriesTotals(0, 0, 0, BigDecimal.ZERO), (a, b) ->
                        new GeneratedTraffic.SeriesTotals(a.requests() + b.requests(), a.inputTokens() + b.inputTokens(),
                                a.outputTokens() + b.outputTokens(), a.cost().add(b.cost())));
        GeneratedTraffic.SeriesParts foldedParts = expectedParts.values().stream()
                .reduce(GeneratedTraffic.SeriesParts.NONE, GeneratedTraffic.SeriesParts::plus);
        if (folded.requests() == 0) {
            assertThat(overflow).as("OVERFLOW of %s", org).isNull();
        } else {
            assertThat(overflow).as("OVERFLOW of %s", org).isNotNull();
            assertThat(overflow.requests()).isEqualTo(folded.requests());
            assertThat(overflow.inputTokens()).isEqualTo(folded.inputTokens());
            assertThat(overflow.outputTokens()).isEqualTo(folded.outputTokens());
            assertThat(overflow.cost()).isEqualByComparingTo(folded.cost());
            assertThat(overflowParts == null ? GeneratedTraffic.SeriesParts.NONE : overflowParts)
                    .as("OVERFLOW parts of %s", org).isEqualTo(foldedParts);
        }
        assertThat(usage.overflowEvents()).as("overflow events of %s", org).isEqualTo(folded.requests());
    }

    private static final String OVERFLOW = ModelUsage.OVERFLOW + "/" + ModelUsage.OVERFLOW;

    /** org → the (provider, model) pairs it has a series of, OVERFLOW left out. */
    private static Map<String, java.util.Set<String>> admitted(Map<String, OrgUsage> usage) {
        Map<String, java.util.Set<String>> pairs = new TreeMap<>();
        usage.forEach((org, u) -> pairs.put(org, u.series().stream().filter(m -> !m.isOverflow())
                .map(m -> m.provider() + "/" + m.model()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))));
        return pairs;
    }

    private static Map<String, GeneratedTraffic.SeriesTotals> asOracle(OrgUsage usage) {
        Map<String, GeneratedTraffic.SeriesTotals> series = new TreeMap<>();
        for (ModelUsage m : usage.series()) {
            series.put(m.provider() + "/" + m.model(), new GeneratedTraffic.SeriesTotals(m.requests(), m.inputTokens().longValueExact(),
                    m.outputTokens().longValueExact(), new BigDecimal(m.costNanos(), 9)));
        }
        return series;
    }

    /** Series with any token part or unpriced event, as the oracle sums them. */
    private static Map<String, GeneratedTraffic.SeriesParts> partsAsOracle(OrgUsage usage) {
        Map<String, GeneratedTraffic.SeriesParts> parts = new TreeMap<>();
        for (ModelUsage m : usage.series()) {
            GeneratedTraffic.SeriesParts p = new GeneratedTraffic.SeriesParts(m.cachedInputTokens().longValueExact(),
                    m.cacheWriteInputTokens().longValueExact(), m.reasoningTokens().longValueExact(),
                    m.unpricedRequests());
            if (!p.equals(GeneratedTraffic.SeriesParts.NONE)) {
                parts.put(m.provider() + "/" + m.model(), p);
            }
        }
        return parts;
    }

    private void assertDeadLettersAreExactlyTheBadRecords(String dlqTopic, GeneratedTraffic traffic) {
        Map<String, String> expected = new HashMap<>();
        for (GeneratedTraffic.Generated record : traffic.records) {
            if (record.deadLetterReason() != null) {
                expected.put(new String(record.value(), StandardCharsets.UTF_8), record.deadLetterReason());
            }
        }
        Map<String, String> actual = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + dlqTopic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    if (actual.put(value, DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON)) != null) {
                        duplicates.add(value);
                    }
                }
                assertThat(actual).hasSameSizeAs(expected);
            });
        }
        assertThat(duplicates).as("dead letters written twice").isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
