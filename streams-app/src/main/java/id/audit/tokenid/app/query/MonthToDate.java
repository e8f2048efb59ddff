package id.audit.tokenid.app.query;

import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The calendar month of an org, and its budget figures. The month is that of the budget's time
 * zone, UTC for an org without a budget. Its cost is the sum of the org's quarter-hours
 * ({@code usage-cost-quarter-hours}) that start in [start of the month, now]: every zone
 * offset in use is a multiple of 15 minutes, so a month starts on a quarter-hour edge and the
 * sum holds exactly the events of the month so far (by event time).
 */
public final class MonthToDate {

    private static final BigInteger DAY_MILLIS = BigInteger.valueOf(Duration.ofDays(1).toMillis());

    /**
     * No month starts earlier than this before now, in any zone: 31 days, and a day for offset
     * changes within the month (daylight saving time, a zone moving its offset). Reads of every
     * org fetch quarter-hours from here and keep those of each org's own month.
     */
    static final Duration LONGEST_MONTH = Duration.ofDays(32);

    private MonthToDate() {
    }

    /** The zone whose months count for an org: its budget's, else UTC. */
    public static ZoneId zoneOf(Optional<OrgBudget> budget) {
        return budget.map(OrgBudget::zone).orElse(OrgBudget.DEFAULT_ZONE);
    }

    /**
     * The first instant of the month {@code now} falls in, in {@code zone}: the 1st at 00:00, or
     * the first time of that day when a daylight-saving change skips midnight.
     */
    public static Instant monthStart(Instant now, ZoneId zone) {
        return firstOfMonth(now, zone).atStartOfDay(zone).toInstant();
    }

    /** The first instant of the next month in {@code zone}. */
    public static Instant monthEnd(Instant now, ZoneId zone) {
        return firstOfMonth(now, zone).plusMonths(1).atStartOfDay(zone).toInstant();
    }

    /** Before every {@link #monthStart} as of {@code now}, whatever the zone. */
    static Instant earliestMonthStart(Instant now) {
        return now.minus(LONGEST_MONTH);
    }

    /**
     * The budget gauges: {@code projected = month to date + rolling 24 h × (millis left in the
     * month / 86,400,000)}, exact and rounded down; empty without a budget.
     */
    public static Optional<BudgetUsage> budgetUsage(Optional<OrgBudget> budget, BigInteger monthToDateNanos,
                                                    BigInteger rolling24hNanos, Instant now) {
        if (budget.isEmpty()) {
            return Optional.empty();
        }
        long millisLeft = Duration.between(now, monthEnd(now, budget.get().zone())).toMillis();
        BigInteger projected = monthToDateNanos.add(rolling24hNanos.multiply(BigInteger.valueOf(millisLeft))
                .divide(DAY_MILLIS));
        return Optional.of(new BudgetUsage(budget.get().monthlyNanos(), projected));
    }

    private static LocalDate firstOfMonth(Instant now, ZoneId zone) {
        return now.atZone(zone).toLocalDate().withDayOfMonth(1);
    }
}
