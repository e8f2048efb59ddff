package id.audit.tokenid.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import id.audit.tokenid.exporter.auth.BearerCredentials;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.TokenLookup;
import java.io.IOException;
import java.util.Optional;

/**
 * Turns a request's {@code Authorization} header into a caller, or answers 401 with a
 * {@code WWW-Authenticate: Bearer} challenge and counts why. The token is hashed at once and
 * looked up by digest only.
 */
final class BearerAuthenticator {

    private static final String CHALLENGE = "Bearer realm=\"tokenid\"";

    private final TokenLookup tokens;
    private final ExporterMetrics metrics;

    BearerAuthenticator(TokenLookup tokens, ExporterMetrics metrics) {
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** An authenticated caller: who, and the raw token to pass on to an owning instance. */
    record Caller(Principal principal, String token) {
        @Override
        public String toString() {
            return "Caller[" + principal + ", token=<redacted>]";
        }
    }

    /** The caller, or empty once 401 has been answered. */
    Optional<Caller> authenticate(HttpExchange exchange) throws IOException {
        BearerCredentials.Outcome outcome =
                BearerCredentials.parse(exchange.getRequestHeaders().get("Authorization"));
        if (outcome instanceof BearerCredentials.Missing) {
            return refuse(exchange, ExporterMetrics.AuthFailure.MISSING);
        }
        if (outcome instanceof BearerCredentials.Malformed) {
            return refuse(exchange, ExporterMetrics.AuthFailure.MALFORMED);
        }
        String token = ((BearerCredentials.Token) outcome).value();
        Optional<Principal> principal = tokens.lookup(TokenDigests.sha256Hex(token));
        if (principal.isEmpty()) {
            return refuse(exchange, ExporterMetrics.AuthFailure.UNKNOWN);
        }
        return Optional.of(new Caller(principal.get(), token));
    }

    private Optional<Caller> refuse(HttpExchange exchange, ExporterMetrics.AuthFailure reason) throws IOException {
        metrics.authFailure(reason);
        // RFC 6750 §3.1: no error code when the request carried no credentials at all.
        exchange.getResponseHeaders().set("WWW-Authenticate", reason == ExporterMetrics.AuthFailure.MISSING
                ? CHALLENGE : CHALLENGE + ", error=\"invalid_token\"");
        HttpResponses.text(exchange, 401, "unauthorized");
        return Optional.empty();
    }
}
