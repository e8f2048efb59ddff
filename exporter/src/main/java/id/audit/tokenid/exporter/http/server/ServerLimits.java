package id.audit.tokenid.exporter.http.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound of an {@link HttpServer}, with the defaults below. What a client sees at each:
 * <ul>
 *   <li>{@code maxConnections}: a new connection beyond it closes the oldest connection that
 *       is not running a handler (idle keep-alive, or still sending its head); when every
 *       connection is running a handler the new one is closed at once;</li>
 *   <li>{@code headTimeout}: the whole request head must arrive within it, counted from accept
 *       (or from the first byte of the next request on a keep-alive connection), else the
 *       connection is closed without an answer;</li>
 *   <li>{@code idleTimeout}: a keep-alive connection without a new request for this long is
 *       closed;</li>
 *   <li>{@code writeTimeout}: a response not taken by the client within it (a client that
 *       never reads) is dropped and the connection closed;</li>
 *   <li>{@code maxHeadBytes}: a head longer than this is answered 414 (still in the request
 *       line) or 431 and the connection closed; finer limits (4 KiB URI, 100 headers, 16 KiB of
 *       headers) are checked on complete heads by {@link RequestHeadParser};</li>
 *   <li>{@code workers} and {@code queueCapacity}: complete requests run on this many threads;
 *       when the queue is full the request is answered 503 with {@code Retry-After} and the
 *       connection closed, never queued without bound.</li>
 * </ul>
 */
public record ServerLimits(int maxConnections, Duration headTimeout, Duration idleTimeout, Duration writeTimeout,
                           int maxHeadBytes, int workers, int queueCapacity) {

    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Request line and headers together: room for the 4 KiB URI and 16 KiB of headers. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 32 * 1024;
    public static final int DEFAULT_WORKERS = 8;
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    public ServerLimits {
        positive("maxConnections", maxConnections);
        positive("maxHeadBytes", maxHeadBytes);
        positive("workers", workers);
        positive("queueCapacity", queueCapacity);
        positive("headTimeout", headTimeout);
        positive("idleTimeout", idleTimeout);
        positive("writeTimeout", writeTimeout);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_HEAD_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_WRITE_TIMEOUT, DEFAULT_MAX_HEAD_BYTES, DEFAULT_WORKERS, DEFAULT_QUEUE_CAPACITY);
    }

    public ServerLimits withMaxConnections(int value) {
        return new ServerLimits(value, headTimeout, idleTimeout, writeTimeout, maxHeadBytes, workers, queueCapacity);
    }

    public ServerLimits withHeadTimeout(Duration value) {
        return new ServerLimits(maxConnections, value, idleTimeout, writeTimeout, maxHeadBytes, workers, queueCapacity);
    }

    public ServerLimits withIdleTimeout(Duration value) {
        return new ServerLimits(maxConnections, headTimeout, value, writeTimeout, maxHeadBytes, workers, queueCapacity);
    }

    public ServerLimits withWriteTimeout(Duration value) {
        return new ServerLimits(maxConnections, headTimeout, idleTimeout, value, maxHeadBytes, workers, queueCapacity);
    }

    public ServerLimits withWorkers(int value) {
        return new ServerLimits(maxConnections, headTimeout, idleTimeout, writeTimeout, maxHeadBytes, value, queueCapacity);
    }

    public ServerLimits withQueueCapacity(int value) {
        return new ServerLimits(maxConnections, headTimeout, idleTimeout, writeTimeout, maxHeadBytes, workers, value);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
