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
 * @param costNanos cost in integer nano-dollars (1e-9 USD); never summed as a double
 */
public record ModelUsage(String provider, String model, long requests, BigInteger inputTokens,
                         BigInteger outputTokens, BigInteger costNanos) {
    public ModelUsage {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative");
        }
        requireNonNegative(inputTokens, "inputTokens");
        requireNonNegative(outputTokens, "outputTokens");
        requireNonNegative(costNanos, "costNanos");
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

    static void requireNonNegative(BigInteger value, String name) {
        Objects.requireNonNull(value, name);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
