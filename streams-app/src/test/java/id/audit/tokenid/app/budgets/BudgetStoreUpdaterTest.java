package id.audit.tokenid.app.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Rejections are counted every time, logged once per key until the key is good again. */
class BudgetStoreUpdaterTest {

    @Test
    void logsARejectedKeyOnceUntilItIsValidOrRemovedAgain() {
        BudgetStoreUpdater updater = new BudgetStoreUpdater(() -> { });

        assertThat(updater.firstTime("acme")).isTrue();
        assertThat(updater.firstTime("acme")).isFalse();
        assertThat(updater.firstTime("other")).isTrue();
    }

    @Test
    void forgetsALoggedKeyOnceItHoldsABudgetAgain() {
        int[] rejected = {0};
        BudgetStoreUpdater updater = new BudgetStoreUpdater(() -> rejected[0]++);
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BudgetStore.NAME),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        updater.init(context);

        updater.process(record("acme", "{\"monthly_usd\": \"x\"}"));
        updater.process(record("acme", "{\"monthly_usd\": \"x\"}"));
        assertThat(updater.firstTime("acme")).as("already logged").isFalse();
        updater.process(record("acme", "{\"monthly_usd\": \"1\"}"));

        assertThat(rejected[0]).isEqualTo(2);
        assertThat(updater.firstTime("acme")).as("logged again after a good value").isTrue();
        assertThat(store.get("acme")).isNotNull();
    }

    @Test
    void stopsRememberingPastItsBoundAndThenLogsEveryTime() {
        BudgetStoreUpdater updater = new BudgetStoreUpdater(() -> { });
        for (int i = 0; i < BudgetStoreUpdater.MAX_REMEMBERED_KEYS; i++) {
            assertThat(updater.firstTime("org-" + i)).isTrue();
        }

        assertThat(updater.firstTime("one-more")).isTrue();
        assertThat(updater.firstTime("one-more")).isTrue();
        assertThat(updater.firstTime("org-0")).isFalse();
    }

    private static Record<byte[], byte[]> record(String key, String value) {
        return new Record<>(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), 0L);
    }
}
