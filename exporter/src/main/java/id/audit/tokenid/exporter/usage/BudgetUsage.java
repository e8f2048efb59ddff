package id.audit.tokenid.exporter.usage;

import java.math.BigInteger;

/**
 * An org's monthly budget and where its spend is heading, in exact nano-dollars. The month is
 * the calendar month of the budget's time zone (UTC when it names none); the org's
 * month-to-date cost is in {@link OrgUsage#monthToDateCostNanos()}.
 *
 * @param budgetNanos         the monthly budget
 * @param projectedMonthNanos the projected cost of the whole month: month to date plus the last
 *                            24 hours' burn rate over what is left of the month (README)
 */
public record BudgetUsage(BigInteger budgetNanos, BigInteger projectedMonthNanos) {
    public BudgetUsage {
        ModelUsage.requireNonNegative(budgetNanos, "budgetNanos");
        ModelUsage.requireNonNegative(projectedMonthNanos, "projectedMonthNanos");
    }
}
