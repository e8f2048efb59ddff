package id.audit.tokenid.app.topology;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;

/**
 * An in-memory Bloom filter per arrival bucket over the keys of the seen-ids store, so that an
 * event id never seen before (nearly every event) costs no store read. It may answer "maybe"
 * for a key that is not there (then the store decides); it never answers "no" for a key that
 * is, because every put adds to it and {@link AggregateProcessor#init} fills it from the store,
 * which holds exactly the committed ids after a restart, restore or crash.
 *
 * <p>Fixed size: {@value #BITS_PER_BUCKET} bits per bucket (1 MiB). Up to about half a million
 * ids per bucket and task it answers "maybe" for under 0.1% of new ids; beyond, more reads go to
 * the store, and nothing else changes.
 */
final class SeenIdFilter {

    static final int BITS_PER_BUCKET = 1 << 23;
    private static final int PROBES = 6;

    private final TreeMap<Long, long[]> bitsByBucket = new TreeMap<>();

    boolean mightContain(long bucket, Bytes key) {
        long[] bits = bitsByBucket.get(bucket);
        if (bits == null) {
            return false;
        }
        long hash = hash(key.get());
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        for (int i = 0; i < PROBES; i++) {
            int bit = (h1 + i * h2) & (BITS_PER_BUCKET - 1);
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    void add(long bucket, Bytes key) {
        long[] bits = bitsByBucket.computeIfAbsent(bucket, b -> new long[BITS_PER_BUCKET / Long.SIZE]);
        long hash = hash(key.get());
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        for (int i = 0; i < PROBES; i++) {
            int bit = (h1 + i * h2) & (BITS_PER_BUCKET - 1);
            bits[bit >>> 6] |= 1L << bit;
        }
    }

    /** Forgets buckets older than {@code oldestBucket}: the store no longer reads them either. */
    void dropBefore(long oldestBucket) {
        Iterator<Map.Entry<Long, long[]>> it = bitsByBucket.headMap(oldestBucket).entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int buckets() {
        return bitsByBucket.size();
    }

    /** 64-bit FNV-1a over the bytes, then a murmur3 finaliser to spread the bits. */
    static long hash(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b;
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
