package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.UsageTotals;
import id.audit.tokenid.app.topology.WideSum;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class StoreReadsTest {

    @Test
    void prefixEndSortsAfterEveryKeyOfTheOrgAndBeforeTheNextOrg() {
        // given
        Bytes prefix = StoreKeys.seriesPrefix("org-1");

        // when
        Bytes end = StoreReads.prefixEnd(prefix);

        // then
        assertThat(StoreKeys.series("org-1", "\uffff", "\uffff").compareTo(end)).isNegative();
        assertThat(StoreKeys.series("org-1", "a", "b").compareTo(prefix)).isPositive();
        assertThat(StoreKeys.seriesPrefix("org-2").compareTo(end)).isGreaterThanOrEqualTo(0);
        assertThat(StoreKeys.series("org-10", "a", "b").compareTo(end)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void orgSkipsSeriesOfOtherOrgsThatARangeScanReturns() {
        // given
        UsageTotals one = new UsageTotals();
        one.add(2, 3, 4);
        List<KeyValue<Bytes, byte[]>> series = List.of(
                KeyValue.pair(StoreKeys.series("org-1", "openai", "gpt"), one.toBytes()),
                KeyValue.pair(StoreKeys.series("org-10", "openai", "gpt"), one.toBytes()));
        WideSum cost = new WideSum();
        cost.add(7);
        List<KeyValue<Long, byte[]>> buckets = List.of(KeyValue.pair(0L, cost.toBytes()));

        // when
        OrgUsage usage = StoreReads.org("org-1", series.iterator(), buckets.iterator(),
                List.<KeyValue<Long, byte[]>>of().iterator(), Instant.ofEpochMilli(0), Optional.empty());

        // then
        assertThat(usage.orgId()).isEqualTo("org-1");
        assertThat(usage.series()).hasSize(1);
        assertThat(usage.series().get(0).requests()).isEqualTo(1);
        assertThat(usage.rolling24hCostNanos()).isEqualTo(BigInteger.valueOf(7));
    }
    @Test
    void theHourIsTheBucketsOfTheDayThatStartAfterNowLessOneHour() {
        // given: buckets of the 24 h window at the hour's edge and inside it
        Instant now = Instant.parse("2026-05-10T12:00:00Z");
        long hourAgo = now.minus(Duration.ofHours(1)).toEpochMilli();
        List<KeyValue<Long, byte[]>> buckets = List.of(
                KeyValue.pair(hourAgo - 60_000, cost(1)),
                KeyValue.pair(hourAgo, cost(2)),
                KeyValue.pair(hourAgo + 1, cost(4)),
                KeyValue.pair(now.toEpochMilli(), cost(8)));

        // when
        OrgUsage usage = StoreReads.org("org-1", List.<KeyValue<Bytes, byte[]>>of().iterator(), buckets.iterator(),
                List.of(KeyValue.pair(0L, cost(16)), KeyValue.pair(1L, cost(32))).iterator(), now, Optional.empty());

        // then
        assertThat(usage.rolling24hCostNanos()).isEqualTo(15);
        assertThat(usage.rolling1hCostNanos()).isEqualTo(12);
        assertThat(usage.monthToDateCostNanos()).isEqualTo(48);
        assertThat(usage.budget()).isEmpty();
    }

    @Test
    void givesBudgetFiguresOnlyToAnOrgWithABudget() {
        // given: 1 USD month to date, 2 USD in the last 24 h, 10 USD budget, read half a day before the month ends
        Instant now = Instant.parse("2026-06-30T12:00:00Z");
        OrgBudget budget = new OrgBudget(BigInteger.valueOf(10_000_000_000L), ZoneOffset.UTC);

        // when
        OrgUsage usage = StoreReads.org("org-1", List.<KeyValue<Bytes, byte[]>>of().iterator(),
                List.of(KeyValue.pair(now.toEpochMilli(), cost(2_000_000_000L))).iterator(),
                List.of(KeyValue.pair(now.toEpochMilli(), cost(1_000_000_000L))).iterator(), now, Optional.of(budget));

        // then: 1 + 2 x 0.5 days = 2 USD projected; 9 USD remaining
        assertThat(usage.budget()).contains(new BudgetUsage(BigInteger.valueOf(10_000_000_000L),
                BigInteger.valueOf(2_000_000_000L)));
        assertThat(usage.budgetRemainingNanos()).contains(BigInteger.valueOf(9_000_000_000L));
    }

    private static byte[] cost(long nanos) {
        WideSum sum = new WideSum();
        sum.add(nanos);
        return sum.toBytes();
    }
}
