package id.audit.tokenid.app.topology;

/**
 * Per arrival bucket: which chunks ({@link SeenIdChunk}) each seen event id was filed in, by a
 * 64-bit fingerprint of its key. A new id (nearly every event) is answered here with no chunk
 * read. A fingerprint match is only a candidate: the caller confirms it against the chunk, which
 * holds the full key, so a collision or a stale entry costs one chunk read and never drops an
 * event. The one thing an index must never do is miss: a fingerprint filed under a chunk must be
 * returned for that chunk until its bucket is dropped, or a repeat would be counted again.
 *
 * <p>In the topology this is {@link RocksDbSeenIdIndex}, on disk, behind {@link
 * BloomFilteredSeenIdIndex}, which answers most lookups of new ids from a filter in the heap.
 */
interface SeenIdIndex {

    /** Files a fingerprint under a chunk of a bucket; filing the same pair again changes nothing. */
    void add(long bucket, long fingerprint, int chunk);

    /**
     * Files the first {@code count} fingerprints under one chunk: how a chunk's ids are filed
     * when the chunk is written (or read back at load). The caller files a chunk once and each
     * of its fingerprints once; an implementation may then skip the check for a pair filed before.
     */
    default void addAll(long bucket, long[] fingerprints, int count, int chunk) {
        for (int i = 0; i < count; i++) {
            add(bucket, fingerprints[i], chunk);
        }
    }

    /** Every chunk of the bucket the fingerprint was filed under (maybe more); empty when none. */
    int[] chunksOf(long bucket, long fingerprint);

    /** Forgets buckets older than {@code oldestBucket}: the dedup no longer looks in them. */
    void dropBefore(long oldestBucket);

    /** Distinct (fingerprint, chunk) pairs filed, over all buckets held. */
    long size();

    /** 64-bit FNV-1a over the bytes, then a murmur3 finaliser to spread the bits. */
    static long fingerprint(byte[] bytes, int offset, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = offset; i < offset + length; i++) {
            h ^= bytes[i];
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
