package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.UsageTotals;
import id.audit.tokenid.app.topology.WideSum;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.util.List;
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
        OrgUsage usage = StoreReads.org("org-1", series.iterator(), buckets.iterator());

        // then
        assertThat(usage.orgId()).isEqualTo("org-1");
        assertThat(usage.series()).hasSize(1);
        assertThat(usage.series().get(0).requests()).isEqualTo(1);
        assertThat(usage.rolling24hCostNanos()).isEqualTo(BigInteger.valueOf(7));
    }
}
