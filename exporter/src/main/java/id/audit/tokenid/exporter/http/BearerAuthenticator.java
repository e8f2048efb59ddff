package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.auth.BearerCredentials;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.auth.TokenLookup.Resolution;
import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;

/**
 * Turns a request's {@code Authorization} header into a principal, or into the refusal to
 * send: 401 with a {@code WWW-Authenticate: Bearer} challenge, or 503 with {@code Retry-After}
 * while a token source is still loading (a valid token must not be told it is invalid). Counts
 * why. The token is hashed at once, looked up by digest only, and goes no further.
 */
final class BearerAuthenticator {

    private static final String CHALLENGE = "Bearer realm=\"tokenid\"";

    private final TokenLookup tokens;
    private final ExporterMetrics metrics;

    BearerAuthenticator(TokenLookup tokens, ExporterMetrics metrics) {
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** The outcome: who is calling, or the response that refuses the request. */
    sealed interface Outcome {
    }

    record Authenticated(Principal principal) implements Outcome {
    }

    record Refused(Response response) implements Outcome {
    }

    Outcome authenticate(Request request) {
        BearerCredentials.Outcome outcome = BearerCredentials.parse(request.headers().all("Authorization"));
        if (outcome instanceof BearerCredentials.Missing) {
            return refuse(ExporterMetrics.AuthFailure.MISSING);
        }
        if (outcome instanceof BearerCredentials.Malformed) {
            return refuse(ExporterMetrics.AuthFailure.MALFORMED);
        }
        String token = ((BearerCredentials.Token) outcome).value();
        Resolution resolution = tokens.resolve(TokenDigests.sha256Hex(token));
        if (resolution instanceof Resolution.Found found) {
            return new Authenticated(found.principal());
        }
        if (resolution instanceof Resolution.NotReady) {
            metrics.authFailure(ExporterMetrics.AuthFailure.NOT_READY);
            return new Refused(HttpResponses.unavailable("tokens are loading, retry later"));
        }
        return refuse(ExporterMetrics.AuthFailure.UNKNOWN);
    }

    private Refused refuse(ExporterMetrics.AuthFailure reason) {
        metrics.authFailure(reason);
        // RFC 6750 §3.1: no error code when the request carried no credentials at all.
        String challenge = reason == ExporterMetrics.AuthFailure.MISSING ? CHALLENGE
                : CHALLENGE + ", error=\"invalid_token\"";
        return new Refused(Response.text(401, "unauthorized").header("WWW-Authenticate", challenge));
    }
}
