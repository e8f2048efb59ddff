package id.audit.tokenid.app.pricing;

import id.audit.tokenid.app.topology.IngestMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.Stores;

/**
 * The rows of the prices topic as a global store on every instance, so that every task's parse
 * step prices with the same rows, and a row written to the topic reaches all of them as fast as
 * they consume it. Values are kept as the topic has them (valid ones only; see
 * {@link PriceStoreUpdater}).
 */
public final class PriceStore {

    public static final String NAME = "api-prices-store";

    private PriceStore() {
    }

    /** Adds the global store and its updater to a topology under construction. */
    public static void addTo(StreamsBuilder builder, String pricesTopic, LivePrices prices, IngestMetrics metrics) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAME), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(), // a global store restores from its own source topic
                pricesTopic,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("api-prices-source"),
                () -> new PriceStoreUpdater(prices, metrics));
    }
}
