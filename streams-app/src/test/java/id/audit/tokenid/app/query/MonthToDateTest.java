package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonthToDateTest {

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({
            // now,                     zone,            month start (UTC),      next month start (UTC)
            "2026-01-15T10:00:00Z,      UTC,             2026-01-01T00:00:00Z,   2026-02-01T00:00:00Z",
            "2026-01-31T23:30:00Z,      Europe/Berlin,   2026-01-31T23:00:00Z,   2026-02-28T23:00:00Z",
            "2026-01-31T22:59:59.999Z,  Europe/Berlin,   2025-12-31T23:00:00Z,   2026-01-31T23:00:00Z",
            // Summer time: months start at 22:00 UTC; March has 31 days less the hour clocks skip
            "2026-03-20T00:00:00Z,      Europe/Berlin,   2026-02-28T23:00:00Z,   2026-03-31T22:00:00Z",
            "2026-07-01T00:00:00Z,      Europe/Berlin,   2026-06-30T22:00:00Z,   2026-07-31T22:00:00Z",
            "2026-02-28T18:15:00Z,      Asia/Kathmandu,  2026-02-28T18:15:00Z,   2026-03-31T18:15:00Z",
            "2026-02-28T18:14:59.999Z,  Asia/Kathmandu,  2026-01-31T18:15:00Z,   2026-02-28T18:15:00Z",
            "2026-12-31T12:00:00Z,      Pacific/Kiritimati, 2026-12-31T10:00:00Z, 2027-01-31T10:00:00Z",
            "2026-01-01T11:00:00Z,      Etc/GMT+12,      2025-12-01T12:00:00Z,   2026-01-01T12:00:00Z",
    })
    void aMonthStartsAtMidnightOfTheFirstInTheZone(Instant now, String zone, Instant start, Instant end) {
        assertThat(MonthToDate.monthStart(now, ZoneId.of(zone))).isEqualTo(start);
        assertThat(MonthToDate.monthEnd(now, ZoneId.of(zone))).isEqualTo(end);
        // Every month start is a quarter-hour edge, and none is before the earliest a read fetches.
        assertThat(start.toEpochMilli() % Duration.ofMinutes(15).toMillis()).isZero();
        assertThat(MonthToDate.earliestMonthStart(now)).isBefore(start);
    }

    @Test
    void anOrgWithoutABudgetCountsUtcMonthsAndHasNoBudgetFigures() {
        assertThat(MonthToDate.zoneOf(Optional.empty())).isEqualTo(ZoneOffset.UTC);
        assertThat(MonthToDate.budgetUsage(Optional.empty(), BigInteger.ONE, BigInteger.TEN,
                Instant.parse("2026-01-15T10:00:00Z"))).isEmpty();
    }

    @Test
    void projectsTheMonthFromTheLastDaysBurnRoundedDown() {
        // given: 10 days and 1 ms left in a UTC month, 7 nano-dollars in the last 24 h, 5 so far
        Instant now = Instant.parse("2026-04-20T23:59:59.999Z");
        OrgBudget budget = new OrgBudget(BigInteger.valueOf(100), ZoneOffset.UTC);

        // when
        Optional<BudgetUsage> usage = MonthToDate.budgetUsage(Optional.of(budget), BigInteger.valueOf(5),
                BigInteger.valueOf(7), now);

        // then: 5 + 7 x (864,000,001 / 86,400,000) = 5 + 70.00000008..., rounded down
        assertThat(usage).contains(new BudgetUsage(BigInteger.valueOf(100), BigInteger.valueOf(75)));
    }

    @Test
    void projectsExactlyBeyondALong() {
        // given: a day's burn of 2^70 nano-dollars with exactly 3 days left
        Instant now = Instant.parse("2026-04-28T00:00:00Z");
        BigInteger burn = BigInteger.ONE.shiftLeft(70);

        // when
        Optional<BudgetUsage> usage = MonthToDate.budgetUsage(
                Optional.of(new OrgBudget(BigInteger.ZERO, ZoneOffset.UTC)), BigInteger.ONE, burn, now);

        // then
        assertThat(usage.orElseThrow().projectedMonthNanos()).isEqualTo(burn.multiply(BigInteger.valueOf(3))
                .add(BigInteger.ONE));
    }
}
