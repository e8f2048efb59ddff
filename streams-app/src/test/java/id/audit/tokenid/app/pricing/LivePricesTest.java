package id.audit.tokenid.app.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

class LivePricesTest {

    /** The wall clock of the first table; later calls move it on. */
    private static final long T0 = 1_000_000L;
    private static final long MARCH = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final PriceRow FILE_ROW = PriceRow.parse("openai", "m", "2026-01-01", "1", "", "", "1");

    private final MapStore store = new MapStore();

    private static String inputPrice(PriceTable table, String model) {
        return table.rowFor("openai", model, MARCH).map(r -> r.input().toPlainString()).orElse("none");
    }

    private void put(String key, String json) {
        store.rows.put(key, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstTableReadsRowsAlreadyInTheStoreWithoutAnyChangeSeen() {
        // A restart that restored nothing: the rows are on disk, no record went through the updater.
        put("openai|m|2026-01-01", "{\"input\": 7, \"output\": 7}");
        put("openai|n|2026-01-01", "{\"input\": 3, \"output\": 3}");
        LivePrices prices = new LivePrices(List.of(FILE_ROW));

        PriceTable table = prices.table(store, T0);

        assertThat(inputPrice(table, "m")).as("the topic row overrides the file row").isEqualTo("7");
        assertThat(inputPrice(table, "n")).isEqualTo("3");
    }

    @Test
    void rebuildsOnlyAfterAChange() {
        LivePrices prices = new LivePrices(List.of(FILE_ROW));
        PriceTable first = prices.table(store, T0);
        put("openai|m|2026-01-01", "{\"input\": 7, \"output\": 7}");

        assertThat(prices.table(store, T0)).as("no change seen: the same table").isSameAs(first);
        assertThat(store.scans).hasValue(1);

        prices.changed();
        PriceTable second = prices.table(store, T0 + LivePrices.MIN_REBUILD_INTERVAL_MILLIS);

        assertThat(inputPrice(second, "m")).isEqualTo("7");
        assertThat(prices.table(store, T0 + 10 * LivePrices.MIN_REBUILD_INTERVAL_MILLIS)).isSameAs(second);
        assertThat(store.scans).hasValue(2);
    }

    @Test
    void rebuildsAtMostOncePerIntervalHoweverManyChanges() {
        LivePrices prices = new LivePrices(List.of(FILE_ROW));
        prices.table(store, T0);
        put("openai|m|2026-01-01", "{\"input\": 7, \"output\": 7}");
        prices.changed();

        PriceTable soon = prices.table(store, T0 + LivePrices.MIN_REBUILD_INTERVAL_MILLIS - 1);
        PriceTable later = prices.table(store, T0 + LivePrices.MIN_REBUILD_INTERVAL_MILLIS);

        assertThat(inputPrice(soon, "m")).as("still the table of T0").isEqualTo("1");
        assertThat(inputPrice(later, "m")).isEqualTo("7");
        assertThat(store.scans).hasValue(2);
    }

    @Test
    void aClockThatWentBackDoesNotHoldAChangeBack() {
        LivePrices prices = new LivePrices(List.of(FILE_ROW));
        prices.table(store, T0);
        put("openai|m|2026-01-01", "{\"input\": 7, \"output\": 7}");
        prices.changed();

        assertThat(inputPrice(prices.table(store, T0 - 3_600_000L), "m")).isEqualTo("7");
    }

    @Test
    void aRemovedTopicRowLeavesTheFileRow() {
        put("openai|m|2026-01-01", "{\"input\": 7, \"output\": 7}");
        LivePrices prices = new LivePrices(List.of(FILE_ROW));
        assertThat(inputPrice(prices.table(store, T0), "m")).isEqualTo("7");

        store.rows.remove("openai|m|2026-01-01");
        prices.changed();

        assertThat(inputPrice(prices.table(store, T0 + LivePrices.MIN_REBUILD_INTERVAL_MILLIS), "m")).isEqualTo("1");
    }

    @Test
    void skipsStoredValuesThatAreNotRows() {
        put("openai|m|2026-01-01", "{\"input\": \"seven\", \"output\": 7}");
        put("openai|n|2026-01-01", "{\"input\": 3, \"output\": 3}");

        PriceTable table = new LivePrices(List.of(FILE_ROW)).table(store, T0);

        assertThat(inputPrice(table, "m")).isEqualTo("1");
        assertThat(inputPrice(table, "n")).isEqualTo("3");
    }

    @Test
    void readsAtMostTheBoundOfTopicRows() {
        for (int i = 0; i < LivePrices.MAX_TOPIC_ROWS + 5; i++) {
            put("openai|m" + i + "|2026-01-01", "{\"input\": 1, \"output\": 1}");
        }

        PriceTable table = new LivePrices(List.of(FILE_ROW)).table(store, T0);

        assertThat(table.size()).isEqualTo(LivePrices.MAX_TOPIC_ROWS + 1);
    }

    /** A sorted map as a read-only store, counting full scans. */
    private static final class MapStore implements ReadOnlyKeyValueStore<String, byte[]> {
        final TreeMap<String, byte[]> rows = new TreeMap<>();
        final AtomicInteger scans = new AtomicInteger();

        @Override
        public byte[] get(String key) {
            return rows.get(key);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            scans.incrementAndGet();
            Iterator<Map.Entry<String, byte[]>> it = List.copyOf(rows.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, byte[]> next() {
                    Map.Entry<String, byte[]> e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return rows.size();
        }
    }
}
