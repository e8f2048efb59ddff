package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.it.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The fence on a real broker: a producer that stops in the middle of a transaction (as a killed
 * instance's does) with a one-minute transaction timeout, so only the fence can end it within
 * the test's bounded waits.
 */
class AbandonedTransactionFenceIntegrationTest {

    private static final Duration OPEN_FOR_A_MINUTE = Duration.ofMinutes(1);

    @Test
    void aDeadOwnersOpenTransactionOnARestoringChangelogIsAbortedAndItsProducerFenced() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String app = "fence-" + UUID.randomUUID();
        TopicPartition changelog = new TopicPartition(app + "-usage-totals-changelog", 1);
        kafka.createTopic(changelog.topic(), 2);
        AtomicLong clock = new AtomicLong();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<byte[], byte[]> deadOwner = openTransaction(kafka, app + "-dead-owner-1", changelog)) {
            TransactionLookup lookup = new TransactionLookup(admin, Duration.ofSeconds(10));
            AbandonedTransactionFence fence = new AbandonedTransactionFence(lookup, app,
                    id -> AbandonedTransactionFence.fenceWithProducer(
                            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), id),
                    clock::get, Duration.ofMillis(500));

            fence.onRestoreStart(changelog, "usage-totals", 0, 1);
            clock.set(Duration.ofMillis(499).toNanos());
            assertThat(fence.check()).as("within the grace period nothing is asked").isZero();
            assertThat(lookup.openOn(List.of(changelog))).hasSize(1);

            clock.set(Duration.ofMillis(500).toNanos());
            assertThat(fence.check()).isEqualTo(1);
            assertThat(fence.fenced()).isEqualTo(1);
            // initTransactions returned after the abort began; the markers land just after
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(lookup.openOn(List.of(changelog))).isEmpty());
            assertThatThrownBy(deadOwner::commitTransaction).isInstanceOf(KafkaException.class);
        }
    }

    @Test
    void aTransactionOnAPartitionNotRestoringHereOrOfAnotherApplicationIsLeftOpen() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String app = "fence-" + UUID.randomUUID();
        TopicPartition running = new TopicPartition(app + "-usage-totals-changelog", 0);
        TopicPartition foreign = new TopicPartition(app + "-cost-buckets-changelog", 0);
        kafka.createTopic(running.topic(), 1);
        kafka.createTopic(foreign.topic(), 1);
        AtomicLong clock = new AtomicLong();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<byte[], byte[]> owner = openTransaction(kafka, app + "-owner-1", running);
             KafkaProducer<byte[], byte[]> other = openTransaction(kafka, "other-" + app + "-1", foreign)) {
            TransactionLookup lookup = new TransactionLookup(admin, Duration.ofSeconds(10));
            AbandonedTransactionFence fence = new AbandonedTransactionFence(lookup, app,
                    id -> {
                        throw new AssertionError("fenced " + id);
                    },
                    clock::get, Duration.ZERO);

            fence.onRestoreStart(running, "usage-totals", 0, 1);
            fence.onRestoreEnd(running, "usage-totals", 0);   // restored: its task runs here now
            fence.onRestoreStart(foreign, "cost-buckets", 0, 1);
            clock.set(Duration.ofSeconds(5).toNanos());

            assertThat(fence.check()).isZero();
            assertThat(lookup.openOn(List.of(running, foreign))).hasSize(2);
            owner.commitTransaction();
            other.commitTransaction();
        }
    }

    private static KafkaProducer<byte[], byte[]> openTransaction(EmbeddedKafka kafka, String transactionalId,
                                                                 TopicPartition partition) throws Exception {
        KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) OPEN_FOR_A_MINUTE.toMillis()));
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), new byte[] {1}, new byte[] {1}))
                .get();
        return producer;
    }
}
