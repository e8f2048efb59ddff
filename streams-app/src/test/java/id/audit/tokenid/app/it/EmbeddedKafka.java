package id.audit.tokenid.app.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;

/** A real single-node Apache Kafka broker in KRaft mode, in this JVM, for integration tests. */
public final class EmbeddedKafka implements AutoCloseable {

    private static EmbeddedKafka shared;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * One broker for all the integration tests of this JVM, started on first use and stopped
     * when the test session ends ({@link SharedKafkaSession}), or else when the JVM exits; tests
     * keep apart by their own topic names and application ids.
     */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            EmbeddedKafka kafka = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeShared(), "embedded-kafka-stop"));
            shared = kafka;
        }
        return shared;
    }

    /**
     * Stops the shared broker, if one runs. Before the JVM exits, not in a shutdown hook: there
     * the test kit's own hook deletes the broker's log directory while the broker still writes
     * its checkpoints, and the broker halts the JVM with exit code 1 for a failed log directory,
     * which Maven's surefire reports as a failed fork after every test passed.
     *
     * @return whether a broker was running
     */
    static synchronized boolean closeShared() {
        if (shared != null) {
            EmbeddedKafka kafka = shared;
            shared = null;
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("stopping the shared embedded Kafka broker failed: " + e);
            }
            return true;
        }
        return false;
    }

    public static EmbeddedKafka start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            // The controller has committed the topic; the broker's metadata may lag a moment, and
            // a service started now checks its topics at once (TopicPreflight): wait until listed.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> admin.listTopics().names().get().contains(name));
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    public void createCompactedTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return producer(Map.of());
    }

    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Properties props = new Properties();
        props.putAll(overrides);
        props.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
