package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;

class RocksDbSeenIdIndexTest {

    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;
    private RocksDbSeenIdIndex index;

    @AfterEach
    void close() {
        if (index != null) {
            index.close();
        }
    }

    private RocksDbSeenIdIndex open(Map<String, Object> configs) {
        index = new RocksDbSeenIdIndex("seen-event-id-index");
        index.open(dir.resolve("index"), configs);
        return index;
    }

    private static long print(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return SeenIdIndex.fingerprint(bytes, 0, bytes.length);
    }

    @Test
    void findsEveryFiledFingerprintAndNoneOfTheOthers() {
        RocksDbSeenIdIndex index = open(Map.of());
        for (int i = 0; i < 200_000; i++) {
            index.add(HOUR, print("ev-" + i), i / 100);
        }

        for (int i = 0; i < 200_000; i++) {
            assertThat(index.chunksOf(HOUR, print("ev-" + i))).containsExactly(i / 100);
        }
        int candidates = 0;
        for (int i = 200_000; i < 400_000; i++) {
            candidates += index.chunksOf(HOUR, print("ev-" + i)).length;
        }
        assertThat(candidates).isZero();
        assertThat(index.chunksOf(0L, print("ev-1"))).isEmpty();
        assertThat(index.size()).isEqualTo(200_000);
    }

    @Test
    void returnsEveryChunkAFingerprintWasFiledUnderAndFilesAPairOnce() {
        RocksDbSeenIdIndex index = open(Map.of());
        index.add(0L, 0L, 4);
        index.add(0L, -1L, 5);
        index.add(0L, 42L, 6);
        index.chunksOf(0L, 7L); // a lookup of another fingerprint in between
        index.add(0L, 42L, 9);
        index.add(0L, 42L, 6);

        assertThat(index.chunksOf(0L, 0L)).containsExactly(4);
        assertThat(index.chunksOf(0L, -1L)).containsExactly(5);
        assertThat(index.chunksOf(0L, 42L)).containsExactly(6, 9);
        assertThat(index.chunksOf(0L, 43L)).isEmpty();
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void filesAChunkAtOnceAlongsideIdsFiledOneByOne() {
        RocksDbSeenIdIndex index = open(Map.of());
        index.addAll(HOUR, new long[] {1L, 2L, 3L, 99L}, 3, 0); // only the first three count
        index.addAll(HOUR, new long[] {2L, 3L, 4L}, 3, 1);
        index.add(HOUR, 3L, 2);
        index.add(HOUR, 3L, 1); // filed by the batch already: changes nothing
        index.addAll(HOUR, new long[] {3L}, 1, 5);
        index.addAll(HOUR, new long[0], 0, 6);

        assertThat(index.chunksOf(HOUR, 1L)).containsExactly(0);
        assertThat(index.chunksOf(HOUR, 2L)).containsExactly(0, 1);
        assertThat(index.chunksOf(HOUR, 3L)).containsExactly(0, 1, 2, 5);
        assertThat(index.chunksOf(HOUR, 4L)).containsExactly(1);
        assertThat(index.chunksOf(HOUR, 99L)).isEmpty();
        assertThat(index.chunksOf(0L, 1L)).isEmpty();
        assertThat(index.size()).isEqualTo(8);
    }

    @Test
    void dropsBucketsOlderThanAskedWithTheirFiles() throws Exception {
        RocksDbSeenIdIndex index = open(Map.of());
        index.add(0L, 7L, 0);
        index.add(HOUR, 7L, 1);
        index.add(2 * HOUR, 7L, 2);

        index.dropBefore(HOUR);

        assertThat(index.buckets()).isEqualTo(2);
        assertThat(index.chunksOf(0L, 7L)).isEmpty();
        assertThat(index.chunksOf(HOUR, 7L)).containsExactly(1);
        assertThat(index.size()).isEqualTo(2);
        try (var files = Files.list(dir.resolve("index"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                    Long.toString(HOUR), Long.toString(2 * HOUR));
        }
    }

    @Test
    void opensEmptyWhateverAPreviousLifeLeft() {
        RocksDbSeenIdIndex first = open(Map.of());
        first.add(HOUR, 7L, 3);
        // A crash: the process goes without closing anything; the next life opens the same directory.
        RocksDbSeenIdIndex second = new RocksDbSeenIdIndex("seen-event-id-index");
        first.dropBefore(Long.MAX_VALUE); // releases RocksDB's lock on the directory, as the dead process would
        second.open(dir.resolve("index"), Map.of());
        index = second;

        assertThat(second.chunksOf(HOUR, 7L)).isEmpty();
        assertThat(second.size()).isZero();
    }

    @Test
    void configuresEachBucketWithTheInstancesConfigSetterAndClosesIt() {
        CountingSetter.open.set(0);
        RocksDbSeenIdIndex index = open(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CountingSetter.class));
        index.add(0L, 7L, 0);
        index.add(HOUR, 7L, 0);
        assertThat(CountingSetter.open).hasValue(2);

        index.dropBefore(HOUR);
        assertThat(CountingSetter.open).hasValue(1);
        index.close();
        this.index = null;
        assertThat(CountingSetter.open).hasValue(0);
    }

    public static final class CountingSetter implements RocksDBConfigSetter {
        static final AtomicInteger open = new AtomicInteger();

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            open.incrementAndGet();
        }

        @Override
        public void close(String storeName, Options options) {
            open.decrementAndGet();
        }
    }
}
