package id.audit.tokenid.exporter.usage;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One organisation's usage as of one instant: its per-(provider, model) totals, sorted by
 * (provider, model), and its cost over the trailing 24 hours in nano-dollars (exact: see
 * {@link ModelUsage} for why it is a {@link BigInteger}).
 */
public record OrgUsage(String orgId, List<ModelUsage> series, BigInteger rolling24hCostNanos) {
    public OrgUsage {
        Objects.requireNonNull(orgId, "orgId");
        series = List.copyOf(series);
        ModelUsage.requireNonNegative(rolling24hCostNanos, "rolling24hCostNanos");
    }

    /** A rolling cost that fits in a long (tests, small setups). */
    public OrgUsage(String orgId, List<ModelUsage> series, long rolling24hCostNanos) {
        this(orgId, series, BigInteger.valueOf(rolling24hCostNanos));
    }
}
