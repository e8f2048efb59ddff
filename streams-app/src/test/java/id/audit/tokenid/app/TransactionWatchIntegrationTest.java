package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.it.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The watch's questions to a real broker: a transaction that is open at its coordinator is not
 * hanging, however old it is allowed to be; one that committed leaves nothing open. (A hanging
 * transaction itself cannot be made through public client APIs: the rule's cases are in
 * {@link HangingTransactionsTest}, from a real one.)
 */
class TransactionWatchIntegrationTest {

    @Test
    void aLiveTransactionIsNotHangingAndACommittedOneLeavesNothingOpen() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String app = "watch-" + UUID.randomUUID();
        String changelog = app + "-usage-totals-changelog";
        String dlq = app + "-calls.dlq";
        kafka.createTopic(changelog, 2);
        kafka.createTopic(dlq, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, app + "-1",
                     ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000))) {
            TransactionWatch watch = new TransactionWatch(admin, kafka.bootstrapServers(), app, dlq, Duration.ZERO);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(changelog, 1, new byte[] {1}, new byte[] {1})).get();
            producer.send(new ProducerRecord<>(dlq, 0, new byte[] {2}, new byte[] {2})).get();

            // open on two partitions and stale at once (staleAfter 0), but its coordinator has it open
            assertThat(watch.findHanging()).isEmpty();

            producer.commitTransaction();
            // commitTransaction returns before every marker is written: wait for the partitions
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(watch.openOnServiceTopics()).isEmpty());
            assertThat(watch.findHanging()).isEmpty();
        }
    }

    @Test
    void aTransactionWhoseCoordinatorMovedOnIsFoundOnTheTopicsTheServiceWrites() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String app = "watch-" + UUID.randomUUID();
        String changelog = app + "-usage-totals-changelog";
        kafka.createTopic(changelog, 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, app + "-1",
                     ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000))) {
            TransactionWatch watch = new TransactionWatch(admin, kafka.bootstrapServers(), app, app + "-calls.dlq",
                    Duration.ZERO);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(changelog, 0, new byte[] {1}, new byte[] {1})).get();

            // The partition reports the open transaction; seen against no coordinator it would hang.
            assertThat(watch.openOnServiceTopics()).singleElement()
                    .satisfies(open -> assertThat(open.partition().topic()).isEqualTo(changelog));
            producer.abortTransaction();
        }
    }
}
