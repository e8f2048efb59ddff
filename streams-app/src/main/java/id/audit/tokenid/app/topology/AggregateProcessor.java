package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts one org's events exactly once: drops repeated event ids inside the dedup window (see
 * {@link TopologySettings#dedupRetention()}), adds
 * the event to its (org, provider, model) totals when it names both, and adds its cost to the
 * org's time bucket. All three stores are written only after every sum is known to fit, so an
 * overflowing event changes nothing and leaves as a dead letter instead.
 *
 * <p>Totals and buckets are summed in plain maps between commits and written to their stores
 * (RocksDB and changelog) once per changed key, just before the task commits (see {@link
 * CommitHook}): per event that is a hash-map update, where the stores' record caches cost a
 * fifth of the stream thread (BENCHMARKS.md). The first event of a key in a commit interval
 * reads the stored value, so overflow checks see the true running total.
 */
final class AggregateProcessor implements Processor<byte[], List<ApiCallEvent>, byte[], byte[]> {

    private final TopologySettings settings;
    private final IngestMetrics metrics;
    private final long dedupWindowMillis;
    private final long bucketMillis;
    private final long bucketRetentionMillis;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Bytes, byte[]> totals;
    private WindowStore<Bytes, byte[]> costBuckets;
    /** Null when dedup is off. */
    private SeenEventIds seenIds;
    /** What this processor last added to {@link IngestMetrics#dedupIdsInMemory}. */
    private long reportedIds;
    /** Running totals changed since the last commit, by series key. */
    private final Map<Bytes, UsageTotals> pendingTotals = new HashMap<>();
    /** Bucket costs changed since the last commit. */
    private final Map<BucketKey, Long> pendingBuckets = new HashMap<>();

    private record BucketKey(Bytes org, long start) {
    }

    AggregateProcessor(TopologySettings settings, IngestMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.dedupWindowMillis = settings.dedupWindow().toMillis();
        this.bucketMillis = settings.bucket().toMillis();
        this.bucketRetentionMillis = settings.costBucketRetention().toMillis();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.totals = context.getStateStore(StoreNames.TOTALS);
        this.costBuckets = context.getStateStore(StoreNames.COST_BUCKETS);
        // Also called again when a task is revived after an aborted transaction: start clean.
        this.seenIds = null;
        discardPending();
        if (settings.dedupEnabled()) {
            WindowStore<Bytes, byte[]> chunks = context.getStateStore(StoreNames.SEEN_EVENT_IDS);
            seenIds = new SeenEventIds(SeenIdChunkStore.over(chunks), dedupWindowMillis);
            // The store is restored before processors start: index what it holds.
            seenIds.load();
        }
        reportIdsInMemory();
        CommitHook hook = context.getStateStore(StoreNames.COMMIT_HOOK);
        hook.listen(this::writePending, this::discardPending);
    }

    @Override
    public void process(Record<byte[], List<ApiCallEvent>> record) {
        for (ApiCallEvent event : record.value()) {
            count(event, record);
        }
        reportIdsInMemory();
    }

    @Override
    public void close() {
        seenIds = null;
        reportIdsInMemory();
    }

    private void reportIdsInMemory() {
        long held = seenIds == null ? 0 : seenIds.indexedIds();
        if (held != reportedIds) {
            metrics.dedupIdsInMemory(held - reportedIds);
            reportedIds = held;
        }
    }

    private void count(ApiCallEvent event, Record<byte[], List<ApiCallEvent>> record) {
        long eventTime = event.timestampMillis();
        SeenEventIds.Id seenId = null;
        if (seenIds != null && event.eventId() != null) {
            seenId = seenIds.id(StoreKeys.eventId(event.orgId(), event.eventId()).get());
            if (seenIds.seen(seenId, eventTime, context.currentSystemTimeMs())) {
                metrics.duplicate();
                return;
            }
        }

        Bytes seriesKey = event.hasModel() ? StoreKeys.series(event.orgId(), event.provider(), event.model()) : null;
        long bucketStart = Math.floorDiv(eventTime, bucketMillis) * bucketMillis;
        // A bucket the rolling window can never reach again is not worth a write; the totals
        // still count the event.
        boolean bucketLive = event.costNanos() > 0
                && bucketStart + bucketRetentionMillis > context.currentSystemTimeMs();
        Bytes orgKey = bucketLive ? Bytes.wrap(StoreKeys.org(event.orgId())) : null;

        UsageTotals newTotals;
        long newBucketCost;
        BucketKey bucketKey = orgKey == null ? null : new BucketKey(orgKey, bucketStart);
        try {
            newTotals = seriesKey == null ? null : currentTotals(seriesKey)
                    .plus(event.inputTokens(), event.outputTokens(), event.costNanos());
            newBucketCost = bucketKey == null ? 0 : Math.addExact(currentBucketCost(bucketKey), event.costNanos());
        } catch (ArithmeticException overflow) {
            deadLetterOverflow(event, record);
            return;
        }

        if (seenId != null) {
            seenIds.add(seenId, eventTime, context.currentSystemTimeMs());
        }
        if (newTotals != null) {
            pendingTotals.put(seriesKey, newTotals);
        }
        if (bucketKey != null) {
            pendingBuckets.put(bucketKey, newBucketCost);
        }
        metrics.counted();
    }

    private UsageTotals currentTotals(Bytes seriesKey) {
        UsageTotals pending = pendingTotals.get(seriesKey);
        return pending != null ? pending : UsageTotals.fromBytes(totals.get(seriesKey));
    }

    private long currentBucketCost(BucketKey key) {
        Long pending = pendingBuckets.get(key);
        return pending != null ? pending : LongValue.decode(costBuckets.fetch(key.org(), key.start()));
    }

    /** Runs just before the task commits: every changed key once, inside the transaction. */
    private void writePending() {
        pendingTotals.forEach((key, value) -> totals.put(key, value.toBytes()));
        pendingBuckets.forEach((key, cost) -> costBuckets.put(key.org(), LongValue.encode(cost), key.start()));
        pendingTotals.clear();
        pendingBuckets.clear();
        if (seenIds != null) {
            seenIds.writePending();
        }
    }

    private void discardPending() {
        pendingTotals.clear();
        pendingBuckets.clear();
        if (seenIds != null) {
            seenIds.discardPending();
        }
    }

    private void deadLetterOverflow(ApiCallEvent event, Record<byte[], List<ApiCallEvent>> record) {
        String reason = "overflow";
        metrics.deadLettered(reason);
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, reason, "a running total would overflow; the event was not counted",
                context.recordMetadata().orElse(null));
        byte[] json = CountedEventJson.render(event).getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<>(StoreKeys.org(event.orgId()), json, record.timestamp(), headers));
    }
}
