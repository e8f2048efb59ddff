package id.audit.tokenid.app.topology;

import java.nio.ByteBuffer;

/**
 * A stored long as 8 big-endian bytes: a cost bucket's nano-dollars.
 */
public final class LongValue {

    private LongValue() {
    }

    public static byte[] encode(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The stored value; absent reads as 0. */
    public static long decode(byte[] bytes) {
        return bytes == null ? 0L : ByteBuffer.wrap(bytes).getLong();
    }
}
