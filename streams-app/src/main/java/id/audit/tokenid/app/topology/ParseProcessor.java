package id.audit.tokenid.app.topology;

import id.audit.tokenid.app.pricing.LivePrices;
import id.audit.tokenid.app.pricing.PriceQuote;
import id.audit.tokenid.app.pricing.PriceStore;
import id.audit.tokenid.schemas.ApiCallCodec;
import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import id.audit.tokenid.schemas.DecodeResult;
import id.audit.tokenid.schemas.Ignored;
import id.audit.tokenid.schemas.Rejected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of the topology: decodes each raw record once, drops other event types, turns bad
 * input into a dead letter (original bytes, reason in headers), and keys valid events by org
 * with their event time resolved (absent: the record's timestamp; far future: now). An event
 * without {@code cost_usd} is then priced from the price table at that event time
 * ({@link LivePrices}), so the priced cost is what crosses the by-org topic and a replay prices
 * it as live did; one that no row prices stays without a cost and counts as unpriced.
 *
 * <p>It also tells whether the event already sits in the partition that owns its org: the
 * by-org topic has as many partitions as the input, and Kafka's default partitioner puts an org
 * in {@code murmur2(org) % partitions} of both, so the task reading input partition p is the
 * task that owns the orgs of by-org partition p. Such an event is counted here and never
 * crosses the repartition topic: all of them when producers key records by org id with
 * Kafka's default partitioner, about 1 in {@code partitions} otherwise. The others are gathered
 * per destination partition into {@link CountedBatch}es and cross the by-org topic a batch at a
 * time: a full batch is forwarded at once, and every batch, full or not, by a wall-clock
 * punctuation every {@link #SEND_KEPT_EVERY}. With dedup off the batches hold partial sums of
 * the events instead ({@link PartialSumBatch}), so what crosses no longer grows with the events
 * read. What is still gathered when the task commits (at most a punctuation interval's) cannot
 * be forwarded then (a record must be forwarded from a processor node, in {@code process} or a
 * punctuator, and no public hook runs at the commit with one), and must not be lost with the
 * heap if the instance dies after the commit: just before the commit ({@link CommitHooks}) it
 * is kept in the logged store {@code by-org-kept}, in the commit's transaction, and forwarded
 * (and deleted from the store) first thing in the next {@code process} or wall-clock
 * punctuation, in the next transaction. Forward and delete commit together or not at all, so a
 * kept batch crosses exactly once; it crosses one commit later than it would have at the commit.
 */
final class ParseProcessor implements Processor<byte[], byte[], byte[], ParsedRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);
    /**
     * How often what is gathered goes out, full or not, and how soon batches kept at a commit go
     * out when no input record comes to send them. An event waits at most this long in a batch
     * before it joins the transaction that carries it to its owner; without it an event waited
     * for its batch to fill (128 KiB) or for the commit that keeps it, and crossed one commit
     * later: the unkeyed freshness p99 was 2.4 s against 1.1 s keyed (BENCHMARKS.md).
     */
    static final Duration SEND_KEPT_EVERY = Duration.ofMillis(100);

    private final IngestMetrics metrics;
    private final int orgPartitions;
    private final LivePrices prices;
    /** The global {@code api-prices-store}: the prices topic's rows (read-only here). */
    private ReadOnlyKeyValueStore<String, byte[]> priceRows;
    private final long maxFutureSkewMillis = TopologySettings.MAX_FUTURE_SKEW.toMillis();
    private ProcessorContext<byte[], ParsedRecord> context;
    private final CommitHooks hooks;
    /** Armed while a batch holds events: keeps them just before the task commits. */
    private CommitHooks.Hook beforeCommit;
    /** Events gathered for other tasks since they were last sent or kept; none when orgPartitions is 0. */
    private final ByOrgBatches batches;
    /** Batches kept at a commit and not sent yet, by a number; logged, uncached. */
    private KeyValueStore<Integer, byte[]> kept;
    /** How many entries {@link #kept} holds, so that most records only read this. */
    private int keptCount;

    /**
     * @param batches one per destination partition ({@code orgPartitions} of them): of events
     *                with dedup on, of partial sums with dedup off ({@link ByOrgBatches#of})
     */
    ParseProcessor(IngestMetrics metrics, int orgPartitions, LivePrices prices, CommitHooks hooks,
                   ByOrgBatches batches) {
        this.metrics = metrics;
        this.orgPartitions = orgPartitions;
        this.prices = prices;
        this.hooks = hooks;
        this.batches = batches;
    }

    @Override
    public void init(ProcessorContext<byte[], ParsedRecord> context) {
        this.context = context;
        // Global stores are readable from every processor without being connected to it.
        this.priceRows = context.getStateStore(PriceStore.NAME);
        // Also called when a task is revived after an aborted transaction: start from the store.
        batches.clear();
        kept = context.getStateStore(StoreNames.BY_ORG_KEPT);
        keptCount = 0;
        try (KeyValueIterator<Integer, byte[]> all = kept.all()) {
            while (all.hasNext()) {
                keptCount = Math.max(keptCount, all.next().key + 1);
            }
        }
        beforeCommit = hooks.attach(context, StoreNames.PARSE_COMMIT_HOOK, this::keepGathered);
        if (orgPartitions > 0) {
            context.schedule(SEND_KEPT_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> sendGathered());
        }
    }

    @Override
    public void close() {
        if (beforeCommit != null) {
            beforeCommit.detach();
        }
        batches.clear();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        sendKept();
        metrics.consumed();
        DecodeResult result;
        try {
            result = ApiCallCodec.decode(record.value());
        } catch (RuntimeException bug) {
            // A codec bug must not crash-loop the stream on one record: keep the record aside.
            LOG.error("codec failed on a record; dead-lettering it", bug);
            forwardDeadLetter(record, "internal_error", "internal error while decoding");
            return;
        }
        if (result instanceof ApiCallEvent event) {
            forwardCounted(record, event);
        } else if (result instanceof Rejected rejected) {
            forwardDeadLetter(record, rejected.reason().label(), rejected.detail());
        } else if (result instanceof Ignored ignored) {
            metrics.ignored(ignored.type());
        }
    }

    private void forwardCounted(Record<byte[], byte[]> record, ApiCallEvent event) {
        long eventTime = event.timestampMillis() == ApiCallEvent.NO_TIMESTAMP
                ? record.timestamp() : event.timestampMillis();
        long now = context.currentSystemTimeMs();
        if (eventTime > now + maxFutureSkewMillis) {
            eventTime = now;
        }
        ApiCallEvent resolved = priced(record, event.at(eventTime));
        if (resolved == null) {
            return;
        }
        byte[] orgKey = StoreKeys.org(event.orgId());
        // The customer's headers stay behind: only what we count goes on (a Record made
        // without headers has empty ones).
        if (orgPartitions == 0) {
            // Partition count unknown: each event crosses the by-org topic keyed by org.
            metrics.repartitioned();
            context.forward(new Record<>(orgKey, new ParsedRecord.Counted(resolved, false), eventTime));
            return;
        }
        int owner = OrgPartitioner.partition(orgKey, orgPartitions);
        if (owner == context.recordMetadata().map(RecordMetadata::partition).orElse(-1)) {
            context.forward(new Record<>(orgKey, new ParsedRecord.Counted(resolved, true), eventTime));
            return;
        }
        metrics.repartitioned();
        byte[] full = batches.add(owner, resolved);
        if (full != null) {
            sendBatch(full);
        }
        // After the add: a cache that makes room for the marker keeps this event too.
        beforeCommit.arm();
    }

    private void sendBatch(byte[] batch) {
        // The partitioner of the by-org topic reads the destination from the batch; no key needed.
        context.forward(new Record<>(new byte[0], new ParsedRecord.RemoteBatch(batch), context.currentSystemTimeMs()));
    }

    /** In a punctuation: forwards what the last commit kept, then every batch gathered since, full or not. */
    private void sendGathered() {
        sendKept();
        batches.takeAll(this::sendBatch);
    }

    /** Just before the task commits, outside any processor node: keeps what is gathered, in the transaction. */
    private void keepGathered() {
        batches.takeAll(batch -> kept.put(keptCount++, batch));
    }

    /** In {@code process} or a punctuation: forwards what the last commit kept and forgets it, in one transaction. */
    private void sendKept() {
        if (keptCount == 0) {
            return;
        }
        List<KeyValue<Integer, byte[]>> all = new ArrayList<>();
        try (KeyValueIterator<Integer, byte[]> entries = kept.all()) {
            entries.forEachRemaining(all::add);
        }
        for (KeyValue<Integer, byte[]> entry : all) {
            sendBatch(entry.value);
            kept.delete(entry.key);
        }
        keptCount = 0;
    }

    /**
     * The event with its cost: as it came when it carries {@code cost_usd} (0 is free), else
     * priced at its event time when a row prices it; null when the priced cost is above what one
     * event may cost (then it is dead-lettered here, the only place dead letters are written).
     */
    private ApiCallEvent priced(Record<byte[], byte[]> record, ApiCallEvent event) {
        if (event.costPresent()) {
            return event;
        }
        PriceQuote quote = prices.table(priceRows, context.currentSystemTimeMs()).quote(event);
        if (quote instanceof PriceQuote.Priced priced) {
            return event.priced(priced.nanos());
        }
        if (quote instanceof PriceQuote.OutOfRange out) {
            forwardDeadLetter(record, "priced_cost_out_of_range", "priced cost " + out.nanos()
                    + " nano-USD (row " + out.row().key() + ") exceeds the maximum of one event, "
                    + CostNanos.MAX_NANOS + " nano-USD");
            return null;
        }
        metrics.unpriced();
        return event;
    }

    private void forwardDeadLetter(Record<byte[], byte[]> record, String reason, String detail) {
        metrics.deadLettered(reason);
        // The original record's headers, then ours, on headers of the dead letter's own.
        Record<byte[], ParsedRecord> deadLetter = new Record<>(record.key(),
                new ParsedRecord.DeadLetter(record.value()), record.timestamp());
        record.headers().forEach(deadLetter.headers()::add);
        DeadLetterHeaders.add(deadLetter.headers(), reason, detail, context.recordMetadata().orElse(null));
        context.forward(deadLetter);
    }
}
