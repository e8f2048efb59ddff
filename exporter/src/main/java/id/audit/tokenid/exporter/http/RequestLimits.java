package id.audit.tokenid.exporter.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds on what a request may carry, checked before anything else looks at it: these
 * endpoints take no body and need only a short URI and a few headers. The JDK server has its
 * own, coarser limits (see {@link HttpServerLimits}); these answer with a proper status.
 */
final class RequestLimits {

    static final int MAX_URI_LENGTH = 4096;
    static final int MAX_HEADER_COUNT = 100;
    static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Why a request is refused, as a status and a fixed short message. */
    record Rejection(int status, String message) {
    }

    private RequestLimits() {
    }

    static Optional<Rejection> check(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        int uriLength = uri.getRawPath() == null ? 0 : uri.getRawPath().length();
        uriLength += uri.getRawQuery() == null ? 0 : uri.getRawQuery().length() + 1;
        if (uriLength > MAX_URI_LENGTH) {
            return Optional.of(new Rejection(414, "URI too long"));
        }
        Headers headers = exchange.getRequestHeaders();
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                count++;
                bytes += header.getKey().length() + (value == null ? 0 : value.length()) + 4;
            }
        }
        if (count > MAX_HEADER_COUNT || bytes > MAX_HEADER_BYTES) {
            return Optional.of(new Rejection(431, "request headers too large"));
        }
        if (headers.containsKey("Transfer-Encoding")) {
            return Optional.of(new Rejection(413, "a request body is not accepted"));
        }
        List<String> contentLength = headers.get("Content-Length");
        if (contentLength != null) {
            for (String value : contentLength) {
                if (value == null || !value.trim().matches("[0-9]{1,18}")) {
                    return Optional.of(new Rejection(400, "bad Content-Length"));
                }
                if (Long.parseLong(value.trim()) > 0) {
                    return Optional.of(new Rejection(413, "a request body is not accepted"));
                }
            }
        }
        return Optional.empty();
    }
}
