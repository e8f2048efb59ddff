package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The batches one task is gathering, one per by-org partition. What is in them has been read but
 * not sent: the parse step sends each one when it is full and keeps the rest in its store just
 * before the task commits (see {@link ParseProcessor}); a revived task starts with none.
 *
 * <p>With dedup on, a batch holds the events themselves ({@link CountedBatch}): the owner needs
 * each event id. With dedup off it holds their partial sums ({@link PartialSumBatch}).
 */
final class ByOrgBatches {

    /** What one destination partition's events are gathered in until they are sent. */
    interface Batch {
        void add(ApiCallEvent event);

        boolean isEmpty();

        boolean isFull();

        /** The batch as a record value for {@code partition}; the batch is empty afterwards. */
        byte[] take(int partition);

        void clear();
    }

    private final Batch[] batches;

    ByOrgBatches(int partitions, Supplier<Batch> newBatch) {
        batches = new Batch[partitions];
        for (int partition = 0; partition < partitions; partition++) {
            batches[partition] = newBatch.get();
        }
    }

    /** Events when dedup is on, partial sums when it is off. */
    static ByOrgBatches of(TopologySettings settings) {
        if (settings.dedupEnabled()) {
            return new ByOrgBatches(settings.orgPartitions(), CountedBatch::new);
        }
        long cell = PartialSumBatch.cellMillis(settings);
        return new ByOrgBatches(settings.orgPartitions(), () -> new PartialSumBatch(cell));
    }

    /** Adds the event to its partition's batch; returns that batch, taken, once it is full, else null. */
    byte[] add(int partition, ApiCallEvent event) {
        Batch batch = batches[partition];
        batch.add(event);
        return batch.isFull() ? batch.take(partition) : null;
    }

    /** Takes every non-empty batch (each names its partition). */
    void takeAll(Consumer<byte[]> send) {
        for (int partition = 0; partition < batches.length; partition++) {
            if (!batches[partition].isEmpty()) {
                send.accept(batches[partition].take(partition));
            }
        }
    }

    void clear() {
        for (Batch batch : batches) {
            batch.clear();
        }
    }
}
