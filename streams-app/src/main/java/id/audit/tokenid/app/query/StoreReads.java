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
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
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
        try (KeyValueIterator<Bytes, byte[]> series = totals.prefixScan(StoreKeys.seriesPrefix(orgId),
                new BytesSerializer());
             WindowStoreIterator<byte[]> costs = buckets.fetch(Bytes.wrap(StoreKeys.org(orgId)),
                     windowStart(now), now)) {
            return org(orgId, series, costs);
        }
    }

    /**
     * One org's usage from its series (keys outside the org's prefix are skipped, so a range
     * scan up to {@link #prefixEnd} will do) and its cost buckets of the rolling window (as from
     * {@link #windowStart}); the caller closes both iterators.
     */
    public static OrgUsage org(String orgId, Iterator<KeyValue<Bytes, byte[]>> series,
                               Iterator<KeyValue<Long, byte[]>> buckets) {
        byte[] prefix = StoreKeys.seriesPrefix(orgId).get();
        List<ModelUsage> models = new ArrayList<>();
        while (series.hasNext()) {
            KeyValue<Bytes, byte[]> entry = series.next();
            if (startsWith(entry.key.get(), prefix)) {
                models.add(modelUsage(entry.key, entry.value));
            }
        }
        WideSum rolling = new WideSum();
        while (buckets.hasNext()) {
            rolling.add(WideSum.fromBytes(buckets.next().value));
        }
        models.sort(BY_SERIES);
        return new OrgUsage(orgId, models, rolling.toBigInteger());
    }

    /**
     * The least key above every key that starts with {@code prefix}: its last byte plus one. An
     * org's prefix ends in the org id's UTF-8 bytes, which are never 0xFF, so nothing carries.
     */
    public static Bytes prefixEnd(Bytes prefix) {
        byte[] end = prefix.get().clone();
        if (end.length == 0 || end[end.length - 1] == (byte) 0xFF) {
            throw new IllegalArgumentException("prefix must end in a byte below 0xFF");
        }
        end[end.length - 1]++;
        return Bytes.wrap(end);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
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
    public static Instant windowStart(Instant now) {
        return now.minusMillis(WINDOW_MILLIS - 1);
    }

    private static ModelUsage modelUsage(Bytes key, byte[] value) {
        StoreKeys.SeriesId id = StoreKeys.parseSeries(key);
        UsageTotals totals = UsageTotals.fromBytes(value);
        return new ModelUsage(id.provider(), id.model(), totals.requests(), totals.inputTokens(),
                totals.outputTokens(), totals.costNanos());
    }
}
