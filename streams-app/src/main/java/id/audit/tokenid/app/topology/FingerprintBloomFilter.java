package id.audit.tokenid.app.topology;

/**
 * A Bloom filter of fixed size over 64-bit fingerprints ({@link SeenIdIndex#fingerprint}): it
 * answers "maybe filed" for every fingerprint {@link #put} into it, whatever the number put, and
 * "never filed" for most others. Its size never changes: filled beyond what it was sized for,
 * it answers "maybe" more often (the false-positive rate rises towards 1), never "never" for a
 * fingerprint it holds.
 *
 * <p>The fingerprints are already well mixed (FNV-1a and a murmur3 finaliser), so the bit
 * positions come from the fingerprint itself, by double hashing of its two halves (Kirsch and
 * Mitzenmacher, "Less hashing, same performance", the scheme of Guava's {@code BloomFilter}):
 * position i is {@code low + i * high} modulo the size, with the high half made odd so that, the
 * size being a power of two, the k positions differ.
 */
final class FingerprintBloomFilter {

    private final long[] words;
    private final long mask;
    private final int hashes;
    private long bitsSet;

    /**
     * @param log2Bits the size, 2^log2Bits bits (6..32: above 32 the positions would need more
     *                 than the low half of the fingerprint)
     * @param hashes   bits set per fingerprint, k
     */
    FingerprintBloomFilter(int log2Bits, int hashes) {
        if (log2Bits < 6 || log2Bits > 32) {
            throw new IllegalArgumentException("log2Bits must be 6..32, was " + log2Bits);
        }
        if (hashes < 1 || hashes > 16) {
            throw new IllegalArgumentException("hashes must be 1..16, was " + hashes);
        }
        this.words = new long[1 << (log2Bits - 6)];
        this.mask = (1L << log2Bits) - 1;
        this.hashes = hashes;
    }

    void put(long fingerprint) {
        long step = (fingerprint >>> 32) | 1;
        long position = fingerprint;
        for (int i = 0; i < hashes; i++) {
            long bit = position & mask;
            int word = (int) (bit >>> 6);
            long flag = 1L << bit;
            if ((words[word] & flag) == 0) {
                words[word] |= flag;
                bitsSet++;
            }
            position += step;
        }
    }

    /** False only if the fingerprint was never {@link #put}. */
    boolean mightContain(long fingerprint) {
        long step = (fingerprint >>> 32) | 1;
        long position = fingerprint;
        for (int i = 0; i < hashes; i++) {
            long bit = position & mask;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            position += step;
        }
        return true;
    }

    /** Share of the bits set; the false-positive rate of a fingerprint never put is about this to the power k. */
    double fill() {
        return (double) bitsSet / (mask + 1);
    }

    /** The chance that a fingerprint never put passes, estimated from the bits set now. */
    double falsePositiveRate() {
        return Math.pow(fill(), hashes);
    }

    /** Heap held by the bits. */
    long bytes() {
        return (long) words.length * Long.BYTES;
    }
}
