package id.audit.tokenid.schemas;

import java.util.Objects;

/**
 * One counted {@code api_call} event, validated and normalised: the only shape the aggregation
 * ever sees.
 *
 * @param eventId         the producer's event id exactly as sent, or null when absent
 * @param orgId           trimmed and lowercased ({@link java.util.Locale#ROOT}); never blank
 * @param provider        trimmed and lowercased, or null when absent or blank
 * @param model           trimmed and lowercased, or null when absent or blank
 * @param inputTokens     0..2^53, 0 when absent
 * @param outputTokens    0..2^53, 0 when absent
 * @param costNanos       cost in nano-dollars (1e-9 USD), 0..{@link CostNanos#MAX_NANOS}
 * @param timestampMillis event time in epoch milliseconds, or {@link #NO_TIMESTAMP}
 */
public record ApiCallEvent(
        String eventId,
        String orgId,
        String provider,
        String model,
        long inputTokens,
        long outputTokens,
        long costNanos,
        long timestampMillis) implements DecodeResult {

    /** {@link #timestampMillis()} when the event has none: use the Kafka record's timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public ApiCallEvent {
        Objects.requireNonNull(orgId, "orgId");
        if (inputTokens < 0 || outputTokens < 0 || costNanos < 0) {
            throw new IllegalArgumentException("token counts and cost must not be negative");
        }
    }

    /**
     * Whether the event belongs to a per-(provider, model) series; when false it counts only in
     * its org's rolling cost (there is never a {@code model="unknown"} series).
     */
    public boolean hasModel() {
        return provider != null && model != null;
    }

    /** Whether the event carries its own time; otherwise the Kafka record's timestamp applies. */
    public boolean hasTimestamp() {
        return timestampMillis != NO_TIMESTAMP;
    }
}
