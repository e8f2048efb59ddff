package id.audit.tokenid.exporter.auth;

import id.audit.tokenid.exporter.auth.TokensFileParser.Grant;
import id.audit.tokenid.exporter.auth.TokensFileParser.Parsed;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The grants a tokens file holds now, and the problems of its last reading: swapped whole on
 * each reading, emptied (fail closed) while the file cannot be read. Lookups follow the one
 * digest rule, {@link TokenDigests#isHexDigest}.
 */
final class TokensFileGrants implements TokenLookup {

    private volatile State state = new State(Map.of(), List.of(), false);

    @Override
    public Optional<Principal> lookup(String sha256Hex) {
        if (!TokenDigests.isHexDigest(sha256Hex)) {
            return Optional.empty();
        }
        Grant grant = state.grants().get(sha256Hex);
        // The map is keyed by digest, so the hash lookup reveals nothing about the raw token;
        // the final comparison is constant time all the same, as SPEC §3 asks.
        if (grant == null || !MessageDigest.isEqual(grant.digest(), TokenDigests.parseHex(sha256Hex))) {
            return Optional.empty();
        }
        return Optional.of(grant.principal());
    }

    /** Replaces every grant with the file's new content. */
    void replace(Parsed parsed) {
        state = new State(parsed.grants(), parsed.problems(), true);
    }

    /**
     * Revokes every grant, with this one problem.
     *
     * @return false when that was already the case (nothing new to report)
     */
    boolean revokeAll(String problem) {
        State current = state;
        if (!current.readable() && current.problems().equals(List.of(problem))) {
            return false;
        }
        state = new State(Map.of(), List.of(problem), false);
        return true;
    }

    List<String> problems() {
        return state.problems();
    }

    int size() {
        return state.grants().size();
    }

    private record State(Map<String, Grant> grants, List<String> problems, boolean readable) {
    }
}
