package id.audit.tokenid.app;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** Kafka Streams takes one global restore listener; this one tells each of several, in order. */
final class RestoreListeners implements StateRestoreListener {

    private final List<StateRestoreListener> listeners;

    RestoreListeners(List<StateRestoreListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String storeName, long startingOffset, long endingOffset) {
        listeners.forEach(listener -> listener.onRestoreStart(changelog, storeName, startingOffset, endingOffset));
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String storeName, long batchEndOffset, long numRestored) {
        listeners.forEach(listener -> listener.onBatchRestored(changelog, storeName, batchEndOffset, numRestored));
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String storeName, long totalRestored) {
        listeners.forEach(listener -> listener.onRestoreEnd(changelog, storeName, totalRestored));
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String storeName, long totalRestored) {
        listeners.forEach(listener -> listener.onRestoreSuspended(changelog, storeName, totalRestored));
    }
}
