package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AbandonedTransactionsTest {

    private static final TopicPartition TOTALS_1 = new TopicPartition("app-usage-totals-changelog", 1);
    private static final TopicPartition CHUNKS_1 = new TopicPartition("app-seen-event-id-chunks-changelog", 1);
    private static final AbandonedTransactions RULE = new AbandonedTransactions("app");

    private static HangingTransactions.Open open(TopicPartition partition, long producerId, int epoch) {
        return new HangingTransactions.Open(partition, producerId, epoch, 51, Instant.EPOCH);
    }

    private static HangingTransactions.Coordinator coordinator(String id, int epoch, TransactionState state,
                                                               TopicPartition... partitions) {
        return new HangingTransactions.Coordinator(id, epoch, state, Set.of(partitions));
    }

    @Test
    void theOngoingTransactionOfThisApplicationOnARestoringPartitionIsFencedOnceWithEveryPartitionItHolds() {
        var fence = RULE.toFence(List.of(open(TOTALS_1, 7, 3), open(CHUNKS_1, 7, 3)),
                Map.of(7L, coordinator("app-4f1c-1", 3, TransactionState.ONGOING, TOTALS_1, CHUNKS_1)));

        assertThat(fence).containsOnlyKeys("app-4f1c-1");
        assertThat(fence.get("app-4f1c-1")).containsExactlyInAnyOrder(TOTALS_1, CHUNKS_1);
    }

    @Test
    void anotherApplicationsProducerIsNeverFenced() {
        assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)),
                Map.of(7L, coordinator("billing-1", 3, TransactionState.ONGOING, TOTALS_1)))).isEmpty();
        // "app" must be followed by the separator: "application-…" is someone else's
        assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)),
                Map.of(7L, coordinator("application-1", 3, TransactionState.ONGOING, TOTALS_1)))).isEmpty();
    }

    @Test
    void aTransactionTheCoordinatorIsEndingOrNoLongerHasIsLeftAlone() {
        for (TransactionState ending : List.of(TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT,
                TransactionState.COMPLETE_ABORT, TransactionState.COMPLETE_COMMIT, TransactionState.EMPTY)) {
            assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)),
                    Map.of(7L, coordinator("app-1", 3, ending, TOTALS_1)))).as("%s", ending).isEmpty();
        }
        // a newer epoch: the producer restarted, which ended the transaction the partition shows (or it hangs)
        assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)),
                Map.of(7L, coordinator("app-1", 4, TransactionState.ONGOING, TOTALS_1)))).isEmpty();
        // ongoing, but without this partition: the one the partition shows is over
        assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)),
                Map.of(7L, coordinator("app-1", 3, TransactionState.ONGOING, CHUNKS_1)))).isEmpty();
        // no coordinator at all
        assertThat(RULE.toFence(List.of(open(TOTALS_1, 7, 3)), Map.of())).isEmpty();
    }
}
