package id.audit.tokenid.app.query;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.app.budgets.OrgBudget;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Turns the contents of the totals, cost-bucket and quarter-hour stores into {@link OrgUsage},
 * whichever way the stores were reached (interactive queries, or a test driver). Every iterator
 * is closed. Sums are exact and cannot overflow: the stored totals are up to 128 bits, and the
 * window costs add at most a day of buckets or a month of quarter-hours into {@link WideSum}s.
 *
 * <p>The windows, each by the start of its buckets: rolling 24 h and 1 h, buckets of
 * {@code usage-cost-buckets} starting in (now − 24 h, now] and (now − 1 h, now] (the edge error
 * is at most one bucket); month to date, quarter-hours starting in [start of the month in the
 * org's zone, now] ({@link MonthToDate}).
 */
public final class StoreReads {

    private static final long WINDOW_MILLIS = TopologySettings.ROLLING_WINDOW.toMillis();
    private static final long HOUR_MILLIS = TopologySettings.ROLLING_HOUR.toMillis();
    private static final Comparator<ModelUsage> BY_SERIES =
            Comparator.comparing(ModelUsage::provider).thenComparing(ModelUsage::model);

    private StoreReads() {
    }

    /** One org's usage as of {@code now}: a prefix scan of its series, its buckets and quarter-hours. */
    public static OrgUsage readOrg(ReadOnlyKeyValueStore<Bytes, byte[]> totals,
                                   ReadOnlyWindowStore<Bytes, byte[]> buckets,
                                   ReadOnlyWindowStore<Bytes, byte[]> quarterHours, String orgId, Instant now,
                                   BudgetLookup budgets) {
        Optional<OrgBudget> budget = budgets.budgetOf(orgId);
        Bytes org = Bytes.wrap(StoreKeys.org(orgId));
        try (KeyValueIterator<Bytes, byte[]> series = totals.prefixScan(StoreKeys.seriesPrefix(orgId),
                new BytesSerializer());
             WindowStoreIterator<byte[]> costs = buckets.fetch(org, windowStart(now), now);
             WindowStoreIterator<byte[]> month = quarterHours.fetch(org,
                     MonthToDate.monthStart(now, MonthToDate.zoneOf(budget)), now)) {
            return org(orgId, series, costs, month, now, budget);
        }
    }

    /**
     * One org's usage from its series (keys outside the org's prefix are skipped, so a range
     * scan up to {@link #prefixEnd} will do), its cost buckets of the 24 h window (as from
     * {@link #windowStart}; the 1 h window is taken from them) and its quarter-hours of the
     * month (from {@link MonthToDate#monthStart} in the zone of {@code budget}); each bucket
     * keyed by its start in epoch millis. The caller closes the iterators.
     */
    public static OrgUsage org(String orgId, Iterator<KeyValue<Bytes, byte[]>> series,
                               Iterator<KeyValue<Long, byte[]>> buckets, Iterator<KeyValue<Long, byte[]>> quarterHours,
                               Instant now, Optional<OrgBudget> budget) {
        byte[] prefix = StoreKeys.seriesPrefix(orgId).get();
        List<ModelUsage> models = new ArrayList<>();
        while (series.hasNext()) {
            KeyValue<Bytes, byte[]> entry = series.next();
            if (startsWith(entry.key.get(), prefix)) {
                models.add(modelUsage(entry.key, entry.value));
            }
        }
        Windows windows = new Windows();
        while (buckets.hasNext()) {
            KeyValue<Long, byte[]> bucket = buckets.next();
            windows.addBucket(bucket.key, bucket.value, now);
        }
        while (quarterHours.hasNext()) {
            windows.monthToDate.add(WideSum.fromBytes(quarterHours.next().value));
        }
        models.sort(BY_SERIES);
        return windows.usage(orgId, models, now, budget);
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

    /**
     * Every org the stores hold (with a series, or cost in a window), sorted by org id. Budgets
     * are looked up once per org.
     */
    public static List<OrgUsage> readAll(ReadOnlyKeyValueStore<Bytes, byte[]> totals,
                                         ReadOnlyWindowStore<Bytes, byte[]> buckets,
                                         ReadOnlyWindowStore<Bytes, byte[]> quarterHours, Instant now,
                                         BudgetLookup budgets) {
        Map<String, List<ModelUsage>> seriesByOrg = new TreeMap<>();
        Map<String, Windows> windowsByOrg = new HashMap<>();
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
                String org = orgOf(entry.key);
                windowsByOrg.computeIfAbsent(org, o -> new Windows())
                        .addBucket(entry.key.window().start(), entry.value, now);
                seriesByOrg.computeIfAbsent(org, o -> new ArrayList<>());
            }
        }
        // Every org's month starts after the earliest start any zone can have; each org keeps
        // the quarter-hours of its own month.
        Map<String, Optional<OrgBudget>> budgetByOrg = new HashMap<>();
        Map<String, Long> monthStartByOrg = new HashMap<>();
        try (KeyValueIterator<Windowed<Bytes>, byte[]> it = quarterHours.fetchAll(
                MonthToDate.earliestMonthStart(now), now)) {
            while (it.hasNext()) {
                KeyValue<Windowed<Bytes>, byte[]> entry = it.next();
                String org = orgOf(entry.key);
                long monthStart = monthStartByOrg.computeIfAbsent(org, o -> MonthToDate.monthStart(now,
                        MonthToDate.zoneOf(budgetByOrg.computeIfAbsent(o, budgets::budgetOf))).toEpochMilli());
                if (entry.key.window().start() >= monthStart) {
                    windowsByOrg.computeIfAbsent(org, o -> new Windows()).monthToDate
                            .add(WideSum.fromBytes(entry.value));
                    seriesByOrg.computeIfAbsent(org, o -> new ArrayList<>());
                }
            }
        }
        List<OrgUsage> orgs = new ArrayList<>();
        seriesByOrg.forEach((org, series) -> {
            series.sort(BY_SERIES);
            Windows windows = windowsByOrg.getOrDefault(org, new Windows());
            orgs.add(windows.usage(org, series, now, budgetByOrg.computeIfAbsent(org, budgets::budgetOf)));
        });
        return orgs;
    }

    /** Buckets that start in (now − 24 h, now] count: the edge error is at most one bucket. */
    public static Instant windowStart(Instant now) {
        return now.minusMillis(WINDOW_MILLIS - 1);
    }

    private static String orgOf(Windowed<Bytes> key) {
        return new String(key.key().get(), StandardCharsets.UTF_8);
    }

    private static ModelUsage modelUsage(Bytes key, byte[] value) {
        StoreKeys.SeriesId id = StoreKeys.parseSeries(key);
        UsageTotals totals = UsageTotals.fromBytes(value);
        return new ModelUsage(id.provider(), id.model(), totals.requests(), totals.inputTokens(),
                totals.outputTokens(), totals.cachedInputTokens(), totals.cacheWriteInputTokens(),
                totals.reasoningTokens(), totals.costNanos(), totals.unpricedRequests());
    }

    /** One org's window sums while a read gathers them. */
    private static final class Windows {
        final WideSum rolling24h = new WideSum();
        final WideSum rolling1h = new WideSum();
        final WideSum monthToDate = new WideSum();

        /** A bucket of the 24 h window; it is in the 1 h window too when it starts in (now − 1 h, now]. */
        void addBucket(long start, byte[] value, Instant now) {
            WideSum cost = WideSum.fromBytes(value);
            rolling24h.add(cost);
            if (start > now.toEpochMilli() - HOUR_MILLIS) {
                rolling1h.add(cost);
            }
        }

        OrgUsage usage(String orgId, List<ModelUsage> series, Instant now, Optional<OrgBudget> budget) {
            BigInteger month = monthToDate.toBigInteger();
            BigInteger day = rolling24h.toBigInteger();
            return new OrgUsage(orgId, series, day, rolling1h.toBigInteger(), month,
                    MonthToDate.budgetUsage(budget, month, day, now));
        }
    }
}
