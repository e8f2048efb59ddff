package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** An admin read is whole only when the instances' active partitions cover every partition. */
class RoutingCoverageTest {

    @Test
    void findsThePartitionsThatNoInstanceHoldsDuringARebalance() {
        // given: partition 2 of 4 has no active host (it is between owners)
        List<StreamsMetadata> instances = List.of(
                metadata(9400, tp("api-calls", 0), tp("app-by-org-repartition", 0), tp("api-calls", 1)),
                metadata(9401, tp("api-calls", 3), tp("app-by-org-repartition", 3)));

        // when
        Set<Integer> missing = RoutingUsageReader.uncovered(instances, 4);

        // then
        assertThat(missing).containsExactly(2);
    }

    @Test
    void findsNothingMissingWhenEveryPartitionHasAnActiveHost() {
        List<StreamsMetadata> instances = List.of(
                metadata(9400, tp("api-calls", 0), tp("api-calls", 1)),
                metadata(9401, tp("app-by-org-repartition", 2), tp("api-calls", 3)));

        assertThat(RoutingUsageReader.uncovered(instances, 4)).isEmpty();
    }

    @Test
    void countsStandbyOnlyPartitionsAsMissing() {
        List<StreamsMetadata> instances = List.of(new Fake(new HostInfo("b", 9401), Set.of(tp("api-calls", 0)),
                Set.of(tp("api-calls", 1))));

        assertThat(RoutingUsageReader.uncovered(instances, 2)).containsExactly(1);
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static StreamsMetadata metadata(int port, TopicPartition... active) {
        return new Fake(new HostInfo("localhost", port), Set.of(active), Set.of());
    }

    /** StreamsMetadata is a public interface: a partial view of the cluster, as during a rebalance. */
    private record Fake(HostInfo hostInfo, Set<TopicPartition> topicPartitions,
                        Set<TopicPartition> standbyTopicPartitions) implements StreamsMetadata {
        @Override
        public Set<String> stateStoreNames() {
            return Set.of("usage-totals");
        }

        @Override
        public Set<String> standbyStateStoreNames() {
            return Set.of();
        }

        @Override
        public String host() {
            return hostInfo.host();
        }

        @Override
        public int port() {
            return hostInfo.port();
        }
    }
}
