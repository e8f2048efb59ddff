package id.audit.tokenid.app.query;

import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.TopologySettings;
import id.audit.tokenid.app.topology.UsageTotals;
import id.audit.tokenid.app.topology.WideSum;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Turns the contents of the totals and cost-bucket stores into {@link OrgUsage}, whichever way
 * the stores were reached (interactive queries, or a test driver). Every iterator is closed.
 * Sums are exact and cannot overflow: the stored totals are up to 128 bits, and the rolling
 * cost adds at most a day of buckets into a {@link WideSum}.
 */
public final class StoreReads {

    private static final long WINDOW_MILLIS = TopologySettings.ROLLING_WINDOW.toMillis();
    private static final Comparator<ModelUsage> BY_SERIES =
            Comparator.comparing(ModelUsage::provider).thenComparing(ModelUsage::model);

    private StoreReads() {
    }

    /** One org's usage as of {@code now}: a prefix scan of its series and its buckets. */
    public static OrgUsage readOrg(ReadOnlyKeyValueStore<Bytes, byte[]> totals,
                                   ReadOnlyWindowStore<Bytes, byte[]> buckets, String orgId, Instant now) {
        List<ModelUsage> series = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = totals.prefixScan(StoreKeys.seriesPrefix(orgId),
                new BytesSerializer())) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                series.add(modelUsage(entry.key, entry.value));
            }
        }
        WideSum rolling = new WideSum();
        try (WindowStoreIterator<byte[]> it = buckets.fetch(Bytes.wrap(StoreKeys.org(orgId)),
                windowStart(now), now)) {
            while (it.hasNext()) {
                rolling.add(WideSum.fromBytes(it.next().value));
            }
        }
        series.sort(BY_SERIES);
        return new OrgUsage(orgId, series, rolling.toBigInteger());
    }

    /** Every org the stores hold, sorted by org id. */
    public static List<OrgUsage> readAll(ReadOnlyKeyValueStore<Bytes, byte[]> totals,
                                         ReadOnlyWindowStore<Bytes, byte[]> buckets, Instant now) {
        Map<String, List<ModelUsage>> seriesByOrg = new TreeMap<>();
        Map<String, WideSum> rollingByOrg = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = totals.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                String org = StoreKeys.parseSeries(entry.key).orgId();
                seriesByOrg.computeIfAbsent(org, o -> new ArrayList<>()).add(modelUsage(entry.key, entry.value));
            }
        }
        try (KeyValueIterator<Windowed<Bytes>, byte[]> it = buckets.fetchAll(windowStart(now), now)) {
            while (it.hasNext()) {
                KeyValue<Windowed<Bytes>, byte[]> entry = it.next();
                String org = new String(entry.key.key().get(), StandardCharsets.UTF_8);
                rollingByOrg.computeIfAbsent(org, o -> new WideSum()).add(WideSum.fromBytes(entry.value));
                seriesByOrg.computeIfAbsent(org, o -> new ArrayList<>());
            }
        }
        List<OrgUsage> orgs = new ArrayList<>();
        seriesByOrg.forEach((org, series) -> {
            series.sort(BY_SERIES);
            WideSum rolling = rollingByOrg.get(org);
            orgs.add(new OrgUsage(org, series, rolling == null ? BigInteger.ZERO : rolling.toBigInteger()));
        });
        return orgs;
    }

    /** Buckets that start in (now − 24 h, now] count: the edge error is at most one bucket. */
    private static Instant windowStart(Instant now) {
        return now.minusMillis(WINDOW_MILLIS - 1);
    }

    private static ModelUsage modelUsage(Bytes key, byte[] value) {
        StoreKeys.SeriesId id = StoreKeys.parseSeries(key);
        UsageTotals totals = UsageTotals.fromBytes(value);
        return new ModelUsage(id.provider(), id.model(), totals.requests(), totals.inputTokens(),
                totals.outputTokens(), totals.costNanos());
    }
}
