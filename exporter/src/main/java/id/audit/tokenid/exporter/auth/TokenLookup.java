package id.audit.tokenid.exporter.auth;

import java.util.Optional;

/**
 * Digest of a token to its principal. Implementations hold SHA-256 digests only, never raw
 * tokens: a tokens file, the compacted {@code api-tokens} topic, or both.
 *
 * <p>A source that is still loading (the {@code api-tokens} store while Kafka Streams restores
 * it) says so through {@link #resolve}: the caller then answers 503, not 401, so that a valid
 * token is never told it is invalid because the service has just started.
 */
@FunctionalInterface
public interface TokenLookup {

    /**
     * @param sha256Hex lowercase hex SHA-256 of the raw token (64 chars)
     * @return the principal, or empty when the digest is unknown, revoked, or the source is
     *         not ready
     */
    Optional<Principal> lookup(String sha256Hex);

    /**
     * What this source can say about a digest now. The default suits sources that are always
     * ready (a file read at start-up); a source that can be loading overrides it.
     */
    default Resolution resolve(String sha256Hex) {
        Optional<Principal> principal = lookup(sha256Hex);
        return principal.<Resolution>map(Resolution.Found::new).orElseGet(Resolution.Unknown::new);
    }

    /** The outcome of a lookup. */
    sealed interface Resolution {
        /** The digest belongs to this principal. */
        record Found(Principal principal) implements Resolution {
        }

        /** The source is ready and does not know the digest (never issued, or revoked). */
        record Unknown() implements Resolution {
        }

        /** The source cannot answer yet (still loading); ask again in a few seconds. */
        record NotReady() implements Resolution {
        }
    }

    /**
     * Tries each lookup in order: a digest found anywhere wins; unknown everywhere is unknown;
     * not found and some source not ready is not ready (that source might know it).
     */
    static TokenLookup firstOf(TokenLookup... lookups) {
        TokenLookup[] sources = lookups.clone();
        return new TokenLookup() {
            @Override
            public Optional<Principal> lookup(String sha256Hex) {
                return resolve(sha256Hex) instanceof Resolution.Found found
                        ? Optional.of(found.principal()) : Optional.empty();
            }

            @Override
            public Resolution resolve(String sha256Hex) {
                boolean someNotReady = false;
                for (TokenLookup source : sources) {
                    Resolution resolution = source.resolve(sha256Hex);
                    if (resolution instanceof Resolution.Found) {
                        return resolution;
                    }
                    someNotReady |= resolution instanceof Resolution.NotReady;
                }
                return someNotReady ? new Resolution.NotReady() : new Resolution.Unknown();
            }
        };
    }
}
