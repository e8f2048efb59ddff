package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.http.server.Response;

/** The fixed answers every endpoint shares. Bodies are fixed short texts, never request data. */
final class HttpResponses {

    static final String RETRY_AFTER_SECONDS = "5";

    private HttpResponses() {
    }

    static Response methodNotAllowed() {
        return Response.text(405, "method not allowed").header("Allow", "GET, HEAD");
    }

    static Response notFound() {
        return Response.text(404, "not found");
    }

    static Response unavailable(String message) {
        return Response.text(503, message).header("Retry-After", RETRY_AFTER_SECONDS);
    }
}
