package id.audit.tokenid.exporter.auth;

import java.util.Optional;

/**
 * Digest of a token to its principal. Implementations hold SHA-256 digests only, never raw
 * tokens: a tokens file, the compacted {@code api-tokens} topic, or both.
 */
@FunctionalInterface
public interface TokenLookup {

    /**
     * @param sha256Hex lowercase hex SHA-256 of the raw token (64 chars)
     * @return the principal, or empty when the digest is unknown or revoked
     */
    Optional<Principal> lookup(String sha256Hex);

    /** Tries each lookup in order; the first that knows the digest wins. */
    static TokenLookup firstOf(TokenLookup... lookups) {
        return digest -> {
            for (TokenLookup lookup : lookups) {
                Optional<Principal> principal = lookup.lookup(digest);
                if (principal.isPresent()) {
                    return principal;
                }
            }
            return Optional.empty();
        };
    }
}
