package id.audit.tokenid.app.topology;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * A non-negative running sum of up to 128 bits, as two longs, added to in place with a carry:
 * one event may carry 2^53 tokens or 10^18 nano-dollars (SPEC §1), so a long is full after
 * about a thousand such events, and a sum must never fail or wrap (issue #9). 2^128 is out of
 * reach: it takes more than 2^74 events at the largest values.
 *
 * <p>Stored as 8 big-endian bytes while the sum fits a non-negative long (the format of
 * before, so old stores read unchanged and a rollback reads what was written), and as 16 bytes
 * (high, then low) beyond: the length tells which.
 */
public final class WideSum {

    static final int NARROW_BYTES = Long.BYTES;
    static final int WIDE_BYTES = 2 * Long.BYTES;

    private long high;
    /** Unsigned. */
    private long low;

    public WideSum() {
    }

    WideSum(long high, long low) {
        if (high < 0) {
            throw new IllegalArgumentException("a sum beyond 2^127");
        }
        this.high = high;
        this.low = low;
    }

    /** Adds a non-negative long; no allocation. */
    public void add(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a negative addend");
        }
        long sum = low + value;
        if (Long.compareUnsigned(sum, low) < 0) {
            high = Math.incrementExact(high);
        }
        low = sum;
    }

    public void add(WideSum other) {
        long sum = low + other.low;
        long carry = Long.compareUnsigned(sum, low) < 0 ? 1 : 0;
        high = Math.addExact(Math.addExact(high, other.high), carry);
        low = sum;
    }

    /** Whether the sum fits a non-negative long, i.e. the narrow stored form. */
    boolean fitsLong() {
        return high == 0 && low >= 0;
    }

    boolean isZero() {
        return high == 0 && low == 0;
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }

    public BigInteger toBigInteger() {
        BigInteger lowPart = low >= 0 ? BigInteger.valueOf(low)
                : BigInteger.valueOf(low >>> 1).shiftLeft(1).or(BigInteger.valueOf(low & 1));
        return high == 0 ? lowPart : BigInteger.valueOf(high).shiftLeft(64).or(lowPart);
    }

    public byte[] toBytes() {
        return fitsLong() ? ByteBuffer.allocate(NARROW_BYTES).putLong(low).array()
                : ByteBuffer.allocate(WIDE_BYTES).putLong(high).putLong(low).array();
    }

    /** The stored sum; absent reads as 0. */
    public static WideSum fromBytes(byte[] bytes) {
        if (bytes == null) {
            return new WideSum();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return switch (bytes.length) {
            case NARROW_BYTES -> new WideSum(0, requireNonNegative(in.getLong()));
            case WIDE_BYTES -> new WideSum(in.getLong(), in.getLong());
            default -> throw new IllegalArgumentException("a stored sum must be 8 or 16 bytes, was " + bytes.length);
        };
    }

    static WideSum read(ByteBuffer in, boolean wide) {
        return wide ? new WideSum(in.getLong(), in.getLong()) : new WideSum(0, requireNonNegative(in.getLong()));
    }

    void write(ByteBuffer out, boolean wide) {
        if (wide) {
            out.putLong(high);
        }
        out.putLong(low);
    }

    private static long requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a stored narrow sum is negative");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WideSum other && other.high == high && other.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }

    @Override
    public String toString() {
        return toBigInteger().toString();
    }
}
