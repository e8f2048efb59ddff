package id.audit.tokenid.app;

import id.audit.tokenid.app.topology.StoreNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the partition count that the input topic and the by-org repartition topic share, so
 * that events already in their org's partition can skip the repartition (see
 * {@code TopologySettings#orgPartitions}), and refuses to start when they differ. Kafka Streams
 * creates the by-org topic with the input's count; if partitions were added to the input since,
 * Kafka Streams' {@code queryMetadataForKey} maps an org over the input's new count while its
 * state stays where the by-org topic's count put it, so reads would go to the wrong partition
 * (and Kafka Streams itself rejects a repartition topic whose count no longer matches). The
 * running counterpart is {@link PartitionWatch}.
 *
 * <p>On a first start the by-org topic does not exist yet: this creates it, with the input's
 * count and the settings Kafka Streams gives a repartition topic, before the streams start.
 * Kafka Streams would create it itself in the first rebalance, but its consumers subscribe to
 * it before that and log {@code UNKNOWN_TOPIC_OR_PARTITION} warnings until it exists. Streams
 * accepts an internal topic that exists with the partition count it expects.
 */
final class OrgPartitionCount {

    private static final Logger LOG = LoggerFactory.getLogger(OrgPartitionCount.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private OrgPartitionCount() {
    }

    static String byOrgTopic(String applicationId) {
        return applicationId + "-" + StoreNames.BY_ORG + "-repartition";
    }

    /**
     * The shared count, or 0 (no shortcut) when Kafka cannot tell; creates the by-org topic when
     * it does not exist.
     *
     * @param replicationFactor Kafka Streams' {@code replication.factor} for internal topics;
     *                          -1 is the broker's default
     * @throws IllegalArgumentException when the by-org topic exists with another count than the
     *                                  input's: partitions were added to the input after deployment
     */
    static int lookup(String bootstrapServers, String inputTopic, String applicationId, int replicationFactor) {
        String byOrg = byOrgTopic(applicationId);
        int input;
        int repartition;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            input = partitions(admin, inputTopic);
            repartition = partitions(admin, byOrg);
            if (repartition == 0 && input > 0) {
                repartition = createIfAllowed(admin, byOrg, input, replicationFactor);
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.warn("could not read the partition counts of {} and {}: every event takes the by-org repartition",
                    inputTopic, byOrg, e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (repartition != 0 && repartition != input) {
            throw new IllegalArgumentException(changedMessage(inputTopic, repartition, input)
                    + " (its by-org topic '" + byOrg + "' still has " + repartition + ")");
        }
        return input;
    }

    /** The one line that names the topic, at start-up and while running. */
    static String changedMessage(String inputTopic, int before, int now) {
        return "topic '" + inputTopic + "' (--input-topic) went from " + before + " to " + now
                + " partitions after deployment: orgs would move between partitions, so reads and counts"
                + " could go to the wrong one; start with a new --application-id (it re-reads the input)";
    }

    /** The topic's partition count; 0 when it does not exist. */
    static int partitions(Admin admin, String topic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        return description.partitions().size();
    }

    /** {@link #create}, or 0 when Kafka refuses (Kafka Streams then creates it, as before). */
    private static int createIfAllowed(Admin admin, String topic, int partitions, int replicationFactor)
            throws InterruptedException {
        try {
            return create(admin, topic, partitions, replicationFactor);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("could not create {} before the streams start ({}); Kafka Streams creates it in its "
                    + "first rebalance", topic, e.getCause() == null ? e.toString() : e.getCause().toString());
            return 0;
        }
    }

    /**
     * Creates the by-org topic as Kafka Streams would (its repartition-topic settings); returns
     * its partition count, which is another instance's if that one created it first.
     */
    private static int create(Admin admin, String topic, int partitions, int replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions),
                replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor))
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(50 * 1024 * 1024),
                        // Streams deletes what it has read (deleteRecords), not the retention.
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"));
        try {
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created {} with {} partitions", topic, partitions);
            return partitions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return partitions(admin, topic);
            }
            throw e;
        }
    }

    /** The topic's partition count; 0 when it does not exist. */
    private static int partitions(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }
}
