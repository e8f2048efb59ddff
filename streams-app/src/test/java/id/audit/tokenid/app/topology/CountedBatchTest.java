package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CountedBatchTest {

    private static ApiCallEvent event(int i) {
        return new ApiCallEvent(i % 3 == 0 ? null : "ev-" + i, "org-" + (i % 7), i % 5 == 0 ? null : "openai",
                i % 5 == 0 ? null : "gpt-" + i, i, 2L * i, 1_000_000_007L * i, 1_700_000_000_000L + i);
    }

    @Test
    void aBatchGivesBackEveryEventInOrderAndNamesItsPartition() {
        CountedBatch batch = new CountedBatch();
        List<ApiCallEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(event(i));
            batch.add(CountedEventSerde.encode(event(i)));
        }

        byte[] value = batch.take(3);

        assertThat(CountedBatch.decode(value)).isEqualTo(events.stream().map(ByOrgEntry.Event::new).toList());
        assertThat(new CountedBatch.Partitioner(4).partitions("t", new byte[0], value, 4)).contains(Set.of(3));
        assertThat(batch.isEmpty()).as("taking a batch empties the builder").isTrue();
    }

    @Test
    void aSingleEventGoesWhereKafkasDefaultPartitionerPutsItsOrg() {
        byte[] value = CountedBatch.single(event(1));
        byte[] org = StoreKeys.org("org-1");

        assertThat(CountedBatch.decode(value)).containsExactly(new ByOrgEntry.Event(event(1)));
        assertThat(new CountedBatch.Partitioner(0).partitions("t", org, value, 6))
                .contains(Set.of(OrgPartitioner.partition(org, 6)));
    }

    @Test
    void isFullPastItsByteLimit() {
        CountedBatch batch = new CountedBatch();
        byte[] encoded = CountedEventSerde.encode(event(1));
        int added = 0;
        while (!batch.isFull()) {
            batch.add(encoded);
            added++;
        }
        assertThat(added * (encoded.length + Integer.BYTES)).isGreaterThanOrEqualTo(CountedBatch.MAX_BYTES - 8);
        assertThat(batch.take(0).length).isLessThan(CountedBatch.MAX_BYTES + encoded.length + 16);
    }

    @Test
    void rejectsATruncatedOrLyingBatchAsASerializationError() {
        CountedBatch batch = new CountedBatch();
        batch.add(CountedEventSerde.encode(event(1)));
        batch.add(CountedEventSerde.encode(event(2)));
        byte[] value = batch.take(0);

        assertThatThrownBy(() -> CountedBatch.decode(Arrays.copyOf(value, value.length - 3)))
                .isInstanceOf(SerializationException.class);
        byte[] lying = value.clone();
        ByteBuffer.wrap(lying).putInt(4, 3);
        assertThatThrownBy(() -> CountedBatch.decode(lying)).isInstanceOf(SerializationException.class);
    }
}
