package id.audit.tokenid.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Which open transactions on a partition are hanging: the partition holds records of a
 * transaction that its coordinator no longer has open, so no marker will ever end it. A hanging
 * transaction holds the partition's last stable offset back for good: read_committed readers
 * (Kafka Streams restoring a changelog, a dead-letter consumer) stop at it, and a task whose
 * changelog hangs never finishes restoring, so its orgs stay unanswered.
 *
 * <p>Seen here after a SIGKILL of the broker (RELIABILITY.md): the coordinator aborted a stream
 * thread's transaction that had timed out while the broker was down, and the abort marker never
 * reached one changelog partition, to which the producer's retried batch was appended after the
 * restart (transactions v2, Kafka 4.4).
 *
 * <p>The rule, as {@code kafka-transactions.sh find-hanging} has it: a transaction seen open on
 * the partition, at the same start offset, for longer than {@code staleAfter} (Kafka Streams' transactions end within a commit
 * interval, or are aborted at their 10-s timeout) whose producer's coordinator is not in that
 * same transaction (same epoch, still ongoing, this partition in it). Coordinators in the middle
 * of writing markers ({@code PREPARE_*}) are given time.
 */
final class HangingTransactions {

    /**
     * A transaction a partition has open, as {@code Admin#describeProducers} tells it, and since
     * when it has been seen open at that start offset. Not the producer's last write: that is
     * the batch's record timestamp (for a changelog, the event time of what was counted), which
     * can be hours old in a live transaction, and a live one then looked stale at once: a chaos
     * run logged live transactions as hanging when the coordinator had moved on to the next one
     * between the two questions (transactions v2 bump the epoch at every commit).
     */
    record Open(TopicPartition partition, long producerId, int producerEpoch, long startOffset, Instant seenSince) {

        Open seenSince(Instant since) {
            return new Open(partition, producerId, producerEpoch, startOffset, since);
        }
    }

    /**
     * When each open transaction was first seen by a watch that asks again and again: the same
     * transaction (partition, producer, epoch, start offset) keeps its first sighting; one no
     * longer open is forgotten.
     */
    static final class Sightings {

        private final Map<Open, Instant> firstSeen = new HashMap<>();

        /** The transactions observed now, each with the instant it was first seen open. */
        List<Open> sinceFirstSeen(List<Open> observed, Instant now) {
            Map<Open, Instant> still = new HashMap<>();
            List<Open> result = new ArrayList<>();
            for (Open transaction : observed) {
                Open key = transaction.seenSince(Instant.EPOCH);
                Instant since = firstSeen.getOrDefault(key, now);
                still.put(key, since);
                result.add(transaction.seenSince(since));
            }
            firstSeen.clear();
            firstSeen.putAll(still);
            return result;
        }
    }

    /** What the coordinator holds for a producer id, as {@code Admin#describeTransactions} tells it. */
    record Coordinator(String transactionalId, int producerEpoch, TransactionState state, Set<TopicPartition> partitions) {
    }

    private final Duration staleAfter;

    HangingTransactions(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    /**
     * @param coordinators by producer id; a producer id missing has no transaction at its coordinator
     */
    List<Open> hanging(List<Open> open, Map<Long, Coordinator> coordinators, Instant now) {
        List<Open> hanging = new ArrayList<>();
        for (Open transaction : open) {
            if (Duration.between(transaction.seenSince(), now).compareTo(staleAfter) < 0) {
                continue;
            }
            Optional<Coordinator> coordinator = Optional.ofNullable(coordinators.get(transaction.producerId()));
            if (coordinator.isEmpty() || !stillOpen(transaction, coordinator.get())) {
                hanging.add(transaction);
            }
        }
        return hanging;
    }

    private static boolean stillOpen(Open transaction, Coordinator coordinator) {
        return switch (coordinator.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> true;
            case ONGOING -> coordinator.producerEpoch() == transaction.producerEpoch()
                    && coordinator.partitions().contains(transaction.partition());
            default -> false;
        };
    }
}
