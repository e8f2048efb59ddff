package id.audit.tokenid.exporter.http.server;

import java.util.Objects;

/**
 * A complete, parsed request head: what a handler may look at. The target is kept raw (still
 * percent-encoded) so that each handler decides how to decode its own query.
 *
 * @param method    the method token as sent (case-sensitive, RFC 9110 §9.1)
 * @param rawPath   the path of the target, percent-encoded as sent; "*" for an asterisk-form
 * @param rawQuery  the query after '?', percent-encoded as sent, or null when there is none
 * @param version   {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param keepAlive whether the connection may carry another request after this one
 */
public record Request(String method, String rawPath, String rawQuery, String version, RequestHeaders headers,
                      boolean keepAlive) {
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    public boolean isHead() {
        return "HEAD".equals(method);
    }

    public boolean isGetOrHead() {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
