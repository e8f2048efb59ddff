package id.audit.tokenid.app.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** A {@link SeenIdIndex} in plain maps, for tests of {@link SeenEventIds} that need no RocksDB. */
final class HeapSeenIdIndex implements SeenIdIndex {

    private final TreeMap<Long, Map<Long, int[]>> buckets = new TreeMap<>();
    private long size;

    @Override
    public void add(long bucket, long fingerprint, int chunk) {
        Map<Long, int[]> prints = buckets.computeIfAbsent(bucket, b -> new HashMap<>());
        int[] chunks = prints.getOrDefault(fingerprint, new int[0]);
        for (int filed : chunks) {
            if (filed == chunk) {
                return;
            }
        }
        int[] more = java.util.Arrays.copyOf(chunks, chunks.length + 1);
        more[chunks.length] = chunk;
        prints.put(fingerprint, more);
        size++;
    }

    @Override
    public int[] chunksOf(long bucket, long fingerprint) {
        Map<Long, int[]> prints = buckets.get(bucket);
        return prints == null ? new int[0] : prints.getOrDefault(fingerprint, new int[0]).clone();
    }

    @Override
    public void dropBefore(long oldestBucket) {
        Map<Long, Map<Long, int[]>> old = buckets.headMap(oldestBucket);
        old.values().forEach(prints -> prints.values().forEach(chunks -> size -= chunks.length));
        old.clear();
    }

    @Override
    public long size() {
        return size;
    }
}
