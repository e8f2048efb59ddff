package id.audit.tokenid.app.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The cost of each org per event-time bucket of one window store ({@code usage-cost-buckets},
 * {@code usage-cost-quarter-hours}), summed in place between commits and written once per
 * changed bucket just before the task commits (see {@link AggregateProcessor}). The first event
 * of a bucket in a commit interval reads the stored sum.
 */
final class PendingBuckets {

    private final WindowStore<Bytes, byte[]> store;
    private final long widthMillis;
    private final long retentionMillis;
    private final Map<Key, WideSum> pending = new HashMap<>();

    private record Key(Bytes org, long start) {
    }

    PendingBuckets(WindowStore<Bytes, byte[]> store, long widthMillis, long retentionMillis) {
        this.store = store;
        this.widthMillis = widthMillis;
        this.retentionMillis = retentionMillis;
    }

    /**
     * Adds the cost to the org's bucket of {@code eventTimeMillis}. A bucket already older than
     * the store keeps (by the wall clock) is skipped: no read can reach it again, and the store
     * would drop the write anyway; the totals still count the event.
     */
    void add(Bytes org, long eventTimeMillis, long costNanos, long nowMillis) {
        WideSum sum = bucket(org, eventTimeMillis, nowMillis);
        if (sum != null) {
            sum.add(costNanos);
        }
    }

    /** The same for the summed cost of events whose times all fall in the bucket of {@code eventTimeMillis}. */
    void add(Bytes org, long eventTimeMillis, WideSum costNanos, long nowMillis) {
        WideSum sum = bucket(org, eventTimeMillis, nowMillis);
        if (sum != null) {
            sum.add(costNanos);
        }
    }

    /** The pending sum of the bucket, read on its first use; null when the bucket is past the retention. */
    private WideSum bucket(Bytes org, long eventTimeMillis, long nowMillis) {
        long start = Math.floorDiv(eventTimeMillis, widthMillis) * widthMillis;
        if (start + retentionMillis <= nowMillis) {
            return null;
        }
        Key key = new Key(org, start);
        WideSum sum = pending.get(key);
        if (sum == null) {
            sum = WideSum.fromBytes(store.fetch(org, start));
            pending.put(key, sum);
        }
        return sum;
    }

    /** Every changed bucket once; runs just before the task commits, inside its transaction. */
    void write() {
        pending.forEach((key, sum) -> store.put(key.org(), sum.toBytes(), key.start()));
        pending.clear();
    }

    void clear() {
        pending.clear();
    }
}
