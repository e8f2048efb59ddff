package id.audit.tokenid.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends, by fencing, the open transaction of a dead owner that holds back the restore of a task
 * that moved here ({@link AbandonedTransactions} has the rule and why it is safe). Without it a
 * fail-over after a SIGKILL waits for the broker to time the transaction out, 10-20 s after it
 * began, on top of the session timeout (RELIABILITY.md). The restore listener side only notes
 * which of this application's changelog partitions are restoring since when; a daemon thread
 * asks the brokers about the ones restoring past the grace period, so a restore that ends in
 * time costs no request.
 */
final class AbandonedTransactionFence implements StateRestoreListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedTransactionFence.class);
    /**
     * Most restores of a promoted standby end within this; only longer ones are looked at. Each
     * 250 ms here is a quarter of a second more of a crashed owner's orgs unanswered; a check is
     * one describeProducers per partition leader, and only while something restores past it.
     */
    static final Duration GRACE = Duration.ofMillis(250);
    static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Ends a transactional id's open transaction by starting a new epoch of it. */
    interface Fencer {
        void fence(String transactionalId);
    }

    private final TransactionLookup lookup;
    private final AbandonedTransactions rule;
    private final Fencer fencer;
    private final String changelogPrefix;
    private final LongSupplier nanoClock;
    private final Duration grace;
    private final Map<TopicPartition, Long> restoringSince = new ConcurrentHashMap<>();
    private final AtomicLong fenced = new AtomicLong();
    private volatile ScheduledExecutorService timer;

    AbandonedTransactionFence(TransactionLookup lookup, String applicationId, Fencer fencer, LongSupplier nanoClock,
                              Duration grace) {
        this.lookup = lookup;
        this.rule = new AbandonedTransactions(applicationId);
        this.fencer = fencer;
        this.changelogPrefix = applicationId + "-";
        this.nanoClock = nanoClock;
        this.grace = grace;
    }

    /**
     * Starts the check thread. {@code producerConfig} is the stream threads' producer config (so
     * the fencing producer connects as they do); the fencing producer adds its transactional id.
     */
    static AbandonedTransactionFence start(String bootstrapServers, String applicationId,
                                           Map<String, Object> producerConfig) {
        AbandonedTransactionFence fence = new AbandonedTransactionFence(
                new TransactionLookup(BackgroundAdmin.client(bootstrapServers, TIMEOUT), TIMEOUT), applicationId,
                transactionalId -> fenceWithProducer(producerConfig, transactionalId), System::nanoTime, GRACE);
        fence.timer = BackgroundAdmin.every(INTERVAL, "transaction-fence", fence::check);
        return fence;
    }

    /** Transactions fenced since start. */
    long fenced() {
        return fenced.get();
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String storeName, long startingOffset, long endingOffset) {
        if (changelog.topic().startsWith(changelogPrefix) && changelog.topic().endsWith("-changelog")) {
            restoringSince.put(changelog, nanoClock.getAsLong());
        }
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String storeName, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String storeName, long totalRestored) {
        restoringSince.remove(changelog);
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String storeName, long totalRestored) {
        restoringSince.remove(changelog);
    }

    /** One pass: fences what holds back a restore past the grace period; returns how many it fenced. */
    int check() {
        try {
            long now = nanoClock.getAsLong();
            List<TopicPartition> overdue = restoringSince.entrySet().stream()
                    .filter(entry -> now - entry.getValue() >= grace.toNanos())
                    .map(Map.Entry::getKey)
                    .toList();
            if (overdue.isEmpty()) {
                return 0;
            }
            List<HangingTransactions.Open> open = lookup.openOn(overdue);
            if (open.isEmpty()) {
                return 0;
            }
            int count = 0;
            for (Map.Entry<String, Set<TopicPartition>> entry : rule.toFence(open, lookup.coordinators(open)).entrySet()) {
                // The task may have moved on meanwhile; then its next owner decides.
                if (entry.getValue().stream().noneMatch(restoringSince::containsKey)) {
                    continue;
                }
                fencer.fence(entry.getKey());
                fenced.incrementAndGet();
                count++;
                LOG.warn("fenced transactional id {}: its open transaction held back the restore of {}, whose task"
                        + " moved here (its owner died or was dropped from the group)", entry.getKey(), entry.getValue());
            }
            return count;
        } catch (TimeoutException | ExecutionException | KafkaException e) {
            LOG.debug("could not look for abandoned transactions; will try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static void fenceWithProducer(Map<String, Object> producerConfig, String transactionalId) {
        Properties props = new Properties();
        props.putAll(producerConfig);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-fence");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            // Returns once the coordinator has aborted the open transaction and bumped the epoch.
            producer.initTransactions();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        lookup.admin().close(Duration.ofSeconds(5));
    }
}
