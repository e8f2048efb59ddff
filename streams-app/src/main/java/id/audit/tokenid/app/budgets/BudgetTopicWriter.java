package id.audit.tokenid.app.budgets;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes one budget record (a value, or a tombstone) to the budgets topic for the {@code budget}
 * command: acknowledged by every in-sync replica before it reports success. It first checks that
 * the topic exists, so that a misspelt {@code --budgets-topic} is an error, not a new topic
 * created by a broker that auto-creates topics.
 */
public final class BudgetTopicWriter {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BudgetTopicWriter() {
    }

    /**
     * Where the record went.
     *
     * @param compacted whether the topic's {@code cleanup.policy} includes compact; empty when the
     *                  broker did not say (no permission to describe configs)
     */
    public record Written(String topic, int partition, long offset, Optional<Boolean> compacted) {
    }

    /**
     * @param value the JSON value, or null for a tombstone
     * @throws IllegalArgumentException when Kafka cannot be reached or the topic does not exist
     *                                  (a setting to fix, like the service's start-up checks)
     */
    public static Written write(String bootstrapServers, String topic, String orgKey, byte[] value) {
        Optional<Boolean> compacted = checkTopic(bootstrapServers, topic);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, orgKey, value))
                    .get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return new Written(topic, sent.partition(), sent.offset(), compacted);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("writing to topic '" + topic + "' on " + bootstrapServers
                    + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to topic '" + topic + "'", e);
        }
    }

    private static Optional<Boolean> checkTopic(String bootstrapServers, String topic) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> topics;
            try {
                topics = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + " within "
                        + TIMEOUT.toSeconds() + " s (--bootstrap-servers)");
            }
            if (!topics.contains(topic)) {
                throw new IllegalArgumentException("topic '" + topic + "' (--budgets-topic) does not exist on "
                        + bootstrapServers + "; create it first, compacted (see README, \"Budgets\")");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            try {
                Config config = admin.describeConfigs(Set.of(resource)).all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
                ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                return policy == null ? Optional.empty()
                        : Optional.of(policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT));
            } catch (ExecutionException | TimeoutException noPermission) {
                return Optional.empty(); // only a warning depends on it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic '" + topic + "'", e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        try {
            return Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        } catch (KafkaException e) {
            // An unresolvable host or a malformed list: a setting to fix.
            throw new IllegalArgumentException("--bootstrap-servers '" + bootstrapServers + "' cannot be used: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }
}
