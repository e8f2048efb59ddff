package id.audit.tokenid.exporter.usage;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One organisation's usage as of one instant: its per-(provider, model) totals, sorted by
 * (provider, model) (the overflow series among them, see {@link ModelUsage#OVERFLOW}), and its
 * cost over trailing windows and the current month, in nano-dollars (exact: see
 * {@link ModelUsage} for why these are {@link BigInteger}s).
 *
 * @param rolling24hCostNanos   cost of events in the 24 hours before the read
 * @param rolling1hCostNanos    cost of events in the hour before the read
 * @param monthToDateCostNanos  cost of events in the current calendar month (of the budget's
 *                              time zone, UTC without one)
 * @param budget                the org's budget, when it has one
 */
public record OrgUsage(String orgId, List<ModelUsage> series, BigInteger rolling24hCostNanos,
                       BigInteger rolling1hCostNanos, BigInteger monthToDateCostNanos,
                       Optional<BudgetUsage> budget) {
    public OrgUsage {
        Objects.requireNonNull(orgId, "orgId");
        series = List.copyOf(series);
        ModelUsage.requireNonNegative(rolling24hCostNanos, "rolling24hCostNanos");
        ModelUsage.requireNonNegative(rolling1hCostNanos, "rolling1hCostNanos");
        ModelUsage.requireNonNegative(monthToDateCostNanos, "monthToDateCostNanos");
        Objects.requireNonNull(budget, "budget");
    }

    /** Usage with only the 24 h window (older readers, tests): the other windows read 0. */
    public OrgUsage(String orgId, List<ModelUsage> series, BigInteger rolling24hCostNanos) {
        this(orgId, series, rolling24hCostNanos, BigInteger.ZERO, BigInteger.ZERO, Optional.empty());
    }

    /** A rolling cost that fits in a long (tests, small setups). */
    public OrgUsage(String orgId, List<ModelUsage> series, long rolling24hCostNanos) {
        this(orgId, series, BigInteger.valueOf(rolling24hCostNanos));
    }

    /** {@code llm_budget_remaining_usd}: budget minus month to date; negative once overspent. */
    public Optional<BigInteger> budgetRemainingNanos() {
        return budget.map(b -> b.budgetNanos().subtract(monthToDateCostNanos));
    }

    /** {@code llm_series_overflow_total}: events folded into the overflow series. */
    public long overflowEvents() {
        return series.stream().filter(ModelUsage::isOverflow).mapToLong(ModelUsage::requests).sum();
    }
}
