package id.audit.tokenid.exporter.http.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete response built by a handler: status, headers and the whole body. The server adds
 * {@code Content-Length} and {@code Connection}, and drops the body of a HEAD answer.
 * Mutable while the handler builds it; handed to the server once.
 */
public final class Response {

    public static final String TEXT = "text/plain; charset=utf-8";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private boolean close;

    public Response(int status, String contentType, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, got " + status);
        }
        this.status = status;
        this.body = Objects.requireNonNull(body, "body");
        header("Content-Type", contentType);
        // Bodies here are metrics or fixed texts: a browser must not guess them to be HTML.
        header("X-Content-Type-Options", "nosniff");
    }

    /** A short fixed text body. Never put request data, reasons or exceptions in it. */
    public static Response text(int status, String message) {
        return new Response(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets a header, replacing an earlier value of the same name. */
    public Response header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Asks the server to close the connection after this response. */
    public Response closeConnection() {
        close = true;
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public Response removeHeader(String name) {
        headers.remove(name);
        return this;
    }

    public byte[] body() {
        return body;
    }

    public boolean closesConnection() {
        return close;
    }

    Map<String, String> orderedHeaders() {
        return headers;
    }
}
