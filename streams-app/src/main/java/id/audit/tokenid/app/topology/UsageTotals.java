package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Exact running totals of one (org, provider, model) series, summed in place: requests and
 * unpriced requests as longs (2^63 events cannot arrive); input, output, cached input, cache
 * write input and reasoning tokens and cost nano-dollars as {@link WideSum}s, so no sum can
 * overflow (issue #9).
 *
 * <p>Four stored formats; the length tells which, so every value an earlier build stored reads
 * unchanged:
 * <ul>
 *   <li>32 bytes: requests, input, output, cost as longs (the format of before issue #9);
 *   <li>56 bytes: requests, then input, output, cost as (high, low) pairs (issue #9);
 *   <li>64 bytes: requests, unpriced requests, then input, output, cached input, cache write
 *       input, reasoning, cost as longs;
 *   <li>112 bytes: requests, unpriced requests, then the same six sums as (high, low) pairs.
 * </ul>
 * A series that never had a token part or an unpriced event is still written in the old
 * formats, so a rollback to a build before issue 11 reads the stores of every org that did not
 * use the new fields.
 */
public final class UsageTotals {

    static final int NARROW_SIZE = 4 * Long.BYTES;
    static final int WIDE_SIZE = Long.BYTES + 3 * WideSum.WIDE_BYTES;
    static final int PARTS_NARROW_SIZE = 2 * Long.BYTES + 6 * Long.BYTES;
    static final int PARTS_WIDE_SIZE = 2 * Long.BYTES + 6 * WideSum.WIDE_BYTES;

    private long requests;
    private long unpricedRequests;
    private final WideSum inputTokens;
    private final WideSum outputTokens;
    private final WideSum cachedInputTokens;
    private final WideSum cacheWriteInputTokens;
    private final WideSum reasoningTokens;
    private final WideSum costNanos;

    public UsageTotals() {
        this(0, 0, new WideSum(), new WideSum(), new WideSum(), new WideSum(), new WideSum(), new WideSum());
    }

    private UsageTotals(long requests, long unpricedRequests, WideSum inputTokens, WideSum outputTokens,
                        WideSum cachedInputTokens, WideSum cacheWriteInputTokens, WideSum reasoningTokens,
                        WideSum costNanos) {
        this.requests = requests;
        this.unpricedRequests = unpricedRequests;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.cachedInputTokens = cachedInputTokens;
        this.cacheWriteInputTokens = cacheWriteInputTokens;
        this.reasoningTokens = reasoningTokens;
        this.costNanos = costNanos;
    }

    /**
     * Counts one more event; no allocation. An event without a cost (none sent, no price-table
     * row) counts as unpriced: its tokens count, its cost is 0.
     */
    public void add(ApiCallEvent event) {
        requests++;
        if (!event.costPresent()) {
            unpricedRequests++;
        }
        inputTokens.add(event.inputTokens());
        outputTokens.add(event.outputTokens());
        cachedInputTokens.add(event.cachedInputTokens());
        cacheWriteInputTokens.add(event.cacheWriteInputTokens());
        reasoningTokens.add(event.reasoningTokens());
        costNanos.add(event.costNanos());
    }

    /**
     * Adds the sums of other events (a partial sum from another task's parse step), exactly as
     * if they were added here one by one.
     */
    public void add(UsageTotals other) {
        requests = Math.addExact(requests, other.requests);
        unpricedRequests = Math.addExact(unpricedRequests, other.unpricedRequests);
        inputTokens.add(other.inputTokens);
        outputTokens.add(other.outputTokens);
        cachedInputTokens.add(other.cachedInputTokens);
        cacheWriteInputTokens.add(other.cacheWriteInputTokens);
        reasoningTokens.add(other.reasoningTokens);
        costNanos.add(other.costNanos);
    }

    /** Counts one more priced event without token parts. */
    public void add(long eventInputTokens, long eventOutputTokens, long eventCostNanos) {
        requests++;
        inputTokens.add(eventInputTokens);
        outputTokens.add(eventOutputTokens);
        costNanos.add(eventCostNanos);
    }

    public long requests() {
        return requests;
    }

    public long unpricedRequests() {
        return unpricedRequests;
    }

    public BigInteger inputTokens() {
        return inputTokens.toBigInteger();
    }

    public BigInteger outputTokens() {
        return outputTokens.toBigInteger();
    }

    public BigInteger cachedInputTokens() {
        return cachedInputTokens.toBigInteger();
    }

    public BigInteger cacheWriteInputTokens() {
        return cacheWriteInputTokens.toBigInteger();
    }

    public BigInteger reasoningTokens() {
        return reasoningTokens.toBigInteger();
    }

    public BigInteger costNanos() {
        return costNanos.toBigInteger();
    }

    public byte[] toBytes() {
        boolean wide = !(inputTokens.fitsLong() && outputTokens.fitsLong() && cachedInputTokens.fitsLong()
                && cacheWriteInputTokens.fitsLong() && reasoningTokens.fitsLong() && costNanos.fitsLong());
        boolean parts = unpricedRequests != 0 || !cachedInputTokens.isZero() || !cacheWriteInputTokens.isZero()
                || !reasoningTokens.isZero();
        if (!parts) {
            ByteBuffer out = ByteBuffer.allocate(wide ? WIDE_SIZE : NARROW_SIZE).putLong(requests);
            inputTokens.write(out, wide);
            outputTokens.write(out, wide);
            costNanos.write(out, wide);
            return out.array();
        }
        ByteBuffer out = ByteBuffer.allocate(wide ? PARTS_WIDE_SIZE : PARTS_NARROW_SIZE)
                .putLong(requests).putLong(unpricedRequests);
        inputTokens.write(out, wide);
        outputTokens.write(out, wide);
        cachedInputTokens.write(out, wide);
        cacheWriteInputTokens.write(out, wide);
        reasoningTokens.write(out, wide);
        costNanos.write(out, wide);
        return out.array();
    }

    /** The stored totals, of any of the four sizes; absent reads as zero. */
    public static UsageTotals fromBytes(byte[] bytes) {
        if (bytes == null) {
            return new UsageTotals();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return switch (bytes.length) {
            case NARROW_SIZE, WIDE_SIZE -> {
                boolean wide = bytes.length == WIDE_SIZE;
                long requests = requireNonNegative(in.getLong());
                WideSum input = WideSum.read(in, wide);
                WideSum output = WideSum.read(in, wide);
                WideSum cost = WideSum.read(in, wide);
                yield new UsageTotals(requests, 0, input, output, new WideSum(), new WideSum(), new WideSum(), cost);
            }
            case PARTS_NARROW_SIZE, PARTS_WIDE_SIZE -> {
                boolean wide = bytes.length == PARTS_WIDE_SIZE;
                long requests = requireNonNegative(in.getLong());
                long unpriced = requireNonNegative(in.getLong());
                yield new UsageTotals(requests, unpriced, WideSum.read(in, wide), WideSum.read(in, wide),
                        WideSum.read(in, wide), WideSum.read(in, wide), WideSum.read(in, wide),
                        WideSum.read(in, wide));
            }
            default -> throw new IllegalArgumentException("totals must be " + NARROW_SIZE + ", " + WIDE_SIZE + ", "
                    + PARTS_NARROW_SIZE + " or " + PARTS_WIDE_SIZE + " bytes, were " + bytes.length);
        };
    }

    private static long requireNonNegative(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("stored request counts are negative");
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsageTotals other && other.requests == requests
                && other.unpricedRequests == unpricedRequests && other.inputTokens.equals(inputTokens)
                && other.outputTokens.equals(outputTokens) && other.cachedInputTokens.equals(cachedInputTokens)
                && other.cacheWriteInputTokens.equals(cacheWriteInputTokens)
                && other.reasoningTokens.equals(reasoningTokens) && other.costNanos.equals(costNanos);
    }

    @Override
    public int hashCode() {
        int hash = Long.hashCode(requests) * 31 + Long.hashCode(unpricedRequests);
        for (WideSum sum : new WideSum[] {inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens,
                reasoningTokens, costNanos}) {
            hash = hash * 31 + sum.hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        return "UsageTotals[requests=" + requests + ", unpricedRequests=" + unpricedRequests + ", inputTokens="
                + inputTokens + ", outputTokens=" + outputTokens + ", cachedInputTokens=" + cachedInputTokens
                + ", cacheWriteInputTokens=" + cacheWriteInputTokens + ", reasoningTokens=" + reasoningTokens
                + ", costNanos=" + costNanos + "]";
    }
}
