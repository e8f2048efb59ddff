package id.audit.tokenid.app.topology;

import java.util.Arrays;

/**
 * The seen event ids of one commit interval (or of {@value #MAX_BYTES} bytes of them), as one
 * stored value: entries of {@code [u16 key length][key][i64 first event time]}, back to back.
 * The key is {@link StoreKeys#eventId} (org and event id). One store write and one changelog
 * record carry a few hundred ids, where a write per id was half the stream thread
 * (BENCHMARKS.md); {@link SeenIdIndex} finds the chunk of an id without reading any.
 *
 * <p>An instance is the chunk still being filled; the static methods read stored ones.
 */
final class SeenIdChunk {

    /** A chunk is stored once it reaches this size; a full one holds about 270 ids of 50 bytes. */
    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_KEY_BYTES = 0xFFFF;

    private final long bucket;
    private final int number;
    /**
     * Room for a full chunk from the start: growing from 1 KiB copied about 30 KiB per chunk
     * (over 100 bytes allocated per id, BENCHMARKS.md). A chunk ends with the entry that
     * crosses {@link #MAX_BYTES}; a longer last entry still grows it.
     */
    private byte[] bytes = new byte[MAX_BYTES + 256];
    private int length;

    SeenIdChunk(long bucket, int number) {
        this.bucket = bucket;
        this.number = number;
    }

    long bucket() {
        return bucket;
    }

    int number() {
        return number;
    }

    boolean full() {
        return length >= MAX_BYTES;
    }

    boolean isEmpty() {
        return length == 0;
    }

    void add(byte[] key, long eventTime) {
        if (key.length > MAX_KEY_BYTES) {
            // Cannot happen: the codec bounds org_id and event_id far below this.
            throw new IllegalArgumentException("event id key of " + key.length + " bytes");
        }
        int needed = length + 2 + key.length + Long.BYTES;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
        bytes[length++] = (byte) (key.length >>> 8);
        bytes[length++] = (byte) key.length;
        System.arraycopy(key, 0, bytes, length, key.length);
        length += key.length;
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (eventTime >>> shift);
        }
    }

    boolean holds(byte[] key, long eventTime, long windowMillis) {
        return holds(bytes, length, key, eventTime, windowMillis);
    }

    /** The stored value: a copy of the entries so far. */
    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    /**
     * Whether the chunk has an entry of this key whose event time is at most {@code windowMillis}
     * from {@code eventTime}.
     */
    static boolean holds(byte[] chunk, int length, byte[] key, long eventTime, long windowMillis) {
        int at = 0;
        while (at < length) {
            int keyLength = ((chunk[at] & 0xFF) << 8) | (chunk[at + 1] & 0xFF);
            int keyAt = at + 2;
            int timeAt = keyAt + keyLength;
            if (keyLength == key.length
                    && Arrays.equals(chunk, keyAt, timeAt, key, 0, key.length)
                    && Math.abs(readLong(chunk, timeAt) - eventTime) <= windowMillis) {
                return true;
            }
            at = timeAt + Long.BYTES;
        }
        return false;
    }

    /** Calls {@code visitor} with the fingerprint of every key in a stored chunk. */
    static void forEachKey(byte[] chunk, KeyVisitor visitor) {
        int at = 0;
        while (at < chunk.length) {
            int keyLength = ((chunk[at] & 0xFF) << 8) | (chunk[at + 1] & 0xFF);
            visitor.key(chunk, at + 2, keyLength);
            at += 2 + keyLength + Long.BYTES;
        }
    }

    interface KeyVisitor {
        void key(byte[] chunk, int offset, int length);
    }

    private static long readLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }
}
