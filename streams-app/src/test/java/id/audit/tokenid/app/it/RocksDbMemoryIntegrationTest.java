package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.config.BoundedRocksDbMemoryProbe;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rocksdb-memory} reaches every RocksDB store of a running instance: Kafka Streams' own
 * metrics report, for each store, a block cache of exactly the configured size (its default is
 * 50 MiB per store), and the stores give the shared cache back when the instance closes.
 */
class RocksDbMemoryIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final long BOUND = 64L << 20;

    @TempDir
    Path tmp;

    @Test
    void everyStoreOfARunningInstanceReportsTheConfiguredCacheAndClosesIt() {
        // Given an instance with a 64 MiB bound that has counted events (so window segments exist)
        Path stateDir = tmp.resolve("state");
        AppConfig config = TestInstance.config(kafka.bootstrapServers(), "rocksdb-memory", "rocksdb-memory-calls",
                stateDir, 0).withRocksDbMemory(BOUND);
        TestInstance.createTopics(kafka, config, 2);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < 20; i++) {
                String json = "{\"type\":\"api_call\",\"event_id\":\"e-" + i + "\",\"org_id\":\"org-" + (i % 4)
                        + "\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":10,\"output_tokens\":5,"
                        + "\"cost_usd\":0.001,\"timestamp\":" + System.currentTimeMillis() + "}";
                producer.send(new ProducerRecord<>(config.inputTopic(), json.getBytes(StandardCharsets.UTF_8)));
            }
        }

        // When it runs
        try (StreamsRuntime runtime = TestInstance.start(config)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(runtime::isRunning);
            // the global stores (tokens, budgets, prices), the totals of each task, and the window
            // stores (buckets, quarter-hours, seen ids) of the task that counted the events
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> cacheCapacities(runtime).size() >= 8);

            // Then every store's block cache is the shared one of the configured size
            assertThat(cacheCapacities(runtime)).allSatisfy(capacity -> assertThat(capacity).isEqualTo(BOUND));
            assertThat(BoundedRocksDbMemoryProbe.users(stateDir, BOUND)).isPositive();
        }

        // And closing the instance closed the stores' hold on it
        assertThat(BoundedRocksDbMemoryProbe.users(stateDir, BOUND)).isZero();
    }

    /**
     * Kafka Streams' {@code block-cache-capacity} of every RocksDB store it has opened; a window
     * store reports 0 until its first segment (a database of its own) is opened, so those are left out.
     */
    private static List<Long> cacheCapacities(StreamsRuntime runtime) {
        return runtime.streams().metrics().values().stream()
                .filter(metric -> metric.metricName().name().equals("block-cache-capacity"))
                .map(Metric::metricValue)
                .map(value -> ((BigInteger) value).longValue())
                .filter(capacity -> capacity != 0)
                .toList();
    }
}
