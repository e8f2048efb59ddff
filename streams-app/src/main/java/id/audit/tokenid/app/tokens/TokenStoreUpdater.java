package id.audit.tokenid.app.tokens;

import id.audit.tokenid.exporter.auth.TokenDigests;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global token store in step with the {@code api-tokens} topic on every instance: a
 * value is kept as the topic has it (so a restore that copies the topic gives the same store),
 * a tombstone revokes. Values are parsed, and malformed ones refused, at lookup.
 */
public final class TokenStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(TokenStoreUpdater.class);
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(TokenStore.NAME);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String problem = TokenDigests.digestProblem(record.key());
        if (problem != null) {
            // The key is not quoted: a producer's mistake could put a raw token there.
            LOG.warn("ignoring a token record whose key is not a digest: {}", problem);
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
