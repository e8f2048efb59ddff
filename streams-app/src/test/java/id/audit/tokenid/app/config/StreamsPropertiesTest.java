package id.audit.tokenid.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static final AppConfig CONFIG = new AppConfig("kafka:9092", "api-calls", "api-calls.dlq", "api-tokens",
            Optional.empty(), "tokenid-metrics", Path.of("/var/lib/tokenid"), 9400, 9401,
            new AppConfig.Endpoint("pod-0.tokenid", 9400), 1, 3, Duration.ofHours(1), Duration.ofMinutes(1));

    @Test
    void carriesTheGuaranteesAndTheInstanceSettings() {
        Properties props = StreamsProperties.of(CONFIG, Map.of());

        assertThat(props)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true)
                .containsEntry(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED")
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-metrics")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "pod-0.tokenid:9400")
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3)
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED)
                .containsEntry("restore.consumer.fetch.max.wait.ms", 100)
                .containsEntry("main.consumer.heartbeat.interval.ms", 500)
                .containsEntry("consumer.auto.offset.reset", "earliest")
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true)
                .containsEntry(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG,
                        StickyByLagAssignor.class.getName());
        // Kafka Streams accepts every key as it is given.
        new StreamsConfig(props);
    }

    @Test
    void reservesASmallRecordCacheForTheCommitHooksOnly() {
        Properties props = StreamsProperties.of(CONFIG, Map.of());

        assertThat(props).containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024L * 1024);
        assertThat(new StreamsConfig(props).getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isPositive();
    }

    @Test
    void boundsRocksDbMemoryWithTheConfiguredSize() {
        Properties props = StreamsProperties.of(CONFIG.withRocksDbMemory(64L << 20), Map.of());

        assertThat(props)
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class)
                .containsEntry(BoundedRocksDbMemory.BYTES_CONFIG, 64L << 20);
        assertThat(new StreamsConfig(props).originals()).containsEntry(BoundedRocksDbMemory.BYTES_CONFIG, 64L << 20);
        assertThat(StreamsProperties.of(CONFIG, Map.of()))
                .containsEntry(BoundedRocksDbMemory.BYTES_CONFIG, AppConfig.DEFAULT_ROCKSDB_MEMORY_BYTES);
    }

    @Test
    void advertisesTheEndpointTheInstanceEndedUpWith() {
        Properties props = StreamsProperties.of(CONFIG, new AppConfig.Endpoint("pod-0.tokenid", 41234), Map.of());

        assertThat(props).containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "pod-0.tokenid:41234");
    }

    @Test
    void overridesWinOverDefaults() {
        Properties props = StreamsProperties.of(CONFIG, Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200,
                "restore.consumer.fetch.max.wait.ms", 500));

        assertThat(props)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200)
                .containsEntry("restore.consumer.fetch.max.wait.ms", 500);
    }
}
