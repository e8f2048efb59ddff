package id.audit.tokenid.exporter.usage;

import java.util.List;
import java.util.Objects;

/**
 * One organisation's usage as of one instant: its per-(provider, model) totals, sorted by
 * (provider, model), and its cost over the trailing 24 hours in nano-dollars.
 */
public record OrgUsage(String orgId, List<ModelUsage> series, long rolling24hCostNanos) {
    public OrgUsage {
        Objects.requireNonNull(orgId, "orgId");
        series = List.copyOf(series);
    }
}
