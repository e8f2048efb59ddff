package id.audit.tokenid.exporter.exposition;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.util.List;

/** A fixed usage with hostile label values, rendered into the golden files. */
public final class GoldenUsage {

    /** Quotes, backslashes, a newline and an emoji, all in one lowercase org id. */
    public static final String HOSTILE_ORG = "evil \"org\" \\ with\nnewline 😀";
    public static final String LONG_MODEL = "m".repeat(250) + "-long!";

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
                new OrgUsage("idle", List.of(), 0));
    }
}
