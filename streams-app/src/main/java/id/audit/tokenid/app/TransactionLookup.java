package id.audit.tokenid.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

/**
 * The two questions {@link TransactionWatch} and {@link AbandonedTransactionFence} ask about
 * transactions, through public Admin APIs: which transactions partitions hold open (the
 * partition leaders' view, {@code describeProducers}), and what the producers' coordinators
 * hold for them ({@code listTransactions}, {@code describeTransactions}). Every call gives up
 * after {@code timeout}.
 */
final class TransactionLookup {

    private final Admin admin;
    private final Duration timeout;

    TransactionLookup(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    Admin admin() {
        return admin;
    }

    /** Every transaction open on these partitions, as their leaders see it, seen since now. */
    List<HangingTransactions.Open> openOn(Collection<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Instant now = Instant.now();
        List<HangingTransactions.Open> open = new ArrayList<>();
        if (partitions.isEmpty()) {
            return open;
        }
        admin.describeProducers(partitions).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, producers) -> producers.activeProducers().forEach(state ->
                        state.currentTransactionStartOffset().ifPresent(start -> open.add(new HangingTransactions.Open(
                                partition, state.producerId(), state.producerEpoch(), start, now)))));
        return open;
    }

    /** The coordinators' view of the producers of these transactions, by producer id; a producer with none is left out. */
    Map<Long, HangingTransactions.Coordinator> coordinators(List<HangingTransactions.Open> open)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<Long> producerIds = new HashSet<>();
        open.forEach(transaction -> producerIds.add(transaction.producerId()));
        Map<Long, HangingTransactions.Coordinator> byProducer = new HashMap<>();
        if (producerIds.isEmpty()) {
            return byProducer;
        }
        Set<String> names = new HashSet<>();
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions()
                .filterProducerIds(producerIds)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            names.add(listing.transactionalId());
        }
        if (names.isEmpty()) {
            return byProducer;
        }
        Map<String, TransactionDescription> described = admin.describeTransactions(names).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        described.forEach((name, description) -> byProducer.put(description.producerId(),
                new HangingTransactions.Coordinator(name, description.producerEpoch(), description.state(),
                        description.topicPartitions())));
        return byProducer;
    }
}
