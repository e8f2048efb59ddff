package id.audit.tokenid.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB memory bound on real RocksDB databases: the options Kafka Streams hands the setter
 * come back bounded, every store of an instance shares one cache of the configured size, and
 * writing and reading far more than the bound keeps the cache, memtables included, within it.
 */
class BoundedRocksDbMemoryTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path stateDir;

    @Test
    void boundsTheOptionsItIsGiven() {
        // Given Kafka Streams' per-store defaults (RocksDBStore#openDB): a 50 MiB cache of the
        // store's own, 16 MiB memtables, three of them
        Options options = kafkaStreamsDefaults();
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

        // When
        setter.setConfig("usage-totals", options, configs(stateDir, 64 * MIB));

        // Then
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
        assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
        assertThat(options.writeBufferManager()).isNotNull();
        assertThat(options.writeBufferSize()).isEqualTo(4 * MIB); // 32 MiB of memtables / 8
        setter.close("usage-totals", options);
        options.close();
    }

    @Test
    void everyStoreOfAnInstanceSharesOneCacheOfTheConfiguredSize() throws Exception {
        // Given two stores of one instance (one state directory)
        try (Store totals = Store.open(stateDir, "usage-totals", 32 * MIB);
             Store buckets = Store.open(stateDir, "usage-cost-buckets", 32 * MIB)) {
            // When both are written and read
            totals.fill(4 * MIB, new Random(1));
            buckets.fill(4 * MIB, new Random(2));

            // Then each reports a cache of the bound, the same one (same usage), not one each
            assertThat(totals.property("rocksdb.block-cache-capacity")).isEqualTo(32 * MIB);
            assertThat(buckets.property("rocksdb.block-cache-capacity")).isEqualTo(32 * MIB);
            assertThat(totals.options.writeBufferManager()).isSameAs(buckets.options.writeBufferManager());
            assertThat(totals.property("rocksdb.block-cache-usage"))
                    .isEqualTo(buckets.property("rocksdb.block-cache-usage")).isPositive();
        }
    }

    @Test
    void writingAndReadingEightTimesTheBoundStaysWithinIt() throws Exception {
        // Given four stores sharing the smallest bound allowed
        long bound = AppConfig.MIN_ROCKSDB_MEMORY_BYTES;
        List<Store> stores = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                stores.add(Store.open(stateDir, "store-" + i, bound));
            }
            long peakCache = 0;
            long peakMemtables = 0;

            // When 8× the bound is written across them, then read back, sampling as it goes
            Random random = new Random(3);
            for (int round = 0; round < 8; round++) {
                for (Store store : stores) {
                    store.fill(bound / 4, random);
                    peakCache = Math.max(peakCache, store.property("rocksdb.block-cache-usage"));
                    peakMemtables = Math.max(peakMemtables, memtables(stores));
                }
            }
            for (Store store : stores) {
                store.readAll();
                peakCache = Math.max(peakCache, store.property("rocksdb.block-cache-usage"));
            }

            // Then the cache (which the memtables are charged to) never held more than the bound,
            // give or take RocksDB's soft limit (a non-strict cache admits an insert first and
            // evicts after: a fresh-clone CI run once sampled 16,984,880 bytes against 16 MiB),
            // and the memtables not much more than their half of it (a flush starts when they
            // reach it and frees memory when it ends)
            assertThat(peakCache).isLessThanOrEqualTo(bound + bound / 20);
            assertThat(peakMemtables).isLessThanOrEqualTo(BoundedRocksDbMemory.memtableBytes(bound)
                    + 4 * BoundedRocksDbMemory.writeBufferBytes(bound));
            // Without the setter each store alone may keep 3 × 16 MiB of memtables and 50 MiB of blocks.
        } finally {
            for (Store store : stores) {
                store.close();
            }
        }
    }

    @Test
    void theLastStoreToCloseClosesTheSharedCacheAndManager() throws Exception {
        // Given two stores of one instance
        Store first = Store.open(stateDir, "a", 32 * MIB);
        Store second = Store.open(stateDir, "b", 32 * MIB);
        WriteBufferManager shared = first.options.writeBufferManager();
        assertThat(BoundedRocksDbMemory.users(stateDir.toString(), 32 * MIB)).isEqualTo(2);

        // When one closes, the other still has them; when both have, they are closed
        first.close();
        assertThat(BoundedRocksDbMemory.users(stateDir.toString(), 32 * MIB)).isEqualTo(1);
        assertThat(shared.isOwningHandle()).isTrue();
        second.close();

        // Then
        assertThat(BoundedRocksDbMemory.users(stateDir.toString(), 32 * MIB)).isZero();
        assertThat(shared.isOwningHandle()).isFalse();
    }

    @Test
    void instancesWithTheirOwnStateDirectoriesHaveTheirOwnBound(@TempDir Path otherStateDir) {
        // Given two instances in one JVM (as in the integration tests)
        Options mine = kafkaStreamsDefaults();
        Options theirs = kafkaStreamsDefaults();
        BoundedRocksDbMemory mySetter = new BoundedRocksDbMemory();
        BoundedRocksDbMemory theirSetter = new BoundedRocksDbMemory();

        // When
        mySetter.setConfig("usage-totals", mine, configs(stateDir, 32 * MIB));
        theirSetter.setConfig("usage-totals", theirs, configs(otherStateDir, 32 * MIB));

        // Then
        assertThat(mine.writeBufferManager()).isNotSameAs(theirs.writeBufferManager());
        mySetter.close("usage-totals", mine);
        theirSetter.close("usage-totals", theirs);
        mine.close();
        theirs.close();
    }

    @Test
    void refusesABoundBelowTheMinimumOrNone() {
        Options options = kafkaStreamsDefaults();

        assertThatThrownBy(() -> new BoundedRocksDbMemory().setConfig("s", options, configs(stateDir, MIB)))
                .hasMessageContaining(BoundedRocksDbMemory.BYTES_CONFIG).hasMessageContaining("16MiB");
        assertThatThrownBy(() -> new BoundedRocksDbMemory().setConfig("s", options,
                Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString())))
                .hasMessageContaining(BoundedRocksDbMemory.BYTES_CONFIG);
        options.close();
    }

    private static long memtables(List<Store> stores) {
        long sum = 0;
        for (Store store : stores) {
            sum += store.property("rocksdb.cur-size-all-mem-tables");
        }
        return sum;
    }

    private static Map<String, Object> configs(Path stateDir, long bytes) {
        return Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(), BoundedRocksDbMemory.BYTES_CONFIG, bytes);
    }

    /** What Kafka Streams 4.4's RocksDBStore sets before it calls a config setter. */
    private static Options kafkaStreamsDefaults() {
        Options options = new Options();
        BlockBasedTableConfig table = new BlockBasedTableConfig();
        table.setBlockCache(new LRUCache(50 * MIB));
        table.setBlockSize(4096);
        options.setTableFormatConfig(table);
        options.setWriteBufferSize(16 * MIB);
        options.setMaxWriteBufferNumber(3);
        options.setCreateIfMissing(true);
        return options;
    }

    /** A RocksDB database opened as Kafka Streams would open a store, with the setter. */
    private static final class Store implements AutoCloseable {
        private static final int VALUE_BYTES = 1024;

        final Options options;
        private final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        private final String name;
        private final RocksDB db;
        private long keys;
        private boolean closed;

        private Store(Path stateDir, String name, long bound) throws Exception {
            this.name = name;
            this.options = kafkaStreamsDefaults();
            setter.setConfig(name, options, configs(stateDir, bound));
            this.db = RocksDB.open(options, stateDir.resolve(name).toString());
        }

        static Store open(Path stateDir, String name, long bound) throws Exception {
            return new Store(stateDir, name, bound);
        }

        /** Writes {@code bytes} of random (incompressible) values under new keys. */
        void fill(long bytes, Random random) throws Exception {
            byte[] value = new byte[VALUE_BYTES];
            for (long written = 0; written < bytes; written += VALUE_BYTES) {
                random.nextBytes(value);
                db.put(key(keys++), value);
            }
        }

        void readAll() throws Exception {
            for (long k = 0; k < keys; k++) {
                assertThat(db.get(key(k))).hasSize(VALUE_BYTES);
            }
        }

        long property(String name) {
            try {
                return db.getLongProperty(name);
            } catch (Exception e) {
                throw new IllegalStateException(name, e);
            }
        }

        private static byte[] key(long k) {
            return String.format("key-%012d", k).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                // Kafka Streams' order: the setter first, then the database, then the options.
                setter.close(name, options);
                db.close();
                options.close();
            }
        }
    }
}
