package id.audit.tokenid.app.topology;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.app.query.StoreReads;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver over the real topology, with a wall clock the test moves. */
final class TopologyFixture implements AutoCloseable {

    static final String BY_ORG_TOPIC = "tokenid-ttd-" + StoreNames.BY_ORG + "-repartition";

    final TopologySettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<byte[], byte[]> dlq;
    final CountingMetrics metrics = new CountingMetrics();
    private Instant now;

    TopologyFixture(TopologySettings settings, Instant startWallClock, Path stateDir) {
        this(settings, PriceSettings.shipped(), startWallClock, stateDir);
    }

    TopologyFixture(TopologySettings settings, PriceSettings prices, Instant startWallClock, Path stateDir) {
        this(settings, prices, startWallClock, stateDir, java.util.Map.of());
    }

    /** With streams settings of the test's own on top of the fixture's. */
    TopologyFixture(TopologySettings settings, PriceSettings prices, Instant startWallClock, Path stateDir,
                    java.util.Map<String, Object> streamsSettings) {
        this.settings = settings;
        this.now = startWallClock;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.putAll(streamsSettings);
        // The driver's by-org topic has one partition, whatever settings.orgPartitions says.
        StreamPartitioner<byte[], byte[]> onePartition = (topic, key, value, partitions) -> Optional.of(Set.of(0));
        this.driver = new TopologyTestDriver(UsageTopology.build(settings, prices, metrics, props, onePartition),
                props, startWallClock);
        this.input = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        this.dlq = driver.createOutputTopic(settings.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends a JSON value with the given record timestamp. */
    void send(String json, Instant recordTime) {
        input.pipeInput(new TestRecord<>(null, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                recordTime));
    }

    void send(String json) {
        send(json, now);
    }

    void sendBytes(byte[] value) {
        input.pipeInput(new TestRecord<>(null, value, now));
    }

    Instant now() {
        return now;
    }

    void advanceWallClock(java.time.Duration by) {
        now = now.plus(by);
        driver.advanceWallClockTime(by);
    }

    OrgUsage usage(String org) {
        return usage(org, now);
    }

    OrgUsage usage(String org, Instant at) {
        return usage(org, at, BudgetLookup.none());
    }

    OrgUsage usage(String org, Instant at, BudgetLookup budgets) {
        return StoreReads.readOrg(driver.<Bytes, byte[]>getKeyValueStore(StoreNames.TOTALS),
                driver.<Bytes, byte[]>getWindowStore(StoreNames.COST_BUCKETS),
                driver.<Bytes, byte[]>getWindowStore(StoreNames.COST_QUARTER_HOURS), org, at, budgets);
    }

    List<OrgUsage> allUsage() {
        return allUsage(now, BudgetLookup.none());
    }

    List<OrgUsage> allUsage(Instant at, BudgetLookup budgets) {
        return StoreReads.readAll(driver.<Bytes, byte[]>getKeyValueStore(StoreNames.TOTALS),
                driver.<Bytes, byte[]>getWindowStore(StoreNames.COST_BUCKETS),
                driver.<Bytes, byte[]>getWindowStore(StoreNames.COST_QUARTER_HOURS), at, budgets);
    }

    /**
     * Puts one record on the by-org topic, as the parse step of another task would: all its
     * events reach the aggregation in one call, between two commits.
     */
    void sendByOrg(byte[] batch) {
        driver.createInputTopic(BY_ORG_TOPIC, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(new byte[] {'x'}, batch, now));
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Counts what the topology reports, so tests can check the operational counters too. */
    static final class CountingMetrics implements IngestMetrics {
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong counted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong repartitioned = new AtomicLong();
        final AtomicLong idsIndexed = new AtomicLong();
        final java.util.Map<String, Long> ignored = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<String, Long> deadLetters = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicLong unpriced = new AtomicLong();
        final AtomicLong invalidPriceRows = new AtomicLong();

        @Override
        public void consumed() {
            consumed.incrementAndGet();
        }

        @Override
        public void counted() {
            counted.incrementAndGet();
        }

        @Override
        public void counted(long events) {
            counted.addAndGet(events);
        }

        @Override
        public void duplicate() {
            duplicates.incrementAndGet();
        }

        @Override
        public void repartitioned() {
            repartitioned.incrementAndGet();
        }

        @Override
        public void ignored(String type) {
            ignored.merge(type, 1L, Long::sum);
        }

        @Override
        public void deadLettered(String reason) {
            deadLetters.merge(reason, 1L, Long::sum);
        }

        @Override
        public void unpriced() {
            unpriced.incrementAndGet();
        }

        @Override
        public void invalidPriceRow() {
            invalidPriceRows.incrementAndGet();
        }

        @Override
        public void dedupIdsIndexed(long delta) {
            idsIndexed.addAndGet(delta);
        }
    }
}
