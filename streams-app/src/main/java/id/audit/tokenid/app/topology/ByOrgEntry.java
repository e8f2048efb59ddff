package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;

/**
 * One entry of a by-org record ({@link CountedBatch}): an event, or, when dedup is off, a partial
 * sum of events gathered by the parse step of another task ({@link PartialSumBatch}). The owner
 * adds a partial sum exactly as it would have added its events one by one: the aggregation keys
 * its series on (org, provider, model) and its costs on (org, event-time bucket), and nothing else
 * of an event matters once dedup is off.
 */
sealed interface ByOrgEntry {

    /** One event, as it crossed before partial sums (and still does when dedup is on). */
    record Event(ApiCallEvent event) implements ByOrgEntry {
    }

    /**
     * The events of one (org, provider, model) summed: requests, unpriced requests, token sums
     * and cost, exactly as {@link UsageTotals#add(ApiCallEvent)} would have summed them. Without a
     * pair (provider and model null) it stands for the org's events without a series, of which
     * only the count matters (for {@code tokenid_events_counted_total}).
     */
    record SeriesSum(String orgId, String provider, String model, UsageTotals totals) implements ByOrgEntry {

        boolean hasModel() {
            return provider != null && model != null;
        }
    }

    /**
     * The cost of one org's events whose event times fall in {@code [startMillis, startMillis +
     * cell)}, where the cell divides both the rolling-window bucket and the quarter-hour, so the
     * cell names exactly one bucket of each. Only events with a cost above 0 are in it.
     */
    record CostCell(String orgId, long startMillis, WideSum costNanos) implements ByOrgEntry {
    }
}
