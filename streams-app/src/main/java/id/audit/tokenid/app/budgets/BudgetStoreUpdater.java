package id.audit.tokenid.app.budgets;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global budget store in step with the {@code api-budgets} topic on every instance.
 * A valid value is stored under the normalised org id, as the topic has it; a tombstone removes
 * the budget. A malformed value removes it too: the org has no budget (not its previous one),
 * which is also what a restore from the compacted topic gives once compaction dropped the older
 * value, so live and restored instances agree. Kafka Streams runs this processor on restore too
 * (global stores with a custom processor are reprocessed, KAFKA-7663), so keys are normalised
 * there as well.
 *
 * <p>A rejected record is counted every time and logged once per key until the key is valid
 * again or removed, so a producer that keeps writing the same bad value does not flood the log.
 */
final class BudgetStoreUpdater implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetStoreUpdater.class);
    /** Keys remembered as logged; past this many, further rejections are logged every time. */
    static final int MAX_REMEMBERED_KEYS = 10_000;

    private final Runnable onRejected;
    private final Set<String> logged = new HashSet<>();
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<Void, Void> context;

    BudgetStoreUpdater(Runnable onRejected) {
        this.onRejected = onRejected;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(BudgetStore.NAME);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String org = BudgetRecord.orgOf(record.key());
        if (org == null) {
            onRejected.run();
            String key = record.key() == null ? "(none)" : BudgetRecord.shown(new String(record.key(),
                    StandardCharsets.UTF_8));
            if (firstTime("key " + key)) {
                LOG.warn("ignoring a budget record whose key {} is not an org id (1..128 characters of valid "
                        + "UTF-8, not blank){}", key, where());
            }
            return;
        }
        if (record.value() == null) {
            store.delete(org);
            logged.remove(org);
            return;
        }
        if (BudgetRecord.parseValue(record.value()) instanceof BudgetRecord.Rejected rejected) {
            store.delete(org);
            onRejected.run();
            if (firstTime(org)) {
                LOG.warn("org {} has no budget: its budget record's {}{}", BudgetRecord.shown(org),
                        rejected.message(), where());
            }
        } else {
            store.put(org, record.value());
            logged.remove(org);
        }
    }

    boolean firstTime(String key) {
        return logged.contains(key) ? false : logged.size() >= MAX_REMEMBERED_KEYS || logged.add(key);
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> " (" + m.topic() + " partition " + m.partition() + " offset " + m.offset() + ")")
                .orElse("");
    }
}
