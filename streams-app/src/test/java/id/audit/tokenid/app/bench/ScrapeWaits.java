package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.StoreNames;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Bounded waits of {@link ScrapeLatencyBenchmark}, and what it waits for. */
final class ScrapeWaits {

    private static final Duration REPORT_EVERY = Duration.ofSeconds(15);

    private ScrapeWaits() {
    }

    /**
     * Polls {@code condition} every {@code poll} until it holds; fails after {@code timeout}.
     * {@code status} says where things stand, printed every 15 s and in the failure.
     */
    static void until(String what, Duration timeout, Duration poll, Callable<Boolean> condition,
                      Callable<String> status, PrintStream out) throws Exception {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long nextReport = started + REPORT_EVERY.toNanos();
        while (!condition.call()) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new IllegalStateException("gave up waiting " + timeout + " for " + what + ": " + status.call());
            }
            if (now - nextReport > 0) {
                out.printf("  ... still waiting for %s (%.0f s): %s%n", what, (now - started) / 1e9, status.call());
                nextReport = now + REPORT_EVERY.toNanos();
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * Distinct orgs with at least one series in the instance's committed totals (every local
     * partition), read through interactive queries; -1 while the store is not queryable.
     */
    static int orgsInStore(KafkaStreams streams) {
        try {
            ReadOnlyKeyValueStore<Bytes, byte[]> totals = streams.store(StoreQueryParameters.fromNameAndType(
                    StoreNames.TOTALS, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
            Set<String> orgs = new HashSet<>();
            try (KeyValueIterator<Bytes, byte[]> it = totals.all()) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = it.next();
                    orgs.add(StoreKeys.parseSeries(entry.key).orgId());
                }
            }
            return orgs.size();
        } catch (InvalidStateStoreException e) {
            return -1;
        }
    }

    /** Sample lines of one metric in a text-format body, and the sum of their values. */
    record Family(int lines, double sum) {
        static Family of(String body, String metric) {
            int lines = 0;
            double sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                    lines++;
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new Family(lines, sum);
        }
    }
}
