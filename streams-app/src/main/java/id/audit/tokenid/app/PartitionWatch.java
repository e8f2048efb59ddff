package id.audit.tokenid.app;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the input topic's partition count while the instance runs. Each org's state lives in
 * the partition {@code murmur2(org) % N} of the count the by-org topic was made with; once
 * partitions are added to the input, Kafka Streams' metadata maps orgs over the new count and
 * would route reads to a partition that does not hold them. So the instance refuses instead:
 * reads answer 503 (never another partition's numbers), {@code /readyz} fails, one error line
 * names the topic and {@code tokenid_input_partitions_changed} turns 1. Redeploying with a new
 * {@code --application-id} is the way out (README "Partitions").
 */
final class PartitionWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String inputTopic;
    private volatile ScheduledExecutorService timer;
    /** The count the instance started with; 0 until known. */
    private volatile int atStart;
    private volatile boolean changed;

    private PartitionWatch(Admin admin, String inputTopic, int atStart) {
        this.admin = admin;
        this.inputTopic = inputTopic;
        this.atStart = atStart;
    }

    static PartitionWatch start(String bootstrapServers, String inputTopic, int atStart) {
        PartitionWatch watch = new PartitionWatch(BackgroundAdmin.client(bootstrapServers, TIMEOUT), inputTopic,
                atStart);
        watch.timer = BackgroundAdmin.every(INTERVAL, "partition-watch", watch::check);
        return watch;
    }

    private void check() {
        try {
            int now = OrgPartitionCount.partitions(admin, inputTopic, TIMEOUT);
            if (atStart == 0) {
                atStart = now; // Kafka could not tell at start-up: the first answer is the baseline
            } else if (now != atStart && !changed) {
                changed = true;
                LOG.error(OrgPartitionCount.changedMessage(inputTopic, atStart, now)
                        + "; this instance now answers reads with 503 and is not ready");
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("could not read the partition count of {}; will try again", inputTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** False once the input topic's partition count differs from the one at start-up. */
    boolean intact() {
        return !changed;
    }

    /** The partition count of the input topic (and so of the stores) at start-up; 0 when unknown. */
    int partitionsAtStart() {
        return atStart;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
