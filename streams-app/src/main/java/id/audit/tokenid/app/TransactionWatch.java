package id.audit.tokenid.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for hanging transactions ({@link HangingTransactions}) on the partitions this service's
 * stream threads write: its internal topics ({@code <application-id>-…-changelog},
 * {@code …-repartition}) and the dead-letter topic. Every minute; what it finds is counted in
 * {@code tokenid_hanging_transactions} and logged once per transaction with the command that
 * ends it. It aborts nothing itself: which outcome the lost marker carried is not public, and
 * the operator decides (README, "Hanging transactions").
 */
final class TransactionWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionWatch.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Kafka Streams' transactions end within a second or are aborted 10-20 s after they began. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final TransactionLookup lookup;
    private final String bootstrapServers;
    private final String internalPrefix;
    private final String dlqTopic;
    private final HangingTransactions rule;
    private final Set<HangingTransactions.Open> reported = new HashSet<>();
    private final HangingTransactions.Sightings sightings = new HangingTransactions.Sightings();
    private volatile ScheduledExecutorService timer;
    private volatile int hanging;

    TransactionWatch(Admin admin, String bootstrapServers, String applicationId, String dlqTopic, Duration staleAfter) {
        this.admin = admin;
        this.lookup = new TransactionLookup(admin, TIMEOUT);
        this.rule = new HangingTransactions(staleAfter);
        this.bootstrapServers = bootstrapServers;
        this.internalPrefix = applicationId + "-";
        this.dlqTopic = dlqTopic;
    }

    static TransactionWatch start(String bootstrapServers, String applicationId, String dlqTopic) {
        TransactionWatch watch = new TransactionWatch(BackgroundAdmin.client(bootstrapServers, TIMEOUT),
                bootstrapServers, applicationId, dlqTopic, STALE_AFTER);
        watch.timer = BackgroundAdmin.every(INTERVAL, "transaction-watch", watch::check);
        return watch;
    }

    /** Partitions with a hanging transaction at the last check. */
    int hanging() {
        return hanging;
    }

    /** The hanging transactions on the partitions this service writes, now. */
    List<HangingTransactions.Open> findHanging() throws InterruptedException, ExecutionException, TimeoutException {
        // Without coordinators every stale transaction counts: the cheap pass, most checks end here.
        Instant now = Instant.now();
        List<HangingTransactions.Open> found = rule.hanging(sightings.sinceFirstSeen(openOnServiceTopics(), now),
                Map.of(), now);
        return found.isEmpty() ? found : rule.hanging(found, lookup.coordinators(found), Instant.now());
    }

    private void check() {
        try {
            List<HangingTransactions.Open> found = findHanging();
            hanging = found.size();
            reported.retainAll(found);
            for (HangingTransactions.Open transaction : found) {
                if (reported.add(transaction)) {
                    LOG.error("hanging transaction on {}: producer {} epoch {} open since offset {} (seen open since {}),"
                                    + " and its coordinator no longer has it open; read_committed readers and restores"
                                    + " of this partition are stuck behind it. If its coordinator aborted it (see"
                                    + " README, Hanging transactions: a committed one would lose its records), end it"
                                    + " with: kafka-transactions.sh --bootstrap-server {} abort --topic {} --partition {}"
                                    + " --start-offset {}",
                            transaction.partition(), transaction.producerId(), transaction.producerEpoch(),
                            transaction.startOffset(), transaction.seenSince(), bootstrapServers,
                            transaction.partition().topic(), transaction.partition().partition(),
                            transaction.startOffset());
                }
            }
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("could not look for hanging transactions; will try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every transaction open on a partition this service writes, stale or not. */
    List<HangingTransactions.Open> openOnServiceTopics()
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> topics = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                .filter(topic -> topic.equals(dlqTopic) || topic.startsWith(internalPrefix)
                        && (topic.endsWith("-changelog") || topic.endsWith("-repartition")))
                .toList();
        if (topics.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        return lookup.openOn(partitions);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
