package id.audit.tokenid.app;

import id.audit.tokenid.app.config.AppConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks before start-up that Kafka answers and that the topics the service reads and writes
 * exist. Without it a missing input topic leaves Kafka Streams replacing its thread every
 * rebalance, never ready, with the cause buried in the log; with it start-up stops with one line
 * naming the setting.
 */
final class TopicPreflight {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicPreflight() {
    }

    static void requireTopics(AppConfig config) {
        Map<String, String> flagByTopic = new LinkedHashMap<>();
        flagByTopic.put(config.inputTopic(), "--input-topic");
        flagByTopic.put(config.dlqTopic(), "--dlq-topic");
        flagByTopic.put(config.tokensTopic(), "--tokens-topic");
        flagByTopic.put(config.budgetsTopic(), "--budgets-topic");
        flagByTopic.put(config.pricesTopic(), "--prices-topic");
        Set<String> existing;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + config.bootstrapServers()
                    + " within " + TIMEOUT.toSeconds() + " s (--bootstrap-servers)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        }
        flagByTopic.forEach((topic, flag) -> {
            if (!existing.contains(topic)) {
                throw new IllegalArgumentException("topic '" + topic + "' (" + flag + ") does not exist on "
                        + config.bootstrapServers() + "; create it first (see README)");
            }
        });
    }
}
