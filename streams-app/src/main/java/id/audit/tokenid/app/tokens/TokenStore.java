package id.audit.tokenid.app.tokens;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenLookup;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The tokens of the {@code api-tokens} topic as a global store: every instance holds all
 * digests (never a raw token), so any instance authenticates any scrape, and a tombstone reaches
 * every instance as fast as it consumes the topic. The store is searched by digest: timing can
 * tell an attacker at most something about a SHA-256 output, not about a token.
 */
public final class TokenStore implements TokenLookup {

    public static final String NAME = "api-tokens-store";

    private final KafkaStreams streams;

    public TokenStore(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Adds the global store and its updater to a topology under construction. */
    public static void addTo(StreamsBuilder builder, String tokensTopic) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAME), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(), // a global store restores from its own source topic
                tokensTopic,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("api-tokens-source"),
                TokenStoreUpdater::new);
    }

    @Override
    public Optional<Principal> lookup(String sha256Hex) {
        return resolve(sha256Hex) instanceof Resolution.Found found ? Optional.of(found.principal()) : Optional.empty();
    }

    /**
     * Not ready while the store is not queryable (Kafka Streams restoring it at start-up):
     * still no token is valid then, but the caller answers 503 rather than telling a valid
     * token that it is unknown.
     */
    @Override
    public Resolution resolve(String sha256Hex) {
        if (!TokenRecord.isDigest(sha256Hex)) {
            return new Resolution.Unknown();
        }
        ReadOnlyKeyValueStore<String, byte[]> store;
        try {
            store = streams.store(StoreQueryParameters.fromNameAndType(NAME, QueryableStoreTypes.keyValueStore()));
            Optional<Principal> principal = TokenRecord.parseValue(store.get(sha256Hex));
            return principal.<Resolution>map(Resolution.Found::new).orElseGet(Resolution.Unknown::new);
        } catch (InvalidStateStoreException notReady) {
            return new Resolution.NotReady();
        }
    }
}
