package id.audit.tokenid.schemas;

import java.util.Objects;

/**
 * One counted {@code api_call} event, validated and normalised: the only shape the aggregation
 * ever sees.
 *
 * <p>The three token parts are parts of a whole, never extra tokens: cached and cache-write
 * input tokens are parts of {@code inputTokens} (together at most all of it), reasoning tokens
 * a part of {@code outputTokens}. {@code llm_tokens_total} stays input plus output.
 *
 * @param eventId               the producer's event id exactly as sent, or null when absent
 * @param orgId                 trimmed and lowercased ({@link java.util.Locale#ROOT}); never blank
 * @param provider              trimmed and lowercased, or null when absent or blank
 * @param model                 trimmed and lowercased, or null when absent or blank
 * @param inputTokens           0..2^53, 0 when absent
 * @param outputTokens          0..2^53, 0 when absent
 * @param cachedInputTokens     input tokens served from the provider's prompt cache, 0 when absent
 * @param cacheWriteInputTokens input tokens written to the provider's prompt cache, 0 when absent
 * @param reasoningTokens       output tokens spent on reasoning, 0 when absent
 * @param costNanos             cost in nano-dollars (1e-9 USD), 0..{@link CostNanos#MAX_NANOS};
 *                              0 when the event carries no cost
 * @param costPresent           whether the event carried {@code cost_usd} (or was priced since):
 *                              {@code "cost_usd": 0} is free, an absent cost is priced from the
 *                              price table and, when no row prices it, counted as unpriced
 * @param timestampMillis       event time in epoch milliseconds, or {@link #NO_TIMESTAMP}
 */
public record ApiCallEvent(
        String eventId,
        String orgId,
        String provider,
        String model,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        long cacheWriteInputTokens,
        long reasoningTokens,
        long costNanos,
        boolean costPresent,
        long timestampMillis) implements DecodeResult {

    /** {@link #timestampMillis()} when the event has none: use the Kafka record's timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public ApiCallEvent {
        Objects.requireNonNull(orgId, "orgId");
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0
                || reasoningTokens < 0 || costNanos < 0) {
            throw new IllegalArgumentException("token counts and cost must not be negative");
        }
        // Subtraction, not addition: the parts are each at most 2^53 here, but stay safe anyway.
        if (cachedInputTokens > inputTokens || cacheWriteInputTokens > inputTokens - cachedInputTokens) {
            throw new IllegalArgumentException("cached plus cache-write input tokens exceed the input tokens");
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens exceed the output tokens");
        }
        if (!costPresent && costNanos != 0) {
            throw new IllegalArgumentException("an event without a cost has cost 0");
        }
    }

    /** An event with a cost and no token parts (tests, the demo). */
    public ApiCallEvent(String eventId, String orgId, String provider, String model, long inputTokens,
                        long outputTokens, long costNanos, long timestampMillis) {
        this(eventId, orgId, provider, model, inputTokens, outputTokens, 0, 0, 0, costNanos, true, timestampMillis);
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

    /** The same event at another time (the parse step resolves absent and far-future times). */
    public ApiCallEvent at(long eventTimeMillis) {
        return new ApiCallEvent(eventId, orgId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                cacheWriteInputTokens, reasoningTokens, costNanos, costPresent, eventTimeMillis);
    }

    /** The same event with the cost a price table gave it. */
    public ApiCallEvent priced(long pricedCostNanos) {
        return new ApiCallEvent(eventId, orgId, provider, model, inputTokens, outputTokens, cachedInputTokens,
                cacheWriteInputTokens, reasoningTokens, pricedCostNanos, true, timestampMillis);
    }

    /** Input tokens that were neither read from nor written to the prompt cache. */
    public long uncachedInputTokens() {
        return inputTokens - cachedInputTokens - cacheWriteInputTokens;
    }
}
