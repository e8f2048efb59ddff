package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.util.function.Consumer;

/**
 * The {@link CountedBatch}es one task is gathering, one per by-org partition. What is in them
 * has been read but not sent: the parse step sends each one when it is full and keeps the rest
 * in its store just before the task commits (see {@link ParseProcessor}); a revived task starts
 * with none.
 */
final class ByOrgBatches {

    private final CountedBatch[] batches;

    ByOrgBatches(int partitions) {
        batches = new CountedBatch[partitions];
        for (int partition = 0; partition < partitions; partition++) {
            batches[partition] = new CountedBatch();
        }
    }

    /** Adds the event to its partition's batch; returns that batch, taken, once it is full, else null. */
    byte[] add(int partition, ApiCallEvent event) {
        CountedBatch batch = batches[partition];
        batch.add(CountedEventSerde.encode(event));
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
        for (CountedBatch batch : batches) {
            batch.clear();
        }
    }
}
