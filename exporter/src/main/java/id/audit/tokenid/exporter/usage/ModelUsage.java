package id.audit.tokenid.exporter.usage;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Exact running totals of one (org, provider, model) series. Provider and model are already
 * normalised (trimmed, lowercased) and never blank: events without them have no series.
 *
 * <p>Token and cost sums are {@link BigInteger}s: one event may carry 2^53 tokens and 10^18
 * nano-dollars (SPEC §1), so a few thousand events outgrow a long, and a read must never fail
 * on data (issue #9). The aggregation keeps them in 128 bits; a request count stays a long, as
 * 2^63 events cannot arrive.
 *
 * <p>The overflow series ({@link #OVERFLOW}) holds an org's events of (provider, model) pairs
 * beyond its series limit. Its labels are upper case, which no normalised (lowercased) provider
 * or model can be, so it never merges with a real series.
 *
 * @param cachedInputTokens     the part of {@code inputTokens} read from the prompt cache
 * @param cacheWriteInputTokens the part of {@code inputTokens} written to the prompt cache
 * @param reasoningTokens       the part of {@code outputTokens} spent on reasoning
 * @param costNanos             cost in integer nano-dollars (1e-9 USD); never summed as a double
 * @param unpricedRequests      events that carried no cost and that no price-table row priced:
 *                              their cost counts as 0 here, their tokens count
 */
public record ModelUsage(String provider, String model, long requests, BigInteger inputTokens,
                         BigInteger outputTokens, BigInteger cachedInputTokens, BigInteger cacheWriteInputTokens,
                         BigInteger reasoningTokens, BigInteger costNanos, long unpricedRequests) {

    /** Provider and model label of an org's overflow series. */
    public static final String OVERFLOW = "OVERFLOW";

    public ModelUsage {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (requests < 0 || unpricedRequests < 0) {
            throw new IllegalArgumentException("request counts must not be negative");
        }
        requireNonNegative(inputTokens, "inputTokens");
        requireNonNegative(outputTokens, "outputTokens");
        requireNonNegative(cachedInputTokens, "cachedInputTokens");
        requireNonNegative(cacheWriteInputTokens, "cacheWriteInputTokens");
        requireNonNegative(reasoningTokens, "reasoningTokens");
        requireNonNegative(costNanos, "costNanos");
    }

    /** Totals without token parts or unpriced events. */
    public ModelUsage(String provider, String model, long requests, BigInteger inputTokens,
                      BigInteger outputTokens, BigInteger costNanos) {
        this(provider, model, requests, inputTokens, outputTokens, BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.ZERO, costNanos, 0);
    }

    /** Totals that fit in longs (tests, small setups). */
    public ModelUsage(String provider, String model, long requests, long inputTokens, long outputTokens,
                      long costNanos) {
        this(provider, model, requests, BigInteger.valueOf(inputTokens), BigInteger.valueOf(outputTokens),
                BigInteger.valueOf(costNanos));
    }

    /** {@code llm_tokens_total}: input plus output tokens, exact whatever their size. */
    public BigInteger totalTokens() {
        return inputTokens.add(outputTokens);
    }

    /** Whether this is the org's overflow series. */
    public boolean isOverflow() {
        return OVERFLOW.equals(provider) && OVERFLOW.equals(model);
    }

    static void requireNonNegative(BigInteger value, String name) {
        Objects.requireNonNull(value, name);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
