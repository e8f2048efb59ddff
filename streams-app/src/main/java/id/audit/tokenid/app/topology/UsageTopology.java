package id.audit.tokenid.app.topology;

import id.audit.tokenid.app.budgets.BudgetStore;
import id.audit.tokenid.app.pricing.LivePrices;
import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.app.pricing.PriceStore;
import id.audit.tokenid.app.tokens.TokenStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds the ingest topology; {@code Main} and the tests both call {@link #build}.
 *
 * <pre>
 * api-tokens ─ api-tokens-store (global: every instance authenticates every token)
 * api-budgets ─ api-budgets-store (global: every instance knows every org's budget and month)
 * api-prices ─ api-prices-store (global: every parse step prices with the same rows)
 * api-calls ─ parse-api-calls ─┬─ dead letters ─────────────────────────────────────────▶ api-calls.dlq
 *                              ├─ owned here ──────────────────┬─ aggregate-usage ─┬─ usage-totals
 *                              └─ elsewhere ─▶ by-org topic ─▶ ┘                    ├─ usage-cost-buckets
 *                                                                                   ├─ usage-cost-quarter-hours
 *                                                                                   └─ seen-event-id-chunks
 * </pre>
 *
 * Every dead letter leaves from the parse step, with the original bytes and input coordinates:
 * the sums are 128 bits wide, so the aggregation has nothing to refuse (issue #9).
 *
 * <p>JSON is parsed once at the edge; the repartition topic carries compact binary events in
 * batches, one destination partition each ({@link CountedBatch}), or with dedup off their partial
 * sums ({@link PartialSumBatch}), so one org's state lives in
 * one task and Kafka's default partitioner over the org's UTF-8 bytes tells which (see
 * {@code queryMetadataForKey} in the query side). An event read
 * from the partition that already owns its org skips that round trip (see {@link ParseProcessor}):
 * input and by-org topic feed one sub-topology, so that partition's task counts it directly.
 */
public final class UsageTopology {

    private UsageTopology() {
    }

    /**
     * @param streamsConfig the instance's streams configuration; the builder checks it for
     *                      explicit naming of every internal resource
     */
    public static Topology build(TopologySettings settings, PriceSettings prices, IngestMetrics metrics,
                                 Properties streamsConfig) {
        return build(settings, prices, metrics, streamsConfig,
                new CountedBatch.Partitioner(settings.orgPartitions()));
    }

    /** With the shipped price table and the default prices topic (tests and benchmarks). */
    public static Topology build(TopologySettings settings, IngestMetrics metrics, Properties streamsConfig) {
        return build(settings, PriceSettings.shipped(), metrics, streamsConfig);
    }

    static Topology build(TopologySettings settings, IngestMetrics metrics, Properties streamsConfig,
                          StreamPartitioner<byte[], byte[]> byOrgPartitioner) {
        return build(settings, PriceSettings.shipped(), metrics, streamsConfig, byOrgPartitioner);
    }

    /**
     * With another partitioner for the by-org topic: a TopologyTestDriver has one partition per
     * topic, where the settings may describe several.
     */
    static Topology build(TopologySettings settings, PriceSettings priceSettings, IngestMetrics metrics,
                          Properties streamsConfig, StreamPartitioner<byte[], byte[]> byOrgPartitioner) {
        StreamsConfig config = new StreamsConfig(streamsConfig);
        if (config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG) <= 0) {
            // Correct, but each event would be written to the stores on its own (CommitHooks).
            throw new IllegalArgumentException(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG
                    + " must be above 0: the aggregation writes its sums when the record cache is flushed before a commit");
        }
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(config));
        TokenStore.addTo(builder, settings.tokensTopic());
        BudgetStore.addTo(builder, settings.budgetsTopic(), metrics::budgetRecordRejected);
        // One compiled table per topology instance, shared by the prices store's updater and every parse step.
        LivePrices prices = new LivePrices(priceSettings.fileRows());
        PriceStore.addTo(builder, priceSettings.topic(), prices, metrics);
        builder.addStateStore(totalsStore());
        builder.addStateStore(costBucketsStore(settings));
        builder.addStateStore(costQuarterHoursStore());
        CommitHooks hooks = new CommitHooks();
        builder.addStateStore(hooks.store(StoreNames.COMMIT_HOOK));
        builder.addStateStore(hooks.store(StoreNames.PARSE_COMMIT_HOOK));
        builder.addStateStore(byOrgKeptStore());
        String[] stores = settings.dedupEnabled()
                ? new String[] {StoreNames.TOTALS, StoreNames.COST_BUCKETS, StoreNames.COST_QUARTER_HOURS,
                        StoreNames.COMMIT_HOOK, StoreNames.SEEN_EVENT_IDS, StoreNames.SEEN_EVENT_ID_INDEX}
                : new String[] {StoreNames.TOTALS, StoreNames.COST_BUCKETS, StoreNames.COST_QUARTER_HOURS,
                        StoreNames.COMMIT_HOOK};
        if (settings.dedupEnabled()) {
            builder.addStateStore(seenEventIdsStore(settings));
            builder.addStateStore(RocksDbSeenIdIndex.builder(StoreNames.SEEN_EVENT_ID_INDEX));
        }

        KStream<byte[], ParsedRecord> parsed = builder
                .stream(settings.inputTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("api-calls-source"))
                .process(() -> new ParseProcessor(metrics, settings.orgPartitions(), prices, hooks,
                                ByOrgBatches.of(settings)), Named.as("parse-api-calls"),
                        StoreNames.PARSE_COMMIT_HOOK, StoreNames.BY_ORG_KEPT);

        Map<String, KStream<byte[], ParsedRecord>> routes = parsed.split(Named.as("route-"))
                .branch((key, value) -> value instanceof ParsedRecord.DeadLetter, Branched.as("dead-letters"))
                .branch((key, value) -> value instanceof ParsedRecord.Counted counted && counted.ownedHere(),
                        Branched.as("owned-here"))
                .defaultBranch(Branched.as("elsewhere"));

        Produced<byte[], byte[]> toDlq = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        routes.get("route-dead-letters")
                .mapValues(value -> ((ParsedRecord.DeadLetter) value).originalValue(), Named.as("dead-letter-bytes"))
                .to(settings.dlqTopic(), toDlq.withName("dead-letters-sink"));

        KStream<byte[], List<ByOrgEntry>> byOrg = routes.get("route-elsewhere")
                .mapValues(UsageTopology::batchBytes, Named.as("counted-batch"))
                .repartition(Repartitioned.<byte[], byte[]>with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(StoreNames.BY_ORG)
                        .withStreamPartitioner(byOrgPartitioner))
                .mapValues(CountedBatch::decode, Named.as("by-org-events"));
        // Events already in their org's partition join the by-org stream in the same task: the
        // input topic and the by-org topic are both sources of one sub-topology, so task p reads
        // partition p of each and holds the stores of the orgs both put there.
        routes.get("route-owned-here")
                .mapValues(value -> List.<ByOrgEntry>of(new ByOrgEntry.Event(((ParsedRecord.Counted) value).event())),
                        Named.as("owned-here-event"))
                .merge(byOrg, Named.as("counted-here-and-by-org"))
                .process(() -> new AggregateProcessor(settings, metrics, hooks), Named.as("aggregate-usage"), stores);
        return builder.build(streamsConfig);
    }

    private static byte[] batchBytes(ParsedRecord value) {
        return value instanceof ParsedRecord.RemoteBatch batch
                ? batch.batch() : CountedBatch.single(((ParsedRecord.Counted) value).event());
    }

    // No record caches on totals and buckets: the aggregation sums in memory between commits and
    // writes each changed key once before the commit (CommitHooks); a cache would only add a copy.
    // Uncached also means a write from the commit hook goes to the store and its changelog at
    // once, whichever store's cache Streams flushes first.
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> totalsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.TOTALS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    static StoreBuilder<WindowStore<Bytes, byte[]>> costBucketsStore(TopologySettings settings) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.COST_BUCKETS, settings.costBucketRetention(),
                        settings.bucket(), false),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    /** 15-minute buckets of cost per org, kept long enough for the longest month in any zone. */
    static StoreBuilder<WindowStore<Bytes, byte[]>> costQuarterHoursStore() {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.COST_QUARTER_HOURS, TopologySettings.QUARTER_HOUR_RETENTION,
                        TopologySettings.QUARTER_HOUR, false),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    /** A few batches per commit at most, sent and deleted in the next transaction: in memory, logged. */
    static StoreBuilder<KeyValueStore<Integer, byte[]>> byOrgKeptStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BY_ORG_KEPT),
                Serdes.Integer(), Serdes.ByteArray()).withCachingDisabled();
    }

    static StoreBuilder<WindowStore<Bytes, byte[]>> seenEventIdsStore(TopologySettings settings) {
        // Chunks of ids under the arrival bucket (one dedup window wide) they were counted in
        // (SeenEventIds): the bucket expires with its segment.
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.SEEN_EVENT_IDS, settings.dedupRetention(),
                        settings.dedupWindow(), false),
                // No record cache: chunks are written once, just before the commit.
                Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }
}
