package id.audit.tokenid.app.topology;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Exact running totals of one (org, provider, model) series, summed in place: requests as a
 * long (2^63 events cannot arrive), input tokens, output tokens and cost nano-dollars as
 * {@link WideSum}s, so no sum can overflow (issue #9).
 *
 * <p>Stored as four longs (32 bytes, the format of before) while every sum fits a non-negative
 * long, and as requests then three (high, low) pairs (56 bytes) beyond: the length tells which,
 * so stores written by earlier builds read unchanged.
 */
public final class UsageTotals {

    static final int NARROW_SIZE = 4 * Long.BYTES;
    static final int WIDE_SIZE = Long.BYTES + 3 * WideSum.WIDE_BYTES;

    private long requests;
    private final WideSum inputTokens;
    private final WideSum outputTokens;
    private final WideSum costNanos;

    public UsageTotals() {
        this(0, new WideSum(), new WideSum(), new WideSum());
    }

    private UsageTotals(long requests, WideSum inputTokens, WideSum outputTokens, WideSum costNanos) {
        this.requests = requests;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.costNanos = costNanos;
    }

    /** Counts one more event; no allocation. */
    public void add(long eventInputTokens, long eventOutputTokens, long eventCostNanos) {
        requests++;
        inputTokens.add(eventInputTokens);
        outputTokens.add(eventOutputTokens);
        costNanos.add(eventCostNanos);
    }

    public long requests() {
        return requests;
    }

    public BigInteger inputTokens() {
        return inputTokens.toBigInteger();
    }

    public BigInteger outputTokens() {
        return outputTokens.toBigInteger();
    }

    public BigInteger costNanos() {
        return costNanos.toBigInteger();
    }

    public byte[] toBytes() {
        boolean wide = !(inputTokens.fitsLong() && outputTokens.fitsLong() && costNanos.fitsLong());
        ByteBuffer out = ByteBuffer.allocate(wide ? WIDE_SIZE : NARROW_SIZE).putLong(requests);
        inputTokens.write(out, wide);
        outputTokens.write(out, wide);
        costNanos.write(out, wide);
        return out.array();
    }

    /** The stored totals, of either size; absent reads as zero. */
    public static UsageTotals fromBytes(byte[] bytes) {
        if (bytes == null) {
            return new UsageTotals();
        }
        if (bytes.length != NARROW_SIZE && bytes.length != WIDE_SIZE) {
            throw new IllegalArgumentException("totals must be " + NARROW_SIZE + " or " + WIDE_SIZE
                    + " bytes, were " + bytes.length);
        }
        boolean wide = bytes.length == WIDE_SIZE;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long requests = in.getLong();
        if (requests < 0) {
            throw new IllegalArgumentException("stored requests are negative");
        }
        return new UsageTotals(requests, WideSum.read(in, wide), WideSum.read(in, wide), WideSum.read(in, wide));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsageTotals other && other.requests == requests && other.inputTokens.equals(inputTokens)
                && other.outputTokens.equals(outputTokens) && other.costNanos.equals(costNanos);
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(requests) * 31 + inputTokens.hashCode()) * 31 + outputTokens.hashCode()) * 31
                + costNanos.hashCode();
    }

    @Override
    public String toString() {
        return "UsageTotals[requests=" + requests + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens
                + ", costNanos=" + costNanos + "]";
    }
}
