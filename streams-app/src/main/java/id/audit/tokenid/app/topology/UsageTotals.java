package id.audit.tokenid.app.topology;

import java.nio.ByteBuffer;

/**
 * Exact running totals of one (org, provider, model) series, as stored: four longs. Sums use
 * {@link Math#addExact}, so an overflow is detected instead of wrapping into a smaller number.
 */
public record UsageTotals(long requests, long inputTokens, long outputTokens, long costNanos) {

    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0);
    static final int SIZE = 4 * Long.BYTES;

    /** Totals with one more event; throws {@link ArithmeticException} on overflow. */
    public UsageTotals plus(long eventInputTokens, long eventOutputTokens, long eventCostNanos) {
        return new UsageTotals(
                Math.addExact(requests, 1),
                Math.addExact(inputTokens, eventInputTokens),
                Math.addExact(outputTokens, eventOutputTokens),
                Math.addExact(costNanos, eventCostNanos));
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE)
                .putLong(requests).putLong(inputTokens).putLong(outputTokens).putLong(costNanos)
                .array();
    }

    public static UsageTotals fromBytes(byte[] bytes) {
        if (bytes == null) {
            return ZERO;
        }
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("totals must be " + SIZE + " bytes, were " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UsageTotals(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
