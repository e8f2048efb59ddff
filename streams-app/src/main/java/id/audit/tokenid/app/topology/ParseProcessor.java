package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallCodec;
import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.DecodeResult;
import id.audit.tokenid.schemas.Ignored;
import id.audit.tokenid.schemas.Rejected;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of the topology: decodes each raw record once, drops other event types, turns bad
 * input into a dead letter (original bytes, reason in headers), and keys valid events by org
 * with their event time resolved (absent: the record's timestamp; far future: now).
 *
 * <p>It also tells whether the event already sits in the partition that owns its org: the
 * by-org topic has as many partitions as the input, and Kafka's default partitioner puts an org
 * in {@code murmur2(org) % partitions} of both, so the task reading input partition p is the
 * task that owns the orgs of by-org partition p. Such an event is counted here and never
 * crosses the repartition topic: all of them when producers key records by org id with
 * Kafka's default partitioner, about 1 in {@code partitions} otherwise.
 */
final class ParseProcessor implements Processor<byte[], byte[], byte[], ParsedRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);

    private final IngestMetrics metrics;
    private final int orgPartitions;
    private final long maxFutureSkewMillis = TopologySettings.MAX_FUTURE_SKEW.toMillis();
    private ProcessorContext<byte[], ParsedRecord> context;

    ParseProcessor(IngestMetrics metrics, int orgPartitions) {
        this.metrics = metrics;
        this.orgPartitions = orgPartitions;
    }

    @Override
    public void init(ProcessorContext<byte[], ParsedRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
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
        ApiCallEvent resolved = new ApiCallEvent(event.eventId(), event.orgId(), event.provider(), event.model(),
                event.inputTokens(), event.outputTokens(), event.costNanos(), eventTime);
        byte[] orgKey = StoreKeys.org(event.orgId());
        boolean ownedHere = ownedHere(orgKey);
        if (!ownedHere) {
            metrics.repartitioned();
        }
        // The customer's headers stay behind: the repartition topic carries only what we count.
        context.forward(new Record<>(orgKey, new ParsedRecord.Counted(resolved, ownedHere),
                eventTime, new RecordHeaders()));
    }

    private boolean ownedHere(byte[] orgKey) {
        if (orgPartitions == 0) {
            return false;
        }
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        return OrgPartitioner.partition(orgKey, orgPartitions) == partition;
    }

    private void forwardDeadLetter(Record<byte[], byte[]> record, String reason, String detail) {
        metrics.deadLettered(reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.add(headers, reason, detail, context.recordMetadata().orElse(null));
        context.forward(new Record<>(record.key(), new ParsedRecord.DeadLetter(record.value()),
                record.timestamp(), headers));
    }
}
