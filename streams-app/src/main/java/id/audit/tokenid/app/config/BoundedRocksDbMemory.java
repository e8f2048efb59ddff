package id.audit.tokenid.app.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of all RocksDB stores of one instance by one figure,
 * {@code --rocksdb-memory} (passed as {@value #BYTES_CONFIG}), the way Kafka Streams'
 * memory-management guide does it with its public {@link RocksDBConfigSetter}
 * (https://kafka.apache.org/44/streams/developer-guide/memory-mgmt/#rocksdb): every store of the
 * instance, every segment of its window stores and the global stores included, uses one LRU
 * block cache of that size; index and filter blocks live in that cache (in its high-priority
 * part) instead of beside it; and a write-buffer manager charges the memtables to the same
 * cache, up to {@value #MEMTABLE_PERCENT}% of it. Without it each store (and each window-store
 * segment) has its own 50 MiB cache and up to three 16 MiB memtables, so memory grows with
 * partitions × stores × segments.
 *
 * <p>The bound is RocksDB's soft one (a non-strict cache: an insert over capacity evicts
 * rather than fails, and blocks pinned by open iterators may briefly exceed it). Outside it:
 * each store's tiny offsets column family, the transaction buffers of writes not yet
 * committed (at most one commit interval's), and the allocator's own overhead.
 *
 * <p>Kafka Streams makes one instance of this class per store it opens and calls
 * {@link #close} when that store closes. The cache and the manager are shared by every store of
 * one state directory (one instance) and counted: the last store to close closes them. Closing
 * them before the store's database (Kafka Streams closes the setter first) is safe: a database
 * holds its own reference to both, and the native objects go when the last reference does.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The key, among the Kafka Streams settings, that carries the bound in bytes. */
    public static final String BYTES_CONFIG = "tokenid.rocksdb.memory.bytes";
    /** Share of the bound that memtables may take (charged to the cache, not added to it). */
    static final int MEMTABLE_PERCENT = 50;
    /** Share of the cache kept for index and filter blocks, evicted last. */
    static final double HIGH_PRIORITY_RATIO = 0.1;
    /** Kafka Streams' own memtable size; smaller when the bound is small, so that several fit. */
    static final long MAX_WRITE_BUFFER_BYTES = 16L << 20;

    private static final Map<String, Shared> SHARED = new HashMap<>();

    private Shared shared;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = bytesOf(configs);
        String owner = String.valueOf(configs.get(StreamsConfig.STATE_DIR_CONFIG)) + '|' + bytes;
        Shared memory = acquire(owner, bytes);
        // The table config Kafka Streams put there, not a new one: it reads the cache back from it.
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memory.writeBuffers);
        options.setWriteBufferSize(Math.min(options.writeBufferSize(), writeBufferBytes(bytes)));
        if (shared != null) {
            release(shared);
        }
        shared = memory;
    }

    @Override
    public void close(String storeName, Options options) {
        if (shared != null) {
            release(shared);
            shared = null;
        }
    }

    /** The memtable size each store gets: at most an eighth of the memtables' share. */
    static long writeBufferBytes(long bytes) {
        return Math.min(MAX_WRITE_BUFFER_BYTES, memtableBytes(bytes) / 8);
    }

    static long memtableBytes(long bytes) {
        return bytes * MEMTABLE_PERCENT / 100;
    }

    /** Stores that hold the shared cache of this state directory and bound now; 0 when none. */
    static int users(String stateDir, long bytes) {
        synchronized (SHARED) {
            Shared memory = SHARED.get(stateDir + '|' + bytes);
            return memory == null ? 0 : memory.users;
        }
    }

    private static long bytesOf(Map<String, Object> configs) {
        Object value = Objects.requireNonNull(configs.get(BYTES_CONFIG), BYTES_CONFIG + " is not set");
        long bytes = value instanceof Number number ? number.longValue() : ByteSize.parse(value.toString());
        if (bytes < AppConfig.MIN_ROCKSDB_MEMORY_BYTES) {
            throw new IllegalArgumentException(BYTES_CONFIG + " must be at least "
                    + ByteSize.format(AppConfig.MIN_ROCKSDB_MEMORY_BYTES) + ", was " + bytes);
        }
        return bytes;
    }

    private static Shared acquire(String owner, long bytes) {
        synchronized (SHARED) {
            Shared memory = SHARED.computeIfAbsent(owner, key -> new Shared(key, bytes));
            memory.users++;
            return memory;
        }
    }

    private static void release(Shared memory) {
        synchronized (SHARED) {
            if (--memory.users == 0) {
                SHARED.remove(memory.owner);
                memory.writeBuffers.close();
                memory.cache.close();
            }
        }
    }

    /** The cache and write-buffer manager of one instance, and how many stores use them. */
    private static final class Shared {
        final String owner;
        final Cache cache;
        final WriteBufferManager writeBuffers;
        int users;

        Shared(String owner, long bytes) {
            this.owner = owner;
            // -1: RocksDB picks the number of shards; false: not strict, an insert over capacity
            // evicts instead of failing a read (Kafka's guide warns against strict).
            this.cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
            this.writeBuffers = new WriteBufferManager(memtableBytes(bytes), cache);
        }
    }
}
