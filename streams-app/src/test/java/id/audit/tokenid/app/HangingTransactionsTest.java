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
    private static final Instant SEEN_SINCE = Instant.parse("2026-12-02T16:08:35.878Z");
    /** The hanging transaction a broker SIGKILL left in a chaos run (RELIABILITY.md). */
    private static final HangingTransactions.Open OPEN = new HangingTransactions.Open(KEPT_2, 1, 34, 288, SEEN_SINCE);

    private final HangingTransactions rule = new HangingTransactions(Duration.ofMinutes(2));

    @Test
    void aTransactionTheCoordinatorHasMovedPastIsHanging() {
        // what describeTransactions answered in that run: four transactions later, committed
        var coordinator = new HangingTransactions.Coordinator("chaos-8a6c978d-2", 38, TransactionState.COMPLETE_COMMIT,
                Set.of());

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), SEEN_SINCE.plusSeconds(130)))
                .containsExactly(OPEN);
    }

    @Test
    void aProducerTheCoordinatorDoesNotKnowLeavesItsTransactionHanging() {
        assertThat(rule.hanging(List.of(OPEN), Map.of(), SEEN_SINCE.plusSeconds(130))).containsExactly(OPEN);
    }

    @Test
    void aRecentTransactionIsNeverHanging() {
        assertThat(rule.hanging(List.of(OPEN), Map.of(), SEEN_SINCE.plusSeconds(119))).isEmpty();
    }

    @Test
    void theSameTransactionStillOngoingAtItsCoordinatorIsNotHanging() {
        var coordinator = new HangingTransactions.Coordinator("t", 34, TransactionState.ONGOING, Set.of(KEPT_2));

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), SEEN_SINCE.plusSeconds(600))).isEmpty();
    }

    @Test
    void anOngoingTransactionWithoutThisPartitionOrOfAnotherEpochLeavesItHanging() {
        var otherPartition = new HangingTransactions.Coordinator("t", 34, TransactionState.ONGOING,
                Set.of(new TopicPartition("chaos-by-org-kept-changelog", 1)));
        var laterEpoch = new HangingTransactions.Coordinator("t", 35, TransactionState.ONGOING, Set.of(KEPT_2));
        Instant now = SEEN_SINCE.plusSeconds(600);

        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, otherPartition), now)).containsExactly(OPEN);
        assertThat(rule.hanging(List.of(OPEN), Map.of(1L, laterEpoch), now)).containsExactly(OPEN);
    }

    @Test
    void aCoordinatorWritingItsMarkersIsGivenTime() {
        for (TransactionState writing : List.of(TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_EPOCH_FENCE)) {
            var coordinator = new HangingTransactions.Coordinator("t", 35, writing, Set.of(KEPT_2));

            assertThat(rule.hanging(List.of(OPEN), Map.of(1L, coordinator), SEEN_SINCE.plusSeconds(600))).isEmpty();
        }
    }

    @Test
    void aTransactionKeepsItsFirstSightingWhileItStaysOpenAtTheSameOffset() {
        var sightings = new HangingTransactions.Sightings();
        Instant first = SEEN_SINCE;
        Instant minuteLater = first.plusSeconds(60);
        Instant twoMinutesLater = first.plusSeconds(130);

        assertThat(sightings.sinceFirstSeen(List.of(OPEN.seenSince(first)), first)).containsExactly(OPEN);
        assertThat(sightings.sinceFirstSeen(List.of(OPEN.seenSince(minuteLater)), minuteLater)).containsExactly(OPEN);
        List<HangingTransactions.Open> seen = sightings.sinceFirstSeen(List.of(OPEN.seenSince(twoMinutesLater)),
                twoMinutesLater);

        assertThat(seen).containsExactly(OPEN);
        assertThat(rule.hanging(seen, Map.of(), twoMinutesLater)).containsExactly(OPEN);
    }

    @Test
    void liveTransactionsOneAfterAnotherAreNeverStaleHoweverOldTheirRecordsAre() {
        // Kafka Streams commits every 500 ms: each check sees a newer transaction (new start
        // offset and epoch); the record timestamps in them may be hours old, which must not matter.
        var sightings = new HangingTransactions.Sightings();
        for (int check = 0; check < 5; check++) {
            Instant now = SEEN_SINCE.plusSeconds(60L * check);
            var live = new HangingTransactions.Open(KEPT_2, 1, 34 + check, 288 + 10L * check, now);

            List<HangingTransactions.Open> seen = sightings.sinceFirstSeen(List.of(live), now);

            assertThat(rule.hanging(seen, Map.of(), now)).isEmpty();
        }
    }

    @Test
    void aTransactionNoLongerOpenIsForgottenAndStartsAfreshIfSeenAgain() {
        var sightings = new HangingTransactions.Sightings();
        sightings.sinceFirstSeen(List.of(OPEN), SEEN_SINCE);
        sightings.sinceFirstSeen(List.of(), SEEN_SINCE.plusSeconds(60));
        Instant later = SEEN_SINCE.plusSeconds(180);

        assertThat(sightings.sinceFirstSeen(List.of(OPEN.seenSince(later)), later))
                .containsExactly(OPEN.seenSince(later));
    }
}
