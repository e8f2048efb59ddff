package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {

    private static final TopicPartition KEPT_2 = new TopicPartition("chaos-by-org-kept-changelog", 2);
    private static final Instant LAST_WRITE = Instant.parse("2026-12-02T16:08:35.878Z");
    /** The hanging transaction a broker SIGKILL left in a chaos run (RELIABILITY.md). */
    private static final HangingTransactions.Open OPEN = new HangingTransactions.Open(KEPT_2, 1, 34, 288, LAST_WRITE);

    private final HangingTransactions rule = new HangingTransactions(Duration.ofMinutes(2));

    @Test
    void aTransactionTheCoordinatorHasMovedPastIsHanging() {
        // what describeTransactions answered in that run: four transactions later, committed
        var coordinator = new HangingTransactions.Coordinator("chaos-8a6c978d-2", 38, TransactionState.COMPLETE_COMMIT,
                Set.of());

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), LAST_WRITE.plusSeconds(130)))
                .containsExactly(OPEN);
    }

    @Test
    void aProducerTheCoordinatorDoesNotKnowLeavesItsTransactionHanging() {
        assertThat(rule.hanging(List.of(OPEN), Map.of(), LAST_WRITE.plusSeconds(130))).containsExactly(OPEN);
    }

    @Test
    void aRecentTransactionIsNeverHanging() {
        assertThat(rule.hanging(List.of(OPEN), Map.of(), LAST_WRITE.plusSeconds(119))).isEmpty();
    }

    @Test
    void theSameTransactionStillOngoingAtItsCoordinatorIsNotHanging() {
        var coordinator = new HangingTransactions.Coordinator("t", 34, TransactionState.ONGOING, Set.of(KEPT_2));

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), LAST_WRITE.plusSeconds(600))).isEmpty();
    }

    @Test
    void anOngoingTransactionWithoutThisPartitionOrOfAnotherEpochLeavesItHanging() {
        var otherPartition = new HangingTransactions.Coordinator("t", 34, TransactionState.ONGOING,
                Set.of(new TopicPartition("chaos-by-org-kept-changelog", 1)));
        var laterEpoch = new HangingTransactions.Coordinator("t", 35, TransactionState.ONGOING, Set.of(KEPT_2));
        Instant now = LAST_WRITE.plusSeconds(600);

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, otherPartition), now)).containsExactly(OPEN);
        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, laterEpoch), now)).containsExactly(OPEN);
    }

    @Test
    void aCoordinatorWritingItsMarkersIsGivenTime() {
        for (TransactionState writing : List.of(TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_EPOCH_FENCE)) {
            var coordinator = new HangingTransactions.Coordinator("t", 35, writing, Set.of(KEPT_2));

            assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), LAST_WRITE.plusSeconds(600))).isEmpty();
        }
    }
}
