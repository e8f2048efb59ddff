package id.audit.tokenid.app.topology;

import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link SeenIdIndex} in front of another (in the topology, {@link RocksDbSeenIdIndex}) that
 * keeps, per arrival bucket, a {@link FingerprintBloomFilter} of fixed size in the heap over the
 * fingerprints filed through it, and answers a lookup the filter says was never filed with no
 * chunk, without asking the delegate. Nearly every event is new, and with the index on disk each
 * lookup was a RocksDB get through JNI per live bucket (a quarter of the stream thread's samples
 * in the ingest benchmark with dedup on); a filter check is a few reads of a heap array.
 *
 * <p>Never a miss: every fingerprint filed through {@link #add} or {@link #addAll} (the rebuild at
 * load too, {@link SeenEventIds#load}) is put in its bucket's filter before the delegate files it,
 * and a Bloom filter has no false negatives. So this must be created before the first filing
 * and see every one, as {@code AggregateProcessor} does (new, then the rebuild, at the first record); what the
 * delegate held before is not in the filters.
 *
 * <p>Heap, fixed whatever the rate × window: {@value #LOG2_BITS_PER_BUCKET} → 2^24 bits (2 MiB) per
 * bucket, allocated when a bucket is first filed and released by {@link #dropBefore}, for at most
 * {@value #MAX_FILTERED_BUCKETS} buckets: 6 MiB per task. The dedup looks in two buckets, the
 * current one and the one before ({@link SeenEventIds#seen}), and drops older ones when a new
 * bucket opens; a third is held only between a rebuild (the chunk store keeps
 * {@link TopologySettings#dedupRetention()} of arrivals, two windows: at most three buckets) and the first event of
 * the next bucket. Should a fourth be filed at once (a wall clock set back, say), the oldest filtered bucket gives up its filter and is
 * looked up in the delegate from then on, as is a bucket first filed older than all the filtered
 * ones: slower, never a miss.
 *
 * <p>Sized for 2 million ids per bucket and task (a 2-thread instance with 4 tasks counting
 * 8 million new ids an hour with the default one-hour window): 8.4 bits an id, and with
 * {@value #HASHES} bits an id about 2.7% of new ids still reach the delegate. Full beyond that,
 * the rate rises (7% at 3 million, 13% at 4 million, 44% at 8 million): more lookups reach
 * RocksDB, as every one did without the filter, and nothing is counted twice. Three bits an id
 * rather than the optimal six at the design size: nearly as good there (1.8% with six), better
 * when overfull, and one fewer random read a lookup.
 */
final class BloomFilteredSeenIdIndex implements SeenIdIndex {

    /** 2^24 bits = 2 MiB of heap per arrival bucket. */
    static final int LOG2_BITS_PER_BUCKET = 24;
    /** Bits set per fingerprint. */
    static final int HASHES = 3;
    /** Buckets with a filter at once: heap per task at most this × 2 MiB. */
    static final int MAX_FILTERED_BUCKETS = 3;

    private static final int[] NONE = new int[0];

    private final SeenIdIndex delegate;
    private final int log2Bits;
    private final int hashes;
    private final int maxFiltered;
    private final NavigableMap<Long, FingerprintBloomFilter> filters = new TreeMap<>();
    /** Buckets filed without a filter (beyond the limit): every lookup in them asks the delegate. */
    private final NavigableSet<Long> unfiltered = new TreeSet<>();

    BloomFilteredSeenIdIndex(SeenIdIndex delegate, int log2BitsPerBucket, int hashes, int maxFilteredBuckets) {
        if (maxFilteredBuckets < 1) {
            throw new IllegalArgumentException("maxFilteredBuckets must be at least 1, was " + maxFilteredBuckets);
        }
        this.delegate = delegate;
        this.log2Bits = log2BitsPerBucket;
        this.hashes = hashes;
        this.maxFiltered = maxFilteredBuckets;
        new FingerprintBloomFilter(6, hashes); // fails fast on a bad k, before the first bucket
    }

    /** The production sizes. */
    static BloomFilteredSeenIdIndex over(SeenIdIndex delegate) {
        return new BloomFilteredSeenIdIndex(delegate, LOG2_BITS_PER_BUCKET, HASHES, MAX_FILTERED_BUCKETS);
    }

    @Override
    public void add(long bucket, long fingerprint, int chunk) {
        FingerprintBloomFilter filter = filterFor(bucket);
        if (filter != null) {
            filter.put(fingerprint);
        }
        delegate.add(bucket, fingerprint, chunk);
    }

    @Override
    public void addAll(long bucket, long[] fingerprints, int count, int chunk) {
        FingerprintBloomFilter filter = filterFor(bucket);
        if (filter != null) {
            for (int i = 0; i < count; i++) {
                filter.put(fingerprints[i]);
            }
        }
        delegate.addAll(bucket, fingerprints, count, chunk);
    }

    @Override
    public int[] chunksOf(long bucket, long fingerprint) {
        FingerprintBloomFilter filter = filters.get(bucket);
        if (filter != null && !filter.mightContain(fingerprint)) {
            return NONE;
        }
        // Passed the filter, or a bucket without one (beyond the limit, or never filed here:
        // the delegate answers those cheaply, and may know of entries filed before this was made).
        return delegate.chunksOf(bucket, fingerprint);
    }

    @Override
    public void dropBefore(long oldestBucket) {
        filters.headMap(oldestBucket).clear();
        unfiltered.headSet(oldestBucket).clear();
        delegate.dropBefore(oldestBucket);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    /** Buckets with a filter now. */
    int filteredBuckets() {
        return filters.size();
    }

    /** The highest estimated false-positive rate over the buckets' filters; 0 without any. */
    double worstFalsePositiveRate() {
        double worst = 0;
        for (FingerprintBloomFilter filter : filters.values()) {
            worst = Math.max(worst, filter.falsePositiveRate());
        }
        return worst;
    }

    /** Heap held by the filters now. */
    long filterBytes() {
        long bytes = 0;
        for (FingerprintBloomFilter filter : filters.values()) {
            bytes += filter.bytes();
        }
        return bytes;
    }

    /**
     * The bucket's filter, made at its first filing; null for a bucket without one. A bucket
     * filed once without a filter never gets one: it would lack the fingerprints filed before.
     */
    private FingerprintBloomFilter filterFor(long bucket) {
        FingerprintBloomFilter filter = filters.get(bucket);
        if (filter != null || unfiltered.contains(bucket)) {
            return filter;
        }
        if (filters.size() >= maxFiltered) {
            long oldest = filters.firstKey();
            if (bucket < oldest) {
                unfiltered.add(bucket);
                return null;
            }
            // The newest buckets take the lookups of the events to come: keep their filters.
            filters.remove(oldest);
            unfiltered.add(oldest);
        }
        filter = new FingerprintBloomFilter(log2Bits, hashes);
        filters.put(bucket, filter);
        return filter;
    }
}
