package id.audit.tokenid.app;

import id.audit.tokenid.app.topology.StoreNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the partition count that the input topic and the by-org repartition topic share, so
 * that events already in their org's partition can skip the repartition (see
 * {@code TopologySettings#orgPartitions}). Kafka Streams creates the by-org topic with the
 * input's count; if the input has grown since, the two differ and every event takes the
 * repartition, which is always correct.
 */
final class OrgPartitionCount {

    private static final Logger LOG = LoggerFactory.getLogger(OrgPartitionCount.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private OrgPartitionCount() {
    }

    static String byOrgTopic(String applicationId) {
        return applicationId + "-" + StoreNames.BY_ORG + "-repartition";
    }

    /** The shared count, or 0 (no shortcut) when the counts differ or Kafka cannot tell. */
    static int lookup(String bootstrapServers, String inputTopic, String applicationId) {
        String byOrg = byOrgTopic(applicationId);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            int input = partitions(admin, inputTopic);
            int repartition = partitions(admin, byOrg);
            if (repartition == 0 || repartition == input) {
                return input;
            }
            LOG.warn("{} has {} partitions and {} has {}: every event takes the by-org repartition",
                    inputTopic, input, byOrg, repartition);
            return 0;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.warn("could not read the partition counts of {} and {}: every event takes the by-org repartition",
                    inputTopic, byOrg, e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
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
