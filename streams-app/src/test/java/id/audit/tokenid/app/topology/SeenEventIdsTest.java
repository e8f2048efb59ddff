package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeenEventIdsTest {

    private static final long HOUR = 3_600_000L;
    private static final long NOW = 100 * HOUR + 10 * 60_000L;

    private static byte[] key(String org, String id) {
        return StoreKeys.eventId(org, id).get();
    }

    @Test
    void findsARepeatWithinTheWindowBeforeAndAfterTheCommit() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds seen = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        seen.add(seen.id(key("acme", "e1")), NOW, NOW);

        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW + HOUR, NOW + 1)).isTrue();
        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW + HOUR + 1, NOW + 1)).isFalse();
        assertThat(seen.seen(seen.id(key("acme", "e2")), NOW, NOW + 1)).isFalse();
        assertThat(seen.seen(seen.id(key("acme-other", "e1")), NOW, NOW + 1)).isFalse();
        assertThat(store.puts).isEmpty();

        seen.writePending();

        assertThat(store.puts).hasSize(1);
        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW - HOUR, NOW + 2)).isTrue();
        // The next arrival bucket still looks in this one; the one after no longer does.
        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW, NOW + HOUR)).isTrue();
        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW, NOW + 2 * HOUR)).isFalse();
    }

    /** Counts the index writes, as single ids and as whole chunks. */
    private static final class CountingIndex implements SeenIdIndex {
        final HeapSeenIdIndex heap = new HeapSeenIdIndex();
        int singles;
        final List<Integer> batches = new ArrayList<>();

        @Override
        public void add(long bucket, long fingerprint, int chunk) {
            singles++;
            heap.add(bucket, fingerprint, chunk);
        }

        @Override
        public void addAll(long bucket, long[] fingerprints, int count, int chunk) {
            batches.add(count);
            for (int i = 0; i < count; i++) {
                heap.add(bucket, fingerprints[i], chunk);
            }
        }

        @Override
        public int[] chunksOf(long bucket, long fingerprint) {
            return heap.chunksOf(bucket, fingerprint);
        }

        @Override
        public void dropBefore(long oldestBucket) {
            heap.dropBefore(oldestBucket);
        }

        @Override
        public long size() {
            return heap.size();
        }
    }

    @Test
    void filesAChunksIdsInTheIndexAtOnceWhenTheChunkIsWrittenAndFindsThemBefore() {
        MapChunkStore store = new MapChunkStore();
        CountingIndex index = new CountingIndex();
        SeenEventIds seen = new SeenEventIds(store, index, HOUR);
        int ids = 1_000; // about 60 bytes each: 3 full chunks and a partial one
        for (int i = 0; i < ids; i++) {
            seen.add(seen.id(key("acme", "event-" + String.format("%040d", i))), NOW, NOW);
        }
        // The same id again, for another event time: a second entry of the chunk, not a second fingerprint.
        seen.add(seen.id(key("acme", "event-" + String.format("%040d", ids - 1))), NOW + 3 * HOUR, NOW);
        List<Integer> beforeCommit = List.copyOf(index.batches);
        long indexedBeforeCommit = index.size();
        boolean foundWhileFilling = seen.seen(seen.id(key("acme", "event-" + String.format("%040d", ids - 1))),
                NOW + 3 * HOUR, NOW);

        seen.writePending();

        assertThat(beforeCommit).hasSize(3);
        assertThat(indexedBeforeCommit).isEqualTo(beforeCommit.stream().mapToInt(Integer::intValue).sum())
                .isLessThan(ids);
        assertThat(foundWhileFilling).isTrue();
        assertThat(index.singles).isZero();
        assertThat(index.batches).hasSize(4);
        assertThat(index.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ids);
        assertThat(index.size()).isEqualTo(ids);
        for (int i = 0; i < ids; i++) {
            assertThat(seen.seen(seen.id(key("acme", "event-" + String.format("%040d", i))), NOW, NOW)).isTrue();
        }
    }

    @Test
    void staysExactWhenEveryFingerprintCollides() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds seen = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR, (bytes, offset, length) -> 7L);
        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.seen(seen.id(key("acme", "e" + i)), NOW, NOW)).isFalse();
            seen.add(seen.id(key("acme", "e" + i)), NOW, NOW);
            if (i % 500 == 0) {
                seen.writePending();
            }
        }

        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.seen(seen.id(key("acme", "e" + i)), NOW, NOW)).isTrue();
        }
        assertThat(seen.seen(seen.id(key("acme", "e2000")), NOW, NOW)).isFalse();
        assertThat(seen.seen(seen.id(key("acme", "e1")), NOW + 2 * HOUR, NOW)).isFalse();
    }

    @Test
    void writesAChunkWhenItIsFullAndTheRestAtTheCommit() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds seen = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        int ids = 1_000; // about 60 bytes each: 3 full chunks and a partial one
        for (int i = 0; i < ids; i++) {
            seen.add(seen.id(key("acme", "event-" + String.format("%040d", i))), NOW, NOW);
        }
        int written = store.puts.size();
        seen.writePending();

        assertThat(written).isEqualTo(3);
        assertThat(store.puts).hasSize(4).doesNotHaveDuplicates();
        SeenEventIds reloaded = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        reloaded.load();
        assertThat(reloaded.indexedIds()).isEqualTo(ids);
        for (int i = 0; i < ids; i++) {
            assertThat(reloaded.seen(reloaded.id(key("acme", "event-" + String.format("%040d", i))), NOW, NOW)).isTrue();
        }
    }

    @Test
    void forgetsWhatWasDiscardedAndNeverReusesAStoredChunkNumber() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds seen = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        seen.add(seen.id(key("acme", "kept")), NOW, NOW);
        seen.writePending();
        seen.add(seen.id(key("acme", "discarded")), NOW, NOW);

        seen.discardPending();

        assertThat(seen.seen(seen.id(key("acme", "discarded")), NOW, NOW)).isFalse();
        assertThat(seen.seen(seen.id(key("acme", "kept")), NOW, NOW)).isTrue();
        // After a restart the numbering continues past what is stored.
        SeenEventIds restarted = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        restarted.load();
        restarted.add(restarted.id(key("acme", "after")), NOW, NOW);
        restarted.writePending();
        assertThat(store.chunks).hasSize(2);
        assertThat(restarted.seen(restarted.id(key("acme", "kept")), NOW, NOW)).isTrue();
        assertThat(restarted.seen(restarted.id(key("acme", "after")), NOW, NOW)).isTrue();
    }

    @Test
    void keepsEveryEventTimeOfAnIdCountedTwice() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds seen = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        seen.add(seen.id(key("acme", "e")), NOW, NOW);
        // Three hours apart in event time: counted again, and filed again.
        assertThat(seen.seen(seen.id(key("acme", "e")), NOW + 3 * HOUR, NOW)).isFalse();
        seen.add(seen.id(key("acme", "e")), NOW + 3 * HOUR, NOW);
        seen.writePending();

        assertThat(seen.seen(seen.id(key("acme", "e")), NOW + 30 * 60_000L, NOW)).isTrue();
        assertThat(seen.seen(seen.id(key("acme", "e")), NOW + 150 * 60_000L, NOW)).isTrue();
        assertThat(seen.seen(seen.id(key("acme", "e")), NOW + 90 * 60_000L, NOW)).isFalse(); // 90 min from both
        assertThat(seen.seen(seen.id(key("acme", "e")), NOW + 5 * HOUR, NOW)).isFalse();
    }

    @Test
    void staysExactOnRocksDbWhenEveryFingerprintCollidesAcrossARestart(@TempDir Path dir) {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds.Fingerprint same = (bytes, offset, length) -> 7L;
        RocksDbSeenIdIndex index = new RocksDbSeenIdIndex("seen-event-id-index");
        index.open(dir, Map.of());
        SeenEventIds seen = new SeenEventIds(store, index, HOUR, same);
        for (int i = 0; i < 1_000; i++) {
            seen.add(seen.id(key("acme", "e" + i)), NOW, NOW);
        }
        seen.writePending();
        seen.add(seen.id(key("acme", "discarded")), NOW, NOW);
        seen.discardPending();
        index.close();

        RocksDbSeenIdIndex reopened = new RocksDbSeenIdIndex("seen-event-id-index");
        reopened.open(dir, Map.of());
        SeenEventIds restarted = new SeenEventIds(store, reopened, HOUR, same);
        restarted.load();

        for (int i = 0; i < 1_000; i++) {
            assertThat(restarted.seen(restarted.id(key("acme", "e" + i)), NOW, NOW)).isTrue();
        }
        assertThat(restarted.seen(restarted.id(key("acme", "discarded")), NOW, NOW)).isFalse();
        assertThat(restarted.seen(restarted.id(key("acme", "e1")), NOW + 2 * HOUR, NOW)).isFalse();
        reopened.close();
    }

    @Test
    void anExtraIndexEntryCostsAChunkReadAndAMissingOneWouldCountARepeat() {
        MapChunkStore store = new MapChunkStore();
        SeenEventIds first = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        first.add(first.id(key("acme", "kept")), NOW, NOW);
        first.writePending();
        long bucket = NOW / HOUR * HOUR;

        // Extra: an entry of an id that no stored chunk holds, pointing at a chunk of other ids.
        HeapSeenIdIndex extra = new HeapSeenIdIndex();
        SeenEventIds withExtra = new SeenEventIds(store, extra, HOUR);
        withExtra.load();
        extra.add(bucket, withExtra.id(key("acme", "never")).fingerprint(), 0);
        assertThat(withExtra.seen(withExtra.id(key("acme", "never")), NOW, NOW)).isFalse();
        assertThat(withExtra.seen(withExtra.id(key("acme", "kept")), NOW, NOW)).isTrue();

        // Missing: an index that was not rebuilt from the chunks misses the stored id. This is
        // why every task start runs load() before the dedup answers.
        SeenEventIds notLoaded = new SeenEventIds(store, new HeapSeenIdIndex(), HOUR);
        assertThat(notLoaded.seen(notLoaded.id(key("acme", "kept")), NOW, NOW)).isFalse();
    }
}
