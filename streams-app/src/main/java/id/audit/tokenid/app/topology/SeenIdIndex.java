package id.audit.tokenid.app.topology;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * In memory, per arrival bucket: which chunk ({@link SeenIdChunk}) each seen event id was filed
 * in, by a 64-bit fingerprint of its key. A new id (nearly every event) is answered here with no
 * store read. A fingerprint match is only a candidate: the caller confirms it against the chunk,
 * which holds the full key, so a collision costs one chunk read and never drops an event.
 *
 * <p>Open addressing (linear probing, at most 70% full): a long and an int per slot, so 17 to
 * 34 bytes per id held, for the ids of the two arrival buckets the dedup looks in.
 */
final class SeenIdIndex {

    private static final int[] NONE = new int[0];

    private final TreeMap<Long, Table> tables = new TreeMap<>();
    private long size;

    /** Files a fingerprint under a chunk of a bucket. The same fingerprint may be filed again. */
    void add(long bucket, long fingerprint, int chunk) {
        tables.computeIfAbsent(bucket, b -> new Table()).add(fingerprint, chunk);
        size++;
    }

    /** The chunks of the bucket that may hold the key of this fingerprint; empty when none. */
    int[] chunksOf(long bucket, long fingerprint) {
        Table table = tables.get(bucket);
        return table == null ? NONE : table.chunksOf(fingerprint);
    }

    /** The number the next chunk of the bucket gets: one past the highest filed. */
    int nextChunk(long bucket) {
        Table table = tables.get(bucket);
        return table == null ? 0 : table.nextChunk;
    }

    /** Keeps the next chunk number of a bucket past {@code chunk}, even before any id is filed. */
    void reserve(long bucket, int chunk) {
        Table table = tables.computeIfAbsent(bucket, b -> new Table());
        table.nextChunk = Math.max(table.nextChunk, chunk + 1);
    }

    /** Forgets buckets older than {@code oldestBucket}: the dedup no longer looks in them. */
    void dropBefore(long oldestBucket) {
        Map<Long, Table> old = tables.headMap(oldestBucket);
        for (Table table : old.values()) {
            size -= table.size;
        }
        old.clear();
    }

    /** Fingerprints filed, over all buckets held. */
    long size() {
        return size;
    }

    int buckets() {
        return tables.size();
    }

    private static final class Table {
        // 0 marks an empty slot; a fingerprint of 0 is filed as 1.
        private long[] fingerprints = new long[1024];
        private int[] chunks = new int[1024];
        private int size;
        private int nextChunk;

        void add(long fingerprint, int chunk) {
            if ((size + 1) * 10L > fingerprints.length * 7L) {
                grow();
            }
            put(nonZero(fingerprint), chunk);
            size++;
            nextChunk = Math.max(nextChunk, chunk + 1);
        }

        int[] chunksOf(long fingerprint) {
            long wanted = nonZero(fingerprint);
            int mask = fingerprints.length - 1;
            int[] found = NONE;
            for (int slot = (int) wanted & mask; fingerprints[slot] != 0; slot = (slot + 1) & mask) {
                if (fingerprints[slot] == wanted) {
                    found = Arrays.copyOf(found, found.length + 1);
                    found[found.length - 1] = chunks[slot];
                }
            }
            return found;
        }

        private void put(long fingerprint, int chunk) {
            int mask = fingerprints.length - 1;
            int slot = (int) fingerprint & mask;
            while (fingerprints[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            fingerprints[slot] = fingerprint;
            chunks[slot] = chunk;
        }

        private void grow() {
            long[] oldFingerprints = fingerprints;
            int[] oldChunks = chunks;
            fingerprints = new long[oldFingerprints.length * 2];
            chunks = new int[oldChunks.length * 2];
            for (int i = 0; i < oldFingerprints.length; i++) {
                if (oldFingerprints[i] != 0) {
                    put(oldFingerprints[i], oldChunks[i]);
                }
            }
        }

        private static long nonZero(long fingerprint) {
            return fingerprint == 0 ? 1 : fingerprint;
        }
    }

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
