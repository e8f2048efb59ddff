package id.audit.tokenid.app.query;

import id.audit.tokenid.app.topology.StoreNames;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The partitions whose usage stores an active task of this instance is restoring right now, as
 * Kafka Streams reports them to its restore listener (from {@code onRestoreStart} to
 * {@code onRestoreEnd} or {@code onRestoreSuspended}). A read of such a partition is refused:
 * the store holds an earlier state than the one its last owner answered with. Usually the
 * stream thread is not RUNNING then and interactive queries refuse anyway; not so for a task
 * revived after corruption, which restores on a RUNNING thread (see {@link AnswerFloor}, which
 * also covers the moment between the store's reopening and {@code onRestoreStart}).
 */
public final class RestoringPartitions implements StateRestoreListener {

    private static final Set<String> USAGE_STORES = Set.of(StoreNames.TOTALS, StoreNames.COST_BUCKETS);

    /**
     * The (store, partition) pairs restoring. A set, not a count: every activation of a task
     * starts and ends a restore of each of its stores (with nothing to restore too), so a pair
     * whose end was never reported is cleared by the next activation.
     */
    private final Set<StorePartition> restoring = ConcurrentHashMap.newKeySet();

    /** Whether any usage store partition is being restored. */
    public boolean any() {
        return !restoring.isEmpty();
    }

    public boolean isRestoring(int partition) {
        return restoring.contains(new StorePartition(StoreNames.TOTALS, partition))
                || restoring.contains(new StorePartition(StoreNames.COST_BUCKETS, partition));
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String storeName, long startingOffset, long endingOffset) {
        if (USAGE_STORES.contains(storeName)) {
            restoring.add(new StorePartition(storeName, changelog.partition()));
        }
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String storeName, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String storeName, long totalRestored) {
        done(changelog, storeName);
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String storeName, long totalRestored) {
        done(changelog, storeName);
    }

    private void done(TopicPartition changelog, String storeName) {
        if (USAGE_STORES.contains(storeName)) {
            restoring.remove(new StorePartition(storeName, changelog.partition()));
        }
    }

    private record StorePartition(String store, int partition) {
    }
}
