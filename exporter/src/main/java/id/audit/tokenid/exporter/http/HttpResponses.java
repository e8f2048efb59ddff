package id.audit.tokenid.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes complete responses on the JDK server, with HEAD handled once for every endpoint. */
final class HttpResponses {

    static final String TEXT = "text/plain; charset=utf-8";

    private HttpResponses() {
    }

    /** A short fixed text body. Never put request data, reasons or exceptions in it. */
    static int text(HttpExchange exchange, int status, String message) throws IOException {
        return send(exchange, status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends status, headers and body. A HEAD request gets the same headers, including the
     * Content-Length the GET body would have, and no body.
     */
    static int send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }

    static int methodNotAllowed(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        return text(exchange, 405, "method not allowed");
    }

    static int notFound(HttpExchange exchange) throws IOException {
        return text(exchange, 404, "not found");
    }

    static boolean isGetOrHead(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
