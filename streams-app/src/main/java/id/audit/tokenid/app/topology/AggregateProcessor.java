package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * org's time bucket. Every sum is 128 bits wide ({@link WideSum}), so no valid event can make
 * one overflow: this step has nothing to refuse, and bad input is dead-lettered only where it
 * enters (the parse step, with the original bytes and input coordinates).
 *
 * <p>Totals and buckets are summed in place in plain maps between commits and written to their
 * stores (RocksDB and changelog) once per changed key, just before the task commits (see {@link
 * CommitHook}): per event that is a hash-map lookup and an add with carry, where the stores'
 * record caches cost a fifth of the stream thread (BENCHMARKS.md). The first event of a key in
 * a commit interval reads the stored value into the map.
 */
final class AggregateProcessor implements Processor<byte[], List<ApiCallEvent>, Void, Void> {

    private final TopologySettings settings;
    private final IngestMetrics metrics;
    private final long dedupWindowMillis;
    private final long bucketMillis;
    private final long bucketRetentionMillis;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<Bytes, byte[]> totals;
    private WindowStore<Bytes, byte[]> costBuckets;
    /** Null when dedup is off. */
    private SeenEventIds seenIds;
    /** What this processor last added to {@link IngestMetrics#dedupIdsInMemory}. */
    private long reportedIds;
    /** Running totals changed since the last commit, by series key; added to in place. */
    private final Map<Bytes, UsageTotals> pendingTotals = new HashMap<>();
    /** Bucket costs changed since the last commit; added to in place. */
    private final Map<BucketKey, WideSum> pendingBuckets = new HashMap<>();

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
    public void init(ProcessorContext<Void, Void> context) {
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
            count(event);
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

    private void count(ApiCallEvent event) {
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

        if (seenId != null) {
            seenIds.add(seenId, eventTime, context.currentSystemTimeMs());
        }
        if (seriesKey != null) {
            pendingTotals(seriesKey).add(event.inputTokens(), event.outputTokens(), event.costNanos());
        }
        if (orgKey != null) {
            pendingBucket(new BucketKey(orgKey, bucketStart)).add(event.costNanos());
        }
        metrics.counted();
    }

    /** The series' running totals, read from the store on its first event since the last commit. */
    private UsageTotals pendingTotals(Bytes seriesKey) {
        UsageTotals pending = pendingTotals.get(seriesKey);
        if (pending == null) {
            pending = UsageTotals.fromBytes(totals.get(seriesKey));
            pendingTotals.put(seriesKey, pending);
        }
        return pending;
    }

    private WideSum pendingBucket(BucketKey key) {
        WideSum pending = pendingBuckets.get(key);
        if (pending == null) {
            pending = WideSum.fromBytes(costBuckets.fetch(key.org(), key.start()));
            pendingBuckets.put(key, pending);
        }
        return pending;
    }

    /** Runs just before the task commits: every changed key once, inside the transaction. */
    private void writePending() {
        pendingTotals.forEach((key, value) -> totals.put(key, value.toBytes()));
        pendingBuckets.forEach((key, cost) -> costBuckets.put(key.org(), cost.toBytes(), key.start()));
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
}
