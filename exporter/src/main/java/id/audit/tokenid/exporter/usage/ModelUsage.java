package id.audit.tokenid.exporter.usage;

import java.util.Objects;

/**
 * Exact running totals of one (org, provider, model) series. Provider and model are already
 * normalised (trimmed, lowercased) and never blank: events without them have no series.
 *
 * @param costNanos cost in integer nano-dollars (1e-9 USD); never summed as a double
 */
public record ModelUsage(String provider, String model, long requests, long inputTokens,
                         long outputTokens, long costNanos) {
    public ModelUsage {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /** {@code llm_tokens_total}: input plus output tokens. */
    public long totalTokens() {
        return Math.addExact(inputTokens, outputTokens);
    }
}
