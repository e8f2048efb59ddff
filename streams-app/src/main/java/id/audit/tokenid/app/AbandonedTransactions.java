package id.audit.tokenid.app;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Which transactions to fence so that a task that moved here after its owner died can finish
 * restoring. A changelog partition is written by one task's owner only; while a task of this
 * instance restores it, no live owner writes it (Kafka Streams commits a task before it hands it
 * on). So a transaction open on it belongs to a producer that died with its owner (SIGKILL, a lost
 * machine) or to a zombie the group already dropped. Kafka Streams restores up to the log end
 * and reads committed data only, so the restore waits behind that transaction until the broker
 * times it out: {@code transaction.timeout.ms} (10 s) after it began, found by a check every 10 s.
 * Fencing its transactional id ends it at once: the coordinator aborts the open transaction
 * before it answers {@code initTransactions} with a new epoch, which is what a restarted owner
 * does with its own id, and what Kafka's zombie fencing is for.
 *
 * <p>The rule: the partition has been restoring for at least the grace period (most restores end
 * sooner, with no question asked); the coordinator holds the same transaction (same epoch,
 * ongoing, this partition in it: anything else is either ending already or hanging, which
 * fencing cannot end, see {@link HangingTransactions}); and the transactional id is this
 * application's ({@code <application.id>-} prefix, as Kafka documents for Kafka Streams' ACLs),
 * so no other application's producer is ever fenced.
 */
final class AbandonedTransactions {

    private final String applicationPrefix;

    AbandonedTransactions(String applicationId) {
        this.applicationPrefix = applicationId + "-";
    }

    /**
     * @param open the transactions open on partitions restoring here past the grace period
     * @param coordinators by producer id, as {@link TransactionLookup#coordinators} returns them
     * @return the transactional ids to fence, each with the partitions its transaction holds back
     */
    Map<String, Set<TopicPartition>> toFence(List<HangingTransactions.Open> open,
                                            Map<Long, HangingTransactions.Coordinator> coordinators) {
        Map<String, Set<TopicPartition>> fence = new TreeMap<>();
        for (HangingTransactions.Open transaction : open) {
            HangingTransactions.Coordinator coordinator = coordinators.get(transaction.producerId());
            if (coordinator != null
                    && coordinator.transactionalId().startsWith(applicationPrefix)
                    && coordinator.state() == TransactionState.ONGOING
                    && coordinator.producerEpoch() == transaction.producerEpoch()
                    && coordinator.partitions().contains(transaction.partition())) {
                fence.computeIfAbsent(coordinator.transactionalId(),
                        id -> new TreeSet<>((a, b) -> a.toString().compareTo(b.toString())))
                        .add(transaction.partition());
            }
        }
        return fence;
    }
}
