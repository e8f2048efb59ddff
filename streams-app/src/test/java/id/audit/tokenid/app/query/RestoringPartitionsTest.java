package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.topology.StoreNames;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A partition counts as restoring from the start of a usage store's restore to its end or suspension. */
class RestoringPartitionsTest {

    private static final TopicPartition TOTALS_3 = new TopicPartition("app-usage-totals-changelog", 3);
    private static final TopicPartition BUCKETS_3 = new TopicPartition("app-usage-cost-buckets-changelog", 3);

    @Test
    void marksAPartitionUntilEveryUsageStoreOfItIsRestored() {
        // given
        RestoringPartitions restoring = new RestoringPartitions();

        // when: both usage stores of partition 3 start, one ends
        restoring.onRestoreStart(TOTALS_3, StoreNames.TOTALS, 0, 100);
        restoring.onRestoreStart(BUCKETS_3, StoreNames.COST_BUCKETS, 0, 100);
        restoring.onRestoreEnd(TOTALS_3, StoreNames.TOTALS, 100);

        // then
        assertThat(restoring.isRestoring(3)).isTrue();
        assertThat(restoring.isRestoring(2)).isFalse();
        restoring.onRestoreSuspended(BUCKETS_3, StoreNames.COST_BUCKETS, 40);
        assertThat(restoring.isRestoring(3)).isFalse();
    }

    @Test
    void ignoresOtherStoresAndEndsWithoutAStart() {
        RestoringPartitions restoring = new RestoringPartitions();

        restoring.onRestoreStart(new TopicPartition("app-seen-event-id-chunks-changelog", 1), "seen-event-id-chunks", 0, 9);
        restoring.onRestoreEnd(TOTALS_3, StoreNames.TOTALS, 0);

        assertThat(restoring.isRestoring(1)).isFalse();
        assertThat(restoring.isRestoring(3)).isFalse();
    }

    @Test
    void aRestartedRestoreIsClearedByItsOwnEnd() {
        // given: a restore whose end was never reported (its task closed dirty), then a new one
        RestoringPartitions restoring = new RestoringPartitions();
        restoring.onRestoreStart(TOTALS_3, StoreNames.TOTALS, 0, 100);
        restoring.onRestoreStart(TOTALS_3, StoreNames.TOTALS, 0, 120);

        // when
        restoring.onRestoreEnd(TOTALS_3, StoreNames.TOTALS, 120);

        // then
        assertThat(restoring.isRestoring(3)).isFalse();
    }
}
