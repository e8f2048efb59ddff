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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts one org's events exactly once: drops repeated event ids inside the dedup window (see
 * {@link TopologySettings#dedupRetention()}), adds the event to its (org, provider, model)
 * totals when it names both (or to the org's OVERFLOW series when the pair is beyond the org's
 * series limit, see {@link SeriesLimit}), and adds its cost to the org's time bucket (rolling
 * 24 h and 1 h) and quarter-hour (month to date). An event without a cost counts as unpriced in
 * its series. Every sum is 128 bits wide ({@link WideSum}), so no valid event can make one
 * overflow: this step has nothing to refuse, and bad input is dead-lettered only where it
 * enters (the parse step, with the original bytes and input coordinates).
 *
 * <p>Totals and buckets are summed in place in plain maps between commits and written to their
 * stores (RocksDB and changelog) once per changed key, just before the task commits, inside its
 * transaction (see {@link CommitHooks}): per event that is a hash-map lookup and an add with carry, where the stores'
 * record caches cost a fifth of the stream thread (BENCHMARKS.md). The first event of a key in
 * a commit interval reads the stored value into the map.
 *
 * <p>With dedup off, what other tasks send are partial sums ({@link ByOrgEntry.SeriesSum},
 * {@link ByOrgEntry.CostCell}), added exactly as their events would have been.
 */
final class AggregateProcessor implements Processor<byte[], List<ByOrgEntry>, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateProcessor.class);
    /**
     * The least time between two commits this processor asks for. Events that crossed the by-org
     * topic arrive in bursts, just after their sender's commit; left to the commit interval they
     * wait for this task's next scheduled commit, a whole interval when sender and owner share a
     * stream thread (their commits then come exactly one interval apart). So the owner asks for a
     * commit when such a burst has been counted: the events show about when their sender's commit
     * made them readable (unkeyed freshness, BENCHMARKS.md), at the cost of a few more
     * transactions a second on threads that receive by-org records.
     */
    static final long COMMIT_SOON_GAP_MS = 200;
    private static final String BY_ORG_TOPIC_SUFFIX = "-" + StoreNames.BY_ORG + "-repartition";

    private final TopologySettings settings;
    private final IngestMetrics metrics;
    private final CommitHooks hooks;
    /** Armed whenever something is pending: writes it just before the task commits. */
    private CommitHooks.Hook beforeCommit;
    private final long dedupWindowMillis;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<Bytes, byte[]> totals;
    /** Null when dedup is off. */
    private SeenEventIds seenIds;
    /** What this processor last added to {@link IngestMetrics#dedupIdsIndexed}. */
    private long reportedIds;
    private long lastCommitAskedMs;
    /** Running totals changed since the last commit, by series key; added to in place. */
    private final Map<Bytes, UsageTotals> pendingTotals = new HashMap<>();
    /** Bucket costs of the rolling windows changed since the last commit. */
    private PendingBuckets costBuckets;
    /** Quarter-hour costs of the month to date changed since the last commit. */
    private PendingBuckets quarterHours;
    private SeriesLimit seriesLimit;

    AggregateProcessor(TopologySettings settings, IngestMetrics metrics, CommitHooks hooks) {
        this.settings = settings;
        this.metrics = metrics;
        this.hooks = hooks;
        this.dedupWindowMillis = settings.dedupWindow().toMillis();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.totals = context.getStateStore(StoreNames.TOTALS);
        this.costBuckets = new PendingBuckets(context.getStateStore(StoreNames.COST_BUCKETS),
                settings.bucket().toMillis(), settings.costBucketRetention().toMillis());
        this.quarterHours = new PendingBuckets(context.getStateStore(StoreNames.COST_QUARTER_HOURS),
                TopologySettings.QUARTER_HOUR.toMillis(), TopologySettings.QUARTER_HOUR_RETENTION.toMillis());
        this.seriesLimit = SeriesLimit.over(totals, settings.maxSeriesPerOrg());
        // Also called again when a task is revived after an aborted transaction: start clean.
        this.seenIds = null;
        discardPending();
        // The dedup index is rebuilt at the first record, not here (see loadSeenIds).
        reportIdsIndexed();
        beforeCommit = hooks.attach(context, StoreNames.COMMIT_HOOK, this::writePending);
    }

    @Override
    public void process(Record<byte[], List<ByOrgEntry>> record) {
        if (seenIds == null && settings.dedupEnabled()) {
            loadSeenIds();
        }
        for (ByOrgEntry entry : record.value()) {
            if (entry instanceof ByOrgEntry.Event one) {
                count(one.event());
            } else if (entry instanceof ByOrgEntry.SeriesSum sum) {
                add(sum);
            } else if (entry instanceof ByOrgEntry.CostCell cell) {
                add(cell);
            }
        }
        reportIdsIndexed();
        if (crossedByOrgTopic()) {
            askForCommitSoon();
        }
    }

    private boolean crossedByOrgTopic() {
        return context.recordMetadata().map(metadata -> metadata.topic().endsWith(BY_ORG_TOPIC_SUFFIX)).orElse(false);
    }

    /** Kafka Streams commits the thread's tasks after the records in hand (ProcessingContext#commit). */
    private void askForCommitSoon() {
        long now = context.currentSystemTimeMs();
        if (now - lastCommitAskedMs >= COMMIT_SOON_GAP_MS) {
            context.commit();
            lastCommitAskedMs = now;
        }
    }

    @Override
    public void close() {
        // Kafka Streams closes processors after their task's last commit (or when it throws the
        // task's uncommitted work away): nothing pending is worth keeping.
        if (beforeCommit != null) {
            beforeCommit.detach();
            discardPending();
        }
        seenIds = null;
        reportIdsIndexed();
    }

    /**
     * Rebuilds the dedup index from the stored chunks (restored before processors start), before
     * the first record is counted. Not in {@code init}: Kafka Streams initialises a task's
     * processors before its stream thread turns RUNNING, and interactive queries refuse every
     * task of a thread that is not RUNNING, so a rebuild there (about 2 s per million ids here)
     * kept every org of the thread unanswered after a move. Here the thread is RUNNING and the
     * stores, already complete, answer while the rebuild runs; only counting waits for it.
     */
    private void loadSeenIds() {
        WindowStore<Bytes, byte[]> chunks = context.getStateStore(StoreNames.SEEN_EVENT_IDS);
        RocksDbSeenIdIndex onDisk = context.getStateStore(StoreNames.SEEN_EVENT_ID_INDEX);
        // A new filter in front of it at every rebuild, before the rebuild files every stored chunk
        // through it: it must see every filing (BloomFilteredSeenIdIndex).
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(onDisk);
        SeenEventIds loaded = new SeenEventIds(SeenIdChunkStore.over(chunks), index, dedupWindowMillis);
        long started = System.nanoTime();
        loaded.load();
        seenIds = loaded;
        // What a task move or restart adds before counting resumes, grown with rate x window (BENCHMARKS.md).
        LOG.info("task {}: dedup index rebuilt from the stored chunks, {} ids in {} ms; filters of {} buckets,"
                        + " {} new ids in 1,000 still read from disk", context.taskId(), seenIds.indexedIds(),
                (System.nanoTime() - started) / 1_000_000, index.filteredBuckets(),
                String.format("%.1f", index.worstFalsePositiveRate() * 1000));
    }

    private void reportIdsIndexed() {
        long held = seenIds == null ? 0 : seenIds.indexedIds();
        if (held != reportedIds) {
            metrics.dedupIdsIndexed(held - reportedIds);
            reportedIds = held;
        }
    }

    private void count(ApiCallEvent event) {
        long eventTime = event.timestampMillis();
        long now = context.currentSystemTimeMs();
        SeenEventIds.Id seenId = null;
        if (seenIds != null && event.eventId() != null) {
            seenId = seenIds.id(StoreKeys.eventIdBytes(event.orgId(), event.eventId()));
            if (seenIds.seen(seenId, eventTime, now)) {
                metrics.duplicate();
                return;
            }
        }

        if (seenId != null) {
            seenIds.add(seenId, eventTime, now);
        }
        if (event.hasModel()) {
            seriesTotals(event).add(event);
        }
        if (event.costNanos() > 0) {
            Bytes orgKey = Bytes.wrap(StoreKeys.org(event.orgId()));
            costBuckets.add(orgKey, eventTime, event.costNanos(), now);
            quarterHours.add(orgKey, eventTime, event.costNanos(), now);
        }
        // Last, once the event is in the pending sums: a cache that makes room for the marker
        // writes them at once, this event's included, and leaves the hook unarmed.
        beforeCommit.arm();
        metrics.counted();
    }

    /**
     * Events of one series summed by another task's parse step (dedup off, so no id to check):
     * added as its events one by one would be, through the same series limit.
     */
    private void add(ByOrgEntry.SeriesSum sum) {
        if (sum.hasModel()) {
            seriesTotals(sum.orgId(), sum.provider(), sum.model()).add(sum.totals());
        }
        beforeCommit.arm();
        metrics.counted(sum.totals().requests());
    }

    /** The summed cost of one org's events in one cell of event time, which lies in one bucket of each store. */
    private void add(ByOrgEntry.CostCell cell) {
        long now = context.currentSystemTimeMs();
        Bytes orgKey = Bytes.wrap(StoreKeys.org(cell.orgId()));
        costBuckets.add(orgKey, cell.startMillis(), cell.costNanos(), now);
        quarterHours.add(orgKey, cell.startMillis(), cell.costNanos(), now);
        beforeCommit.arm();
    }

    private UsageTotals seriesTotals(ApiCallEvent event) {
        return seriesTotals(event.orgId(), event.provider(), event.model());
    }

    /**
     * The running totals a series' events add to, read from the store on the series' first event
     * since the last commit: its own series when stored or admitted, else the org's overflow.
     */
    private UsageTotals seriesTotals(String orgId, String provider, String model) {
        Bytes seriesKey = StoreKeys.series(orgId, provider, model);
        UsageTotals pending = pendingTotals.get(seriesKey);
        if (pending != null) {
            return pending;
        }
        byte[] stored = totals.get(seriesKey);
        if (stored == null && !seriesLimit.admitNew(orgId)) {
            seriesKey = StoreKeys.overflowSeries(orgId);
            pending = pendingTotals.get(seriesKey);
            if (pending != null) {
                return pending;
            }
            stored = totals.get(seriesKey);
        }
        pending = UsageTotals.fromBytes(stored);
        pendingTotals.put(seriesKey, pending);
        return pending;
    }

    /** Runs just before the task commits: every changed key once, inside the transaction. */
    private void writePending() {
        pendingTotals.forEach((key, value) -> totals.put(key, value.toBytes()));
        pendingTotals.clear();
        costBuckets.write();
        quarterHours.write();
        if (seenIds != null) {
            seenIds.writePending();
        }
    }

    private void discardPending() {
        pendingTotals.clear();
        costBuckets.clear();
        quarterHours.clear();
        // The counts include series admitted since the last commit, now thrown away.
        seriesLimit.forget();
        if (seenIds != null) {
            seenIds.discardPending();
        }
    }
}
