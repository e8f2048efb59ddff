package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BloomFilteredSeenIdIndexTest {

    private static final long HOUR = 3_600_000L;
    /** What the fake delegate answers to every lookup: tells a lookup that passed the filter from one that did not. */
    private static final int[] ASKED = {42};

    /** Files nothing, answers {@link #ASKED} to every lookup and counts what it is asked. */
    private static final class CountingDelegate implements SeenIdIndex {
        long lookups;
        long filed;
        final List<Long> dropped = new ArrayList<>();
        final List<String> batches = new ArrayList<>();

        @Override
        public void add(long bucket, long fingerprint, int chunk) {
            filed++;
        }

        @Override
        public void addAll(long bucket, long[] fingerprints, int count, int chunk) {
            batches.add(bucket + "/" + chunk + ":" + count);
            filed += count;
        }

        @Override
        public int[] chunksOf(long bucket, long fingerprint) {
            lookups++;
            return ASKED;
        }

        @Override
        public void dropBefore(long oldestBucket) {
            dropped.add(oldestBucket);
        }

        @Override
        public long size() {
            return filed;
        }
    }

    /** Files the fingerprints in chunks of 270, as SeenEventIds does, across the buckets in turn. */
    private static void fileInChunks(SeenIdIndex index, long[] prints, long... buckets) {
        long[] chunk = new long[300];
        int chunkNumber = 0;
        for (int from = 0; from < prints.length; from += 270, chunkNumber++) {
            int count = Math.min(270, prints.length - from);
            System.arraycopy(prints, from, chunk, 0, count);
            // Stale values past count: the index must file the first count only.
            index.addAll(buckets[chunkNumber % buckets.length], chunk, count, chunkNumber);
        }
    }

    private static long[] randomPrints(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] prints = new long[count];
        for (int i = 0; i < count; i++) {
            prints[i] = random.nextLong();
        }
        return prints;
    }

    @Test
    void neverMissesAnyOfAMillionFingerprintsFiledAcrossBuckets() {
        CountingDelegate delegate = new CountingDelegate();
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(delegate);
        long[] batched = randomPrints(1, 1_000_000);
        long[] single = randomPrints(2, 10_000);

        fileInChunks(index, batched, 0, HOUR, 2 * HOUR);
        for (int i = 0; i < single.length; i++) {
            index.add(HOUR, single[i], 7);
        }

        for (int i = 0; i < batched.length; i++) {
            long bucket = (i / 270 % 3) * HOUR;
            assertThat(index.chunksOf(bucket, batched[i])).isSameAs(ASKED);
        }
        for (long print : single) {
            assertThat(index.chunksOf(HOUR, print)).isSameAs(ASKED);
        }
        assertThat(delegate.filed).isEqualTo(1_010_000);
        assertThat(index.size()).isEqualTo(1_010_000);
    }

    @Test
    void answersMostFingerprintsNeverFiledWithoutAskingTheDelegate() {
        CountingDelegate delegate = new CountingDelegate();
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(delegate);
        // Two million ids in each of the two buckets the dedup looks in: the design size.
        fileInChunks(index, randomPrints(3, 2_000_000), HOUR);
        fileInChunks(index, randomPrints(4, 2_000_000), 2 * HOUR);
        long[] neverFiled = randomPrints(5, 1_000_000);

        int answeredEmpty = 0;
        for (long print : neverFiled) {
            if (index.chunksOf(HOUR, print).length == 0 && index.chunksOf(2 * HOUR, print).length == 0) {
                answeredEmpty++;
            }
        }

        // Expected about 2.7% per bucket at this fill (FingerprintBloomFilter#falsePositiveRate).
        assertThat(delegate.lookups).isLessThan(2 * 40_000);
        assertThat(answeredEmpty).isGreaterThan(930_000);
        assertThat(index.worstFalsePositiveRate()).isBetween(0.02, 0.035);
        assertThat(index.filterBytes()).isEqualTo(2 * 2 * 1024 * 1024);
    }

    @Test
    void neverMissesWhenFilledFarBeyondItsSize() {
        CountingDelegate delegate = new CountingDelegate();
        // 1,024 bits, filled with 100,000 fingerprints: nearly every bit set.
        BloomFilteredSeenIdIndex index = new BloomFilteredSeenIdIndex(delegate, 10, 3, 3);
        long[] prints = randomPrints(6, 100_000);

        fileInChunks(index, prints, HOUR);

        for (long print : prints) {
            assertThat(index.chunksOf(HOUR, print)).isSameAs(ASKED);
        }
        assertThat(index.worstFalsePositiveRate()).isGreaterThan(0.99);
        assertThat(index.filterBytes()).isEqualTo(1024 / 8);
    }

    @Test
    void filesTheFirstCountFingerprintsOfAChunkAndPassesTheBatchOn() {
        CountingDelegate delegate = new CountingDelegate();
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(delegate);
        long[] chunk = {print("acme/e1"), print("acme/e2"), print("acme/e3"), print("acme/not-in-the-chunk")};

        index.addAll(HOUR, chunk, 3, 5);
        index.addAll(HOUR, chunk, 0, 6);

        assertThat(delegate.batches).containsExactly(HOUR + "/5:3", HOUR + "/6:0");
        assertThat(index.chunksOf(HOUR, chunk[0])).isSameAs(ASKED);
        assertThat(index.chunksOf(HOUR, chunk[1])).isSameAs(ASKED);
        assertThat(index.chunksOf(HOUR, chunk[2])).isSameAs(ASKED);
        // Three fingerprints in 16 M bits: another one passing would be a one-in-10^17 chance.
        assertThat(index.chunksOf(HOUR, chunk[3])).isEmpty();
        assertThat(delegate.lookups).isEqualTo(3);
    }

    @Test
    void dropBeforeReleasesTheFiltersOfOlderBuckets() {
        CountingDelegate delegate = new CountingDelegate();
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(delegate);
        long print = print("acme/e1");
        index.add(0, print, 0);
        index.add(HOUR, print, 0);
        index.add(2 * HOUR, print, 0);

        index.dropBefore(2 * HOUR);

        assertThat(index.filteredBuckets()).isEqualTo(1);
        assertThat(index.filterBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(delegate.dropped).containsExactly(2 * HOUR);
        assertThat(index.chunksOf(2 * HOUR, print)).isSameAs(ASKED);
        assertThat(index.chunksOf(2 * HOUR, print("acme/e2"))).isEmpty();
        // A dropped bucket has no filter left: what the delegate says goes (it dropped it too).
        assertThat(index.chunksOf(0, print("acme/e2"))).isSameAs(ASKED);
    }

    @Test
    void holdsAtMostItsLimitOfFiltersAndStillMissesNothingBeyondIt() {
        CountingDelegate delegate = new CountingDelegate();
        BloomFilteredSeenIdIndex index = BloomFilteredSeenIdIndex.over(delegate);
        long[][] prints = new long[5][];
        long[] buckets = {HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 0};
        for (int i = 0; i < buckets.length; i++) {
            prints[i] = randomPrints(10 + i, 10_000);
            // Interleaved: the first bucket is filed again after it has lost its filter.
            fileInChunks(index, prints[i], buckets[i]);
            fileInChunks(index, randomPrints(20 + i, 1_000), HOUR);
        }

        assertThat(index.filteredBuckets()).isEqualTo(BloomFilteredSeenIdIndex.MAX_FILTERED_BUCKETS);
        assertThat(index.filterBytes()).isEqualTo(3 * 2 * 1024 * 1024);
        for (int i = 0; i < buckets.length; i++) {
            for (long print : prints[i]) {
                assertThat(index.chunksOf(buckets[i], print)).isSameAs(ASKED);
            }
        }
        for (int i = 0; i < buckets.length; i++) {
            for (long print : randomPrints(20 + i, 1_000)) {
                assertThat(index.chunksOf(HOUR, print)).isSameAs(ASKED);
            }
        }
        // The three newest keep their filters; the oldest and the one filed older than them ask the delegate.
        long never = print("acme/never");
        assertThat(index.chunksOf(4 * HOUR, never)).isEmpty();
        assertThat(index.chunksOf(3 * HOUR, never)).isEmpty();
        assertThat(index.chunksOf(2 * HOUR, never)).isEmpty();
        assertThat(index.chunksOf(HOUR, never)).isSameAs(ASKED);
        assertThat(index.chunksOf(0, never)).isSameAs(ASKED);
    }

    @Test
    void keepsTheDedupExactAfterARebuildThroughTheFilter() {
        MapChunkStore store = new MapChunkStore();
        long now = 100 * HOUR + 600_000L;
        SeenEventIds first = new SeenEventIds(store, BloomFilteredSeenIdIndex.over(new HeapSeenIdIndex()), HOUR);
        for (int i = 0; i < 5_000; i++) {
            first.add(first.id(StoreKeys.eventId("acme", "e" + i).get()), now, i < 2_500 ? now - HOUR : now);
        }
        first.writePending();

        BloomFilteredSeenIdIndex rebuilt = BloomFilteredSeenIdIndex.over(new HeapSeenIdIndex());
        SeenEventIds restarted = new SeenEventIds(store, rebuilt, HOUR);
        restarted.load();

        assertThat(rebuilt.filteredBuckets()).isEqualTo(2);
        for (int i = 0; i < 5_000; i++) {
            assertThat(restarted.seen(restarted.id(StoreKeys.eventId("acme", "e" + i).get()), now, now)).isTrue();
        }
        assertThat(restarted.seen(restarted.id(StoreKeys.eventId("acme", "e5000").get()), now, now)).isFalse();
    }

    private static long print(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return SeenIdIndex.fingerprint(bytes, 0, bytes.length);
    }
}
