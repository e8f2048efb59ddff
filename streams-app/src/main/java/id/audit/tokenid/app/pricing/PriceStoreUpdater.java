package id.audit.tokenid.app.pricing;

import id.audit.tokenid.app.topology.IngestMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global prices store in step with the prices topic: a valid row is stored as the topic
 * has it, a tombstone removes its key's row, and an invalid value removes its key's row too (it is
 * logged and counted): after compaction the topic keeps only that invalid value for the key, so a
 * restart would end with no row there, and live must end the same. A record whose key is not a
 * row's key is ignored (logged, counted): no row can be stored or removed under it.
 *
 * <p>Kafka Streams also runs this processor on the records it restores into the store at start-up
 * (global stores added with {@code StreamsBuilder#addGlobalStore} reprocess on restore since
 * Kafka 3.8, KAFKA-7663), so restored rows pass the same checks.
 */
final class PriceStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(PriceStoreUpdater.class);

    private final LivePrices prices;
    private final IngestMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    PriceStoreUpdater(LivePrices prices, IngestMetrics metrics) {
        this.prices = prices;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(PriceStore.NAME);
        // Rows already on disk (a restart that restored nothing) are read on the parse step's first use.
        prices.changed();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String keyProblem = PriceRecord.keyProblem(record.key());
        if (keyProblem != null) {
            LOG.warn("prices topic: ignoring a record: {}", keyProblem);
            metrics.invalidPriceRow();
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else if (PriceRecord.parse(record.key(), record.value()) instanceof PriceRecord.Invalid invalid) {
            LOG.warn("prices topic: the row {} is invalid and removed: {}", record.key(), invalid.problem());
            metrics.invalidPriceRow();
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        prices.changed();
    }
}
