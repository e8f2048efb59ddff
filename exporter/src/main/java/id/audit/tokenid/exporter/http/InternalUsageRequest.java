package id.audit.tokenid.exporter.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The query of {@code GET /internal/v1/usage}: exactly one of {@code org=<percent-encoded org>}
 * or {@code all=true}. Anything else is a bad request.
 *
 * @param orgId the org asked for, or empty for every org this instance holds
 */
record InternalUsageRequest(Optional<String> orgId) {

    static Optional<InternalUsageRequest> parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty() || rawQuery.indexOf('&') >= 0) {
            return Optional.empty();
        }
        int equals = rawQuery.indexOf('=');
        if (equals < 0) {
            return Optional.empty();
        }
        String name = rawQuery.substring(0, equals);
        String value;
        try {
            value = URLDecoder.decode(rawQuery.substring(equals + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (name.equals("org") && !value.isEmpty()) {
            return Optional.of(new InternalUsageRequest(Optional.of(value)));
        }
        if (name.equals("all") && value.equals("true")) {
            return Optional.of(new InternalUsageRequest(Optional.empty()));
        }
        return Optional.empty();
    }

    /** The query string that asks for this: the inverse of {@link #parse}. */
    static String query(Optional<String> orgId) {
        return orgId.map(org -> "org=" + encode(org)).orElse("all=true");
    }

    private static String encode(String value) {
        // URLEncoder writes a space as '+'; %20 reads the same to URLDecoder and to anyone else.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
