package id.audit.tokenid.app.topology;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Runs a processor's action just before its task commits, inside the task's exactly-once
 * transaction, through public Kafka Streams APIs only. One instance per topology.
 *
 * <p>How: a hook is a key-value store built with Kafka Streams' record cache in front
 * ({@code withCachingEnabled()}) of an inner store of ours that keeps nothing. A processor with
 * work pending {@link Hook#arm arms} its hook: it puts one marker, which the cache holds dirty.
 * Streams flushes a task's caches before every commit (and a cache that must make room flushes
 * its oldest entries); a flush hands each dirty entry to the inner store's {@code put}, and ours
 * runs the action of the processor the marker names. The flush has to come before the commit:
 * a cached store's changelog records are written when its cache flushes, and under exactly-once
 * they must be in the transaction that commits the input offsets they came from. In Kafka
 * Streams 4.4.0, {@code StreamTask#prepareCommit} flushes the caches of all the task's stores
 * and then its record collector, and only then does {@code TaskExecutor#commitOffsetsOrTransaction}
 * commit the transaction with the offsets; the action's writes to other stores (uncached and
 * logged: their changelog records leave at once) are part of it.
 *
 * <p>Not {@code StateStore#commit(Map)}: 4.4 calls it after the transaction has committed
 * ({@code StreamTask#postCommit}), too late; nor {@code StateStore#flush}, which 4.4 no longer
 * calls (KIP-1035). An action runs outside any processor node, so it must not forward records;
 * it may run more than once between two commits (a cache that makes room), and each run must
 * leave nothing pending. The cache needs room for one marker per task
 * ({@code statestore.cache.max.bytes} above 0, see {@code StreamsProperties}).
 */
final class CommitHooks {

    private static final Bytes MARKER = Bytes.wrap(new byte[] {0});

    /** The actions of this topology's live processors, by a number no other processor gets. */
    private final Map<Long, Runnable> actions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** The store behind a hook: cached, no changelog (a marker is not state). */
    StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
        return Stores.keyValueStoreBuilder(new TriggerSupplier(name), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingDisabled();
    }

    /** Call from {@code Processor#init}; {@link Hook#detach} from {@code close}. */
    Hook attach(ProcessorContext<?, ?> context, String storeName, Runnable beforeCommit) {
        Hook hook = new Hook(context.getStateStore(storeName), ids.incrementAndGet());
        actions.put(hook.id, () -> {
            hook.armed = false;
            beforeCommit.run();
        });
        return hook;
    }

    /** One processor's hook. Used on its stream thread only. */
    final class Hook {
        private final KeyValueStore<Bytes, byte[]> store;
        private final long id;
        private final byte[] marker;
        private boolean armed;

        private Hook(KeyValueStore<Bytes, byte[]> store, long id) {
            this.store = store;
            this.id = id;
            this.marker = ByteBuffer.allocate(Long.BYTES).putLong(id).array();
        }

        /**
         * Makes the action run before the next commit. Call whenever work becomes pending; only
         * the first call after a run writes (to the cache).
         */
        void arm() {
            if (!armed) {
                armed = true;
                store.put(MARKER, marker);
            }
        }

        /**
         * After this a flush of a marker still armed fails the commit (the task's transaction is
         * aborted and its input read again) instead of losing the work silently.
         */
        void detach() {
            actions.remove(id);
        }
    }

    private final class TriggerSupplier implements KeyValueBytesStoreSupplier {
        private final String name;

        TriggerSupplier(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public KeyValueStore<Bytes, byte[]> get() {
            return new Trigger(name);
        }

        @Override
        public String metricsScope() {
            return "commit-hook";
        }
    }

    /** Keeps nothing: a marker written to it (by the cache's flush) runs the action it names. */
    private final class Trigger implements KeyValueStore<Bytes, byte[]> {
        private final String name;
        private boolean open;

        Trigger(String name) {
            this.name = name;
        }

        @Override
        public void put(Bytes key, byte[] value) {
            if (value == null) {
                return;
            }
            long id = ByteBuffer.wrap(value).getLong();
            Runnable action = actions.get(id);
            if (action == null) {
                throw new IllegalStateException("commit hook " + name + ": processor " + id
                        + " armed it and was closed before its task committed; its pending work would be lost");
            }
            action.run();
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            put(key, value);
            return null;
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(entry -> put(entry.key, entry.value));
        }

        @Override
        public byte[] delete(Bytes key) {
            return null;
        }

        @Override
        public byte[] get(Bytes key) {
            return null;
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return new Empty();
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return new Empty();
        }

        @Override
        public long approximateNumEntries() {
            return 0;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            context.register(root, (key, value) -> { });
            open = true;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    private static final class Empty implements KeyValueIterator<Bytes, byte[]> {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            throw new NoSuchElementException();
        }

        @Override
        public Bytes peekNextKey() {
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
        }
    }
}
