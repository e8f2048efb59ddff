package id.audit.tokenid.app.budgets;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The budgets of the compacted {@code api-budgets} topic as a global store: every instance holds
 * every org's budget, so whichever instance reads an org (its owner) knows the org's month and
 * budget, and a change reaches every instance as fast as it consumes the topic. Keyed by the
 * normalised org id; each value is kept as the topic had it, once {@link BudgetRecord} accepted
 * it ({@link BudgetStoreUpdater}), and read again by the same rule here.
 */
public final class BudgetStore implements BudgetLookup {

    public static final String NAME = "api-budgets-store";
    public static final String DEFAULT_TOPIC = "api-budgets";

    private final Supplier<ReadOnlyKeyValueStore<String, byte[]>> store;

    /** @param store the store to read, asked again on every lookup (tests pass a driver's store) */
    public BudgetStore(Supplier<ReadOnlyKeyValueStore<String, byte[]>> store) {
        this.store = store;
    }

    /** The lookup over a running instance's global store. */
    public static BudgetStore of(KafkaStreams streams) {
        return new BudgetStore(() -> streams.store(
                StoreQueryParameters.fromNameAndType(NAME, QueryableStoreTypes.keyValueStore())));
    }

    /**
     * Adds the global store and its updater to a topology under construction.
     *
     * @param onRejected called once for every record that gives no budget because its key or value
     *                   is malformed (the management counter)
     */
    public static void addTo(StreamsBuilder builder, String budgetsTopic, Runnable onRejected) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAME), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(), // a global store restores from its own source topic
                budgetsTopic,
                // Keys as bytes: the updater decodes them strictly (a key that is not UTF-8 is
                // refused, never turned into another org by replacement characters).
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("api-budgets-source"),
                () -> new BudgetStoreUpdater(onRejected));
    }

    /**
     * The org's budget, empty when it has none.
     *
     * @param orgId a normalised org id, as the reads hold it
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not
     *         queryable (the instance is starting or closing): the caller answers "unavailable"
     *         rather than reading the org as having no budget (wrong month, missing gauges)
     */
    @Override
    public Optional<OrgBudget> budgetOf(String orgId) {
        if (orgId == null) {
            return Optional.empty();
        }
        byte[] value = store.get().get(orgId);
        // Parsed again, by the same rule as the updater: a few microseconds, and no second format
        // that a restore or an older build could disagree with.
        return value != null && BudgetRecord.parseValue(value) instanceof BudgetRecord.Budget found
                ? Optional.of(found.budget()) : Optional.empty();
    }
}
