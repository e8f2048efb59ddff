package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The month to date at the start of a month in three zones: UTC, one with daylight saving time
 * (Europe/Berlin) and one 45 minutes off the hour (Asia/Kathmandu). Each event costs a different
 * power of two USD, so a sum tells which events it holds. Month starts and lengths are written
 * out here, not computed by the code under test.
 */
class MonthToDateEdgeTest {

    private static final long USD = 1_000_000_000L;
    private static final BigInteger BUDGET = BigInteger.valueOf(100 * USD);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // zone,          start of March 2026 there, millis from 30 min after it to the end of March,
            //                                           month to date in UTC months 30 min after it
            "UTC,             2026-03-01T00:00:00Z,      2676600000,  124",
            // CET until 29 March, then CEST: March ends at 22:00 UTC, an hour short
            "Europe/Berlin,   2026-02-28T23:00:00Z,      2673000000,  127",
            "Asia/Kathmandu,  2026-02-28T18:15:00Z,      2676600000,  127",
    })
    void countsTheEventsOfTheOrgsMonthInItsZoneAndTheEarlierOnesInTheTotalsOnly(String zone, Instant monthStart,
                                                                                long millisLeft, long utcMonthUsd) {
        // given: events either side of the month's start, read 30 minutes into the month
        Instant now = monthStart.plus(Duration.ofMinutes(30));
        fixture = new TopologyFixture(TopologySettings.defaults(), now, stateDir);
        List<Instant> times = List.of(
                monthStart.minus(Duration.ofDays(3)),          // 1 USD: last month, outside 24 h
                monthStart.minusMillis(1),                     // 2: last month, inside 1 h
                monthStart,                                    // 4
                monthStart.plusMillis(1),                      // 8
                monthStart.plus(Duration.ofMinutes(15)).minusMillis(1), // 16
                monthStart.plus(Duration.ofMinutes(15)));      // 32
        for (int i = 0; i < times.size(); i++) {
            fixture.send(apiCall("acme").provider("p").model("m").cost(Long.toString(1L << i)).at(times.get(i)).json());
        }
        fixture.send(apiCall("acme").cost("64").at(monthStart.plus(Duration.ofMinutes(20))).json()); // no series
        BudgetLookup budgets = org -> org.equals("acme")
                ? Optional.of(new OrgBudget(BUDGET, ZoneId.of(zone))) : Optional.empty();

        // when
        OrgUsage acme = fixture.usage("acme", now, budgets);

        // then
        assertThat(acme.series()).extracting(ModelUsage::requests, ModelUsage::costNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, BigInteger.valueOf(63 * USD)));
        assertThat(acme.rolling24hCostNanos()).isEqualTo(126 * USD);
        assertThat(acme.rolling1hCostNanos()).isEqualTo(126 * USD);
        assertThat(acme.monthToDateCostNanos()).isEqualTo(124 * USD);
        BigInteger projected = BigInteger.valueOf(124 * USD).add(BigInteger.valueOf(126 * USD)
                .multiply(BigInteger.valueOf(millisLeft)).divide(BigInteger.valueOf(86_400_000L)));
        assertThat(acme.budget()).contains(new BudgetUsage(BUDGET, projected));
        assertThat(acme.budgetRemainingNanos()).contains(BigInteger.valueOf(-24 * USD));
        // The admin read of every org agrees.
        assertThat(fixture.allUsage(now, budgets)).containsExactly(acme);
        // Without a budget the month is the UTC month.
        OrgUsage utc = fixture.usage("acme", now);
        assertThat(utc.monthToDateCostNanos()).isEqualTo(utcMonthUsd * USD);
        assertThat(utc.budget()).isEmpty();
        // A millisecond before the month started, the month to date was last month's.
        assertThat(fixture.usage("acme", monthStart.minusMillis(1), budgets).monthToDateCostNanos())
                .isEqualTo(3 * USD);
    }

    @Test
    void skipsQuarterHoursOlderThanTheStoreKeepsButCountsTheEventInTheTotals() {
        // given
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        fixture = new TopologyFixture(TopologySettings.defaults(), now, stateDir);
        Instant old = now.minus(TopologySettings.QUARTER_HOUR_RETENTION).minusSeconds(1);
        Instant kept = now.minus(TopologySettings.QUARTER_HOUR_RETENTION).plus(Duration.ofMinutes(15));

        // when
        fixture.send(apiCall("acme").provider("p").model("m").cost("1").at(old).json());
        fixture.send(apiCall("acme").provider("p").model("m").cost("2").at(kept).json());

        // then
        var quarterHours = fixture.driver.<Bytes, byte[]>getWindowStore(StoreNames.COST_QUARTER_HOURS);
        Bytes org = Bytes.wrap(StoreKeys.org("acme"));
        assertThat(quarterHours.fetch(org, quarterStart(old))).isNull();
        assertThat(quarterHours.fetch(org, quarterStart(kept))).isNotNull();
        assertThat(fixture.usage("acme").series()).extracting(ModelUsage::costNanos)
                .containsExactly(BigInteger.valueOf(3 * USD));
        assertThat(fixture.usage("acme").monthToDateCostNanos()).isZero();
    }

    private static long quarterStart(Instant time) {
        long quarter = Duration.ofMinutes(15).toMillis();
        return Math.floorDiv(time.toEpochMilli(), quarter) * quarter;
    }
}
