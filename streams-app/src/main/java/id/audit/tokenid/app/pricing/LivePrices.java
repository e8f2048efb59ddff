package id.audit.tokenid.app.pricing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table the parse step uses: the file's rows with the prices topic's rows over them,
 * compiled into a {@link PriceTable} once per change instead of once per event.
 *
 * <p>One per topology instance, shared by every task's parse step and by the global store's
 * updater. The updater calls {@link #changed()} after each write to the {@code api-prices-store}
 * (Kafka Streams runs it for live records and, since 3.8, for records it restores at start-up:
 * KAFKA-7663); a parse step that sees a new version rebuilds the table from the store itself, not
 * from what the updater saw. So the table is right after a restart that restored nothing (the
 * store kept its rows on disk and no record went through the updater): the first call builds it
 * from the store. The cost on the hot path is two volatile reads.
 *
 * <p>A rebuild reads every row of the store (at most {@value #MAX_TOPIC_ROWS}), so it happens at
 * most once per {@value #MIN_REBUILD_INTERVAL_MILLIS} ms of wall-clock time: thousands of rows
 * written to the topic at once while events flow cost a few rebuilds, not one per row. A topic row
 * thus prices events from about a second after an instance has read it; the prices topic and the
 * events are separate streams, so there was never a closer ordering between them to keep.
 */
public final class LivePrices {

    private static final Logger LOG = LoggerFactory.getLogger(LivePrices.class);
    /** Topic rows read into one table; beyond it rows are ignored, with a warning on each rebuild. */
    static final int MAX_TOPIC_ROWS = 10_000;
    /** Least wall-clock time between two rebuilds. */
    static final long MIN_REBUILD_INTERVAL_MILLIS = 1000;

    private final List<PriceRow> fileRows;
    private final AtomicLong version = new AtomicLong();
    private volatile Compiled compiled;

    public LivePrices(List<PriceRow> fileRows) {
        this.fileRows = List.copyOf(fileRows);
    }

    /** The prices store changed: the next {@link #table} rebuilds. Called on the global thread. */
    public void changed() {
        version.incrementAndGet();
    }

    /**
     * The table of the file's rows and the store's, current as of the last {@link #changed()} seen
     * (rebuilt at most once per {@value #MIN_REBUILD_INTERVAL_MILLIS} ms of {@code nowMillis}).
     *
     * @param nowMillis the caller's wall clock (the processor's, so that tests can move it)
     */
    public PriceTable table(ReadOnlyKeyValueStore<String, byte[]> topicRows, long nowMillis) {
        Compiled now = compiled;
        if (now != null && !now.staleAt(version.get(), nowMillis)) {
            return now.table();
        }
        synchronized (this) {
            // Read the version before the store: a write during the rebuild leaves the version
            // ahead of the table, so a later call rebuilds again.
            long wanted = version.get();
            now = compiled;
            if (now == null || now.staleAt(wanted, nowMillis)) {
                now = new Compiled(wanted, nowMillis, build(topicRows));
                compiled = now;
            }
            return now.table();
        }
    }

    private PriceTable build(ReadOnlyKeyValueStore<String, byte[]> store) {
        List<PriceRow> rows = new ArrayList<>(fileRows);
        int topicRows = 0;
        int skipped = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                // The updater keeps valid values only; a value that fails here came from elsewhere.
                if (!(PriceRecord.parse(entry.key, entry.value) instanceof PriceRecord.Valid valid)) {
                    skipped++;
                } else if (topicRows == MAX_TOPIC_ROWS) {
                    skipped++;
                } else {
                    rows.add(valid.row()); // after the file's rows: same key, topic wins
                    topicRows++;
                }
            }
        }
        if (skipped > 0) {
            LOG.warn("prices: {} rows of the prices store were not used (invalid, or beyond {} rows)",
                    skipped, MAX_TOPIC_ROWS);
        }
        PriceTable table = PriceTable.of(rows);
        LOG.info("prices: {} rows from the file, {} from the prices topic, {} in use", fileRows.size(), topicRows,
                table.size());
        return table;
    }

    private record Compiled(long version, long builtAtMillis, PriceTable table) {

        /** Behind the store, and built long enough ago (or the clock went back) to rebuild. */
        boolean staleAt(long currentVersion, long nowMillis) {
            return version != currentVersion
                    && (nowMillis < builtAtMillis || nowMillis - builtAtMillis >= MIN_REBUILD_INTERVAL_MILLIS);
        }
    }
}
