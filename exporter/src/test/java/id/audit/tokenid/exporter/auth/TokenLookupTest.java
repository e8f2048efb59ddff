package id.audit.tokenid.exporter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.TokenLookup.Resolution;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How several token sources combine: found anywhere wins; not ready beats unknown. */
class TokenLookupTest {

    private static final String DIGEST = "a".repeat(64);
    private static final TokenLookup KNOWS = digest -> Optional.of(Principal.org("acme"));
    private static final TokenLookup UNKNOWN = digest -> Optional.empty();
    private static final TokenLookup LOADING = new TokenLookup() {
        @Override
        public Optional<Principal> lookup(String sha256Hex) {
            return Optional.empty();
        }

        @Override
        public Resolution resolve(String sha256Hex) {
            return new Resolution.NotReady();
        }
    };

    @Test
    void aDigestFoundAnywhereWinsEvenWhenAnotherSourceIsLoading() {
        assertThat(TokenLookup.firstOf(LOADING, KNOWS).resolve(DIGEST))
                .isEqualTo(new Resolution.Found(Principal.org("acme")));
        assertThat(TokenLookup.firstOf(KNOWS, LOADING).lookup(DIGEST)).contains(Principal.org("acme"));
    }

    @Test
    void unknownEverywhereButOneSourceLoadingIsNotReady() {
        assertThat(TokenLookup.firstOf(UNKNOWN, LOADING).resolve(DIGEST)).isEqualTo(new Resolution.NotReady());
        assertThat(TokenLookup.firstOf(UNKNOWN, LOADING).lookup(DIGEST)).isEmpty();
    }

    @Test
    void unknownEverywhereAndAllReadyIsUnknown() {
        assertThat(TokenLookup.firstOf(UNKNOWN, UNKNOWN).resolve(DIGEST)).isEqualTo(new Resolution.Unknown());
        assertThat(TokenLookup.firstOf().resolve(DIGEST)).isEqualTo(new Resolution.Unknown());
    }
}
