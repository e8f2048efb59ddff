package id.audit.tokenid.exporter.exposition;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.util.List;

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

    public static List<OrgUsage> orgs() {
        return List.of(
                new OrgUsage("acme", List.of(
                        new ModelUsage("anthropic", "claude-3-5-sonnet", 1, 10, 20, 1),
                        new ModelUsage("openai", "gpt-4o", 3, 100, 50, 1_234_500_000L)),
                        1_234_500_001L),
                new OrgUsage(HOSTILE_ORG, List.of(
                        new ModelUsage("prov\"ider\\x", "model\nwith newline 🚀", 9_007_199_254_740_992L,
                                9_007_199_254_740_992L, 0, 123_456_789_012_345_678L),
                        new ModelUsage("openai", LONG_MODEL, 2, 0, 0, 0)),
                        999_999_999L),
                new OrgUsage("idle", List.of(), 0),
                new OrgUsage("whale", List.of(
                        new ModelUsage("openai", "gpt-4o", 1_125, WHALE_TOKENS, WHALE_TOKENS, WHALE_COST_NANOS),
                        new ModelUsage(IDEOGRAPHIC_SPACE, "gpt-4o", 1, BigInteger.ONE, BigInteger.ONE,
                                BigInteger.ONE)),
                        WHALE_COST_NANOS.add(BigInteger.ONE)));
    }
}
