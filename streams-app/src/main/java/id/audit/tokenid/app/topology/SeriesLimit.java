package id.audit.tokenid.app.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The cardinality guard: how many real (provider, model) series each org may have
 * ({@code --max-series-per-org}). The admitted series are the org's keys in the totals store,
 * nothing else, so the same pairs are admitted after a restart, on a standby taking over and
 * after a replay: a pair has its own series exactly when its key is stored. A pair first seen
 * while its org is at the limit is counted in the org's OVERFLOW series, and stays there for as
 * long as the org is at the limit (series are never removed, so until the limit is raised).
 * Lowering the limit removes no series; it only admits no new one.
 *
 * <p>Each org's stored series are counted once per processor life (a prefix scan, on the
 * org's first new pair) and the count is then kept up to date as pairs are admitted. The
 * counts include pairs admitted since the last commit, whose keys are not stored yet, so
 * {@link #forget} must run whenever those are thrown away. The map holds one int per org of
 * the task that saw a new pair.
 */
final class SeriesLimit {

    private final int limit;
    private final ToIntFunction<String> storedSeries;
    private final Map<String, Integer> admitted = new HashMap<>();

    /**
     * @param storedSeries how many real series (not OVERFLOW) the store holds for an org
     */
    SeriesLimit(int limit, ToIntFunction<String> storedSeries) {
        this.limit = limit;
        this.storedSeries = storedSeries;
    }

    /** Over the totals store: its keys under the org's prefix, less the OVERFLOW key. */
    static SeriesLimit over(ReadOnlyKeyValueStore<Bytes, byte[]> totals, int limit) {
        return new SeriesLimit(limit, orgId -> countSeries(totals, orgId));
    }

    /**
     * Whether a pair that has no stored series yet gets its own; if so it is counted now, so
     * the caller must create the series (and never ask again for the same pair).
     */
    boolean admitNew(String orgId) {
        int count = admitted.computeIfAbsent(orgId, storedSeries::applyAsInt);
        if (count >= limit) {
            return false;
        }
        admitted.put(orgId, count + 1);
        return true;
    }

    /** Forgets every count: series admitted since the last commit were thrown away. */
    void forget() {
        admitted.clear();
    }

    private static int countSeries(ReadOnlyKeyValueStore<Bytes, byte[]> totals, String orgId) {
        Bytes overflow = StoreKeys.overflowSeries(orgId);
        int count = 0;
        try (KeyValueIterator<Bytes, byte[]> keys = totals.prefixScan(StoreKeys.seriesPrefix(orgId),
                new BytesSerializer())) {
            while (keys.hasNext()) {
                if (!keys.next().key.equals(overflow)) {
                    count++;
                }
            }
        }
        return count;
    }
}
