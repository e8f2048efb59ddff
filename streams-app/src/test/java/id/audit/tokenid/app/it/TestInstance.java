package id.audit.tokenid.app.it;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.topology.IngestMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;

/** Configs and start-up of instances of the real service for integration tests. */
final class TestInstance {

    private TestInstance() {
    }

    static AppConfig config(String bootstrap, String appId, String inputTopic, Path stateDir, int httpPort) {
        return new AppConfig(bootstrap, inputTopic, inputTopic + ".dlq", appId + "-tokens", Optional.empty(), appId,
                stateDir, httpPort, 0, new AppConfig.Endpoint("localhost", httpPort), 0, 1,
                Duration.ofHours(1), Duration.ofMinutes(1)).withInternalSecret(ServiceFixtures.internalSecret())
                .withBudgetsTopic(appId + "-budgets").withPrices(Optional.empty(), appId + "-prices");
    }

    /** Test-sized overrides: fast commits and rebalances, few threads. */
    static Map<String, Object> overrides() {
        return Map.of(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 1,
                StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000,
                StreamsConfig.consumerPrefix("max.poll.interval.ms"), 60_000);
    }

    /** The input (room for records over 1 MiB), dead-letter, and compacted tokens, budgets and prices topics. */
    static void createTopics(EmbeddedKafka kafka, AppConfig config, int partitions) {
        Map<String, String> bigRecords = Map.of("max.message.bytes", Integer.toString(4 << 20));
        kafka.createTopic(config.inputTopic(), partitions, bigRecords);
        kafka.createTopic(config.dlqTopic(), 1, bigRecords);
        kafka.createCompactedTopic(config.tokensTopic(), 1);
        kafka.createCompactedTopic(config.budgetsTopic(), 1);
        kafka.createCompactedTopic(config.pricesTopic(), 1);
    }

    static StreamsRuntime start(AppConfig config) {
        return StreamsRuntime.start(config, overrides(), IngestMetrics.none());
    }
}
