package id.audit.tokenid.exporter.http;

/**
 * Tightens the JDK HTTP server's process-wide settings before the first server starts.
 * They are system properties that the JDK reads once ({@code sun.net.httpserver.ServerConfig},
 * present in JDK 17), so a value the operator set on the command line always wins. Over the
 * limit, the JDK closes the connection without a response; {@link RequestLimits} answers
 * smaller excesses with a status code.
 */
final class HttpServerLimits {

    /** Request line plus headers, in bytes; the JDK default is 380 KiB. */
    static final String MAX_REQUEST_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";
    static final int MAX_REQUEST_HEADER_BYTES = 32 * 1024;

    /**
     * TCP_NODELAY on accepted sockets: without it a small response can wait for the client's
     * delayed ACK (Nagle), adding about 40 ms to every keep-alive scrape.
     */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private HttpServerLimits() {
    }

    static synchronized void applyDefaults() {
        setIfAbsent(MAX_REQUEST_HEADER_SIZE, Integer.toString(MAX_REQUEST_HEADER_BYTES));
        setIfAbsent(NO_DELAY, "true");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
