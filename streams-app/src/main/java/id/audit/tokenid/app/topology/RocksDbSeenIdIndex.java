package id.audit.tokenid.app.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.StoreBuilder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.IndexType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The dedup's {@link SeenIdIndex} of one task, on disk: one RocksDB database per arrival bucket
 * (key: the 8-byte fingerprint, value: the chunk numbers it was filed under, 4 bytes each), so a
 * bucket that ages out is dropped as a whole directory, as Kafka Streams drops window-store
 * segments. The heap holds a few objects per bucket, whatever the number of ids.
 *
 * <p>A chunk's ids are filed together ({@link #addAll}): one {@link WriteBatch} of merges, one
 * JNI call and no read, where filing an id at a time was a read and a write each. The merge
 * operator is RocksDB's string append with an empty delimiter, so a key's value is the
 * concatenation of the 4-byte chunk numbers filed under it, whatever the order of the writes.
 *
 * <p>A custom {@link StateStore} (a documented extension point), not a Kafka Streams store,
 * because it must not be transactional: with transactional state stores on, Kafka Streams keeps
 * every write not yet committed in a heap map, and the rebuild below writes every id of the
 * window before the task's first commit, which would put the whole index back in the heap.
 * Nothing here needs a transaction or a changelog: the chunks ({@link SeenIdChunkStore}, logged
 * and transactional) are the truth, and this index is derived from them.
 *
 * <p>So it is emptied whenever the store opens, and {@link SeenEventIds#load} refiles every
 * stored chunk: after a crash, a restore, a move or a revival nobody can prove what it still
 * holds matches the chunks, and a missing entry would be a silent double count, while an extra
 * one (from writes of an aborted transaction, or a chunk number filed again) costs only a chunk
 * read. For the same reason writes skip RocksDB's write-ahead log: a crash loses the memtable,
 * and the next open starts empty anyway.
 *
 * <p>Memory: each bucket's database is configured by the instance's {@code rocksdb.config.setter}
 * (the product's {@code BoundedRocksDbMemory}), so its block cache and memtables are inside the
 * one {@code --rocksdb-memory} bound, like every other store's.
 */
final class RocksDbSeenIdIndex implements StateStore, SeenIdIndex {

    private static final int[] NONE = new int[0];

    private final String name;
    private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
    private Path directory;
    private Map<String, Object> configs;
    private WriteOptions writeOptions;
    private boolean open;

    RocksDbSeenIdIndex(String name) {
        this.name = name;
    }

    /** The store for a topology: no changelog, no record cache (neither would mean anything here). */
    static StoreBuilder<RocksDbSeenIdIndex> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<RocksDbSeenIdIndex> withCachingEnabled() {
                throw new UnsupportedOperationException(name + " has no record cache");
            }

            @Override
            public StoreBuilder<RocksDbSeenIdIndex> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<RocksDbSeenIdIndex> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException(name + " is rebuilt from the chunks, it has no changelog");
            }

            @Override
            public StoreBuilder<RocksDbSeenIdIndex> withLoggingDisabled() {
                return this;
            }

            @Override
            public RocksDbSeenIdIndex build() {
                return new RocksDbSeenIdIndex(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        open(context.stateDir().toPath().resolve(name), context.appConfigs());
        // No changelog and nothing to restore: the processor refiles the chunks (SeenEventIds#load).
        context.register(root, (key, value) -> { });
    }

    /** Opens empty in {@code directory}, deleting what a previous life left there. */
    void open(Path directory, Map<String, Object> configs) {
        RocksDB.loadLibrary();
        this.directory = directory;
        this.configs = configs;
        deleteRecursively(directory);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ProcessorStateException("cannot create " + directory, e);
        }
        writeOptions = new WriteOptions().setDisableWAL(true);
        open = true;
    }

    @Override
    public void add(long bucket, long fingerprint, int chunk) {
        Bucket held = bucket(bucket);
        byte[] key = key(fingerprint);
        if (contains(held.get(key), chunk)) {
            return;
        }
        held.merge(writeOptions, key, chunkBytes(chunk));
        held.pairs++;
    }

    /**
     * Files the fingerprints of one chunk in one write batch, without reading: the caller files a
     * chunk once, with each fingerprint once ({@link SeenEventIds} does). A pair filed twice all
     * the same is returned twice by {@link #chunksOf} and costs one more chunk read, no more.
     */
    @Override
    public void addAll(long bucket, long[] fingerprints, int count, int chunk) {
        if (count == 0) {
            return;
        }
        Bucket held = bucket(bucket);
        byte[] value = chunkBytes(chunk);
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < count; i++) {
                batch.merge(key(fingerprints[i]), value);
            }
            held.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("batching writes to " + held.path, e);
        }
        held.pairs += count;
    }

    @Override
    public int[] chunksOf(long bucket, long fingerprint) {
        Bucket held = buckets.get(bucket);
        byte[] value = held == null ? null : held.get(key(fingerprint));
        if (value == null) {
            return NONE;
        }
        int[] chunks = new int[value.length / Integer.BYTES];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = getInt(value, i * Integer.BYTES);
        }
        return chunks;
    }

    private Bucket bucket(long bucket) {
        Bucket held = buckets.get(bucket);
        if (held == null) {
            held = Bucket.open(name, bucket, directory.resolve(Long.toString(bucket)), configs);
            buckets.put(bucket, held);
        }
        return held;
    }

    private static byte[] chunkBytes(int chunk) {
        byte[] value = new byte[Integer.BYTES];
        putInt(value, 0, chunk);
        return value;
    }

    @Override
    public void dropBefore(long oldestBucket) {
        Map<Long, Bucket> old = buckets.headMap(oldestBucket);
        if (!old.isEmpty()) {
            old.values().forEach(Bucket::drop);
            old.clear();
        }
    }

    @Override
    public long size() {
        long pairs = 0;
        for (Bucket bucket : buckets.values()) {
            pairs += bucket.pairs;
        }
        return pairs;
    }

    /** Buckets (databases) open now. */
    int buckets() {
        return buckets.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        buckets.values().forEach(Bucket::drop);
        buckets.clear();
        if (writeOptions != null) {
            writeOptions.close();
            writeOptions = null;
        }
        // Nothing in it outlives this life (the next open empties it): give the disk back now.
        if (directory != null) {
            deleteRecursively(directory);
        }
        open = false;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private static boolean contains(byte[] value, int chunk) {
        if (value != null) {
            for (int at = 0; at < value.length; at += Integer.BYTES) {
                if (getInt(value, at) == chunk) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] key(long fingerprint) {
        byte[] key = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            key[i] = (byte) (fingerprint >>> (56 - 8 * i));
        }
        return key;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static int getInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** The database of one arrival bucket, with what it was opened with. */
    private static final class Bucket {
        private final String storeName;
        private final Path path;
        private final RocksDB db;
        private final Options options;
        private final BloomFilter filter;
        private final StringAppendOperator append;
        private final RocksDBConfigSetter setter;
        long pairs;

        private Bucket(String storeName, Path path, RocksDB db, Options options, BloomFilter filter,
                       StringAppendOperator append, RocksDBConfigSetter setter) {
            this.storeName = storeName;
            this.path = path;
            this.db = db;
            this.options = options;
            this.filter = filter;
            this.append = append;
            this.setter = setter;
        }

        static Bucket open(String storeName, long bucket, Path path, Map<String, Object> configs) {
            BloomFilter filter = new BloomFilter(10, false);
            BlockBasedTableConfig table = new BlockBasedTableConfig();
            // Nearly every lookup is of a new id: the filter answers it without reading a data block.
            table.setFilterPolicy(filter);
            // Partitioned: a lookup needs one 4 KiB filter (and index) partition, not the whole
            // filter of a file. Whole filters of the large files compaction makes (2-3 MiB each
            // at a few million ids) did not stay in a shared 256 MiB cache: in the first 20 M-id
            // run the stream threads read about 3.5 MB from the page cache per read call and had
            // not finished after 8 minutes, where the short run's rate would have taken 3
            // (BENCHMARKS.md).
            table.setIndexType(IndexType.kTwoLevelIndexSearch);
            table.setPartitionFilters(true);
            table.setMetadataBlockSize(4096);
            Options options = new Options()
                    .setCreateIfMissing(true)
                    // Fingerprints are random: nothing to compress.
                    .setCompressionType(CompressionType.NO_COMPRESSION)
                    .setTableFormatConfig(table);
            String dbName = storeName + "." + bucket;
            RocksDBConfigSetter setter = configSetter(configs);
            if (setter != null) {
                setter.setConfig(dbName, options, configs);
            }
            // After the setter, which knows nothing of this store's values: an empty delimiter
            // keeps the value a plain array of 4-byte chunk numbers.
            StringAppendOperator append = new StringAppendOperator("");
            options.setMergeOperator(append);
            try {
                return new Bucket(storeName, path, RocksDB.open(options, path.toString()), options, filter, append,
                        setter);
            } catch (RocksDBException e) {
                if (setter != null) {
                    setter.close(dbName, options);
                }
                options.close();
                append.close();
                filter.close();
                throw new ProcessorStateException("cannot open " + path, e);
            }
        }

        byte[] get(byte[] key) {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw new ProcessorStateException("reading " + path, e);
            }
        }

        void merge(WriteOptions writeOptions, byte[] key, byte[] value) {
            try {
                db.merge(writeOptions, key, value);
            } catch (RocksDBException e) {
                throw new ProcessorStateException("writing " + path, e);
            }
        }

        void write(WriteOptions writeOptions, WriteBatch batch) throws RocksDBException {
            db.write(writeOptions, batch);
        }

        /** Closes the database and deletes its files. */
        void drop() {
            db.close();
            if (setter != null) {
                setter.close(storeName + "." + path.getFileName(), options);
            }
            options.close();
            append.close();
            filter.close();
            deleteRecursively(path);
        }

        /** The instance's {@code rocksdb.config.setter}, as Kafka Streams makes one per store; null when none. */
        private static RocksDBConfigSetter configSetter(Map<String, Object> configs) {
            Object setting = configs.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
            if (setting == null) {
                return null;
            }
            try {
                Class<?> type = setting instanceof Class<?> c ? c : Class.forName(setting.toString().trim());
                return (RocksDBConfigSetter) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new ProcessorStateException("cannot make the rocksdb.config.setter " + setting, e);
            }
        }
    }
}
