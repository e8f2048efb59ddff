package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.auth.Tokens;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory token lookup that mints tokens for tests. */
final class FakeTokens implements TokenLookup {

    private final Map<String, Principal> byDigest = new ConcurrentHashMap<>();

    String mint(Principal principal) {
        String token = Tokens.mint();
        byDigest.put(TokenDigests.sha256Hex(token), principal);
        return token;
    }

    String mintFor(String orgId) {
        return mint(Principal.org(orgId));
    }

    @Override
    public Optional<Principal> lookup(String sha256Hex) {
        return Optional.ofNullable(byDigest.get(sha256Hex));
    }
}
