package id.audit.tokenid.exporter.exposition;

import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/** A fixed usage with hostile label values, rendered into the golden files. */
public final class GoldenUsage {

    /** Quotes, backslashes, a newline and an emoji, all in one lowercase org id. */
    public static final String HOSTILE_ORG = "evil \"org\" \\ with\nnewline 😀";
    public static final String LONG_MODEL = "m".repeat(250) + "-long!";
    /** Not blank to the codec (only characters up to U+0020 are), so it has a series. */
    public static final String IDEOGRAPHIC_SPACE = "\u3000";
    /** 1,125 events at the schema's largest tokens (2^53) and cost (10^9 USD): beyond a long. */
    static final BigInteger WHALE_TOKENS = BigInteger.ONE.shiftLeft(53).multiply(BigInteger.valueOf(1_125));
    static final BigInteger WHALE_COST_NANOS = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(1_125));

    private GoldenUsage() {
    }

    /**
     * acme: token parts, an unpriced event and a budget not yet spent; the hostile org: labels
     * only; crowded: an overflow series; idle: nothing at all; overspent: a budget below its
     * month to date (remaining negative) and a series of unpriced events only; whale: sums
     * beyond a long.
     */
    public static List<OrgUsage> orgs() {
        return List.of(
                new OrgUsage("acme", List.of(
                        new ModelUsage("anthropic", "claude-3-5-sonnet", 1, big(10), big(20), big(4), big(3),
                                big(0), big(1), 0),
                        new ModelUsage("openai", "gpt-4o", 3, big(100), big(50), big(40), big(0), big(20),
                                big(1_234_500_000L), 1)),
                        big(1_234_500_001L), big(234_500_000L), big(5_000_000_001L),
                        Optional.of(new BudgetUsage(big(10_000_000_000L), big(37_097_000_027L)))),
                new OrgUsage(HOSTILE_ORG, List.of(
                        new ModelUsage("prov\"ider\\x", "model\nwith newline 🚀", 9_007_199_254_740_992L,
                                9_007_199_254_740_992L, 0, 123_456_789_012_345_678L),
                        new ModelUsage("openai", LONG_MODEL, 2, 0, 0, 0)),
                        999_999_999L),
                new OrgUsage("crowded", List.of(
                        new ModelUsage("openai", "gpt-4o", 5, 500, 100, 2_000_000_000L),
                        new ModelUsage(ModelUsage.OVERFLOW, ModelUsage.OVERFLOW, 7, big(700), big(70), big(300),
                                big(0), big(0), big(3_000_000_000L), 2)),
                        big(5_000_000_000L), big(1_000_000_000L), big(5_000_000_000L), Optional.empty()),
                new OrgUsage("idle", List.of(), 0),
                new OrgUsage("overspent", List.of(
                        new ModelUsage("mistral", "large", 4, big(40), big(80), big(0), big(0), big(0), big(0), 4),
                        new ModelUsage("openai", "o1", 2, big(1_000), big(3_000), big(0), big(0), big(2_500),
                                big(2_500_000_000L), 0)),
                        big(2_500_000_000L), big(0), big(2_500_000_000L),
                        Optional.of(new BudgetUsage(big(1_000_000_000L), big(4_999_999_999L)))),
                new OrgUsage("whale", List.of(
                        new ModelUsage("openai", "gpt-4o", 1_125, WHALE_TOKENS, WHALE_TOKENS, WHALE_TOKENS.shiftRight(1),
                                BigInteger.ZERO, WHALE_TOKENS.shiftRight(2), WHALE_COST_NANOS, 0),
                        new ModelUsage(IDEOGRAPHIC_SPACE, "gpt-4o", 1, BigInteger.ONE, BigInteger.ONE,
                                BigInteger.ONE)),
                        WHALE_COST_NANOS.add(BigInteger.ONE)));
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }
}
