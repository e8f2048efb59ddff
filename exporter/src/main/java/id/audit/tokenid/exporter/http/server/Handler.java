package id.audit.tokenid.exporter.http.server;

/**
 * Answers one complete request. Runs on the server's bounded worker pool, never on the
 * selector thread, and never before the whole request head has arrived. An exception becomes
 * a fixed 500 answer.
 */
@FunctionalInterface
public interface Handler {

    Response handle(Request request);
}
