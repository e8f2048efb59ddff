package id.audit.tokenid.exporter.http.server;

import id.audit.tokenid.exporter.http.server.Connection.State;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small non-blocking HTTP/1.1 server. Why our own: the JDK server hands each new connection
 * to an executor thread that blocks reading the request head, so a handful of clients that
 * send half a head and wait hold every thread and blind every tenant; it has no connection cap
 * in JDK 17 either.
 *
 * <p>Here one selector thread accepts, reads and parses heads and writes responses, all
 * non-blocking; a bounded worker pool runs the {@link Handler} only for complete requests, so a
 * slow client never holds a worker. Every connection always has one deadline
 * ({@link ServerLimits}), and the connection cap evicts the oldest connection that is not
 * running a handler. Pipelined requests are taken one at a time, in order. Over 200 lines
 * because the selector loop is one state machine, clearer read in one place.
 */
public final class NonBlockingHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingHttpServer.class);
    /** How often deadlines are checked at most: their precision. */
    private static final long SWEEP_MILLIS = 100;
    /** Accepts per selector wake-up, so a connection flood cannot starve reads and writes. */
    private static final int ACCEPT_BATCH = 64;
    /** How long a closing connection may keep sending before it is cut (lingering close). */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final String RETRY_AFTER_SECONDS = "5";

    private record Completion(Connection connection, byte[] bytes, boolean close) {
    }

    private final ServerLimits limits;
    private final Handler handler;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final ExecutorService workers;
    private final Thread selectorThread;
    private final InetSocketAddress address;
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>(); // accept order
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private volatile boolean running = true;
    private volatile int openConnections;

    /**
     * Binds and starts serving.
     *
     * @param name names the threads ({@code name-selector}, {@code name-worker-N})
     * @throws IOException when the address cannot be bound; the message names it
     */
    public NonBlockingHttpServer(String name, String bindAddress, int port, ServerLimits limits, Handler handler)
            throws IOException {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.handler = Objects.requireNonNull(handler, "handler");
        InetSocketAddress wanted = new InetSocketAddress(bindAddress, port);
        if (wanted.isUnresolved()) {
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": unknown host");
        }
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.bind(wanted, 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            String reason = e instanceof BindException ? e.getMessage() : e.toString();
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + reason, e);
        }
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.workers = WorkerPool.bounded(name + "-worker", limits.workers(), limits.queueCapacity());
        this.selectorThread = new Thread(this::run, name + "-selector");
        selectorThread.setDaemon(true);
        selectorThread.start();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Connections open now, as of the selector's last turn (at most 100 ms old). */
    public int openConnections() {
        return openConnections;
    }

    /** Stops the selector and the workers and closes every socket; waits up to 5 s for both. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        workers.shutdownNow();
        try {
            selectorThread.join(5_000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                selector.select(SWEEP_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isValid()) {
                        serve((Connection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
                drainCompletions();
                sweep(System.nanoTime());
                openConnections = connections.size();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("HTTP selector on {} stopped", address, e);
        } finally {
            for (Connection connection : new ArrayList<>(connections)) {
                close(connection);
            }
            closeQuietly(listener);
            closeQuietly(selector);
            openConnections = 0;
        }
    }

    /** One connection's turn; a bug in it costs that connection, never the selector. */
    private void serve(Connection connection) {
        try {
            SelectionKey key = connection.key;
            if (key.isReadable()) {
                read(connection);
            }
            if (key.isValid() && key.isWritable()) {
                write(connection);
            }
        } catch (RuntimeException e) {
            LOG.warn("closing a connection after an unexpected error", e);
            close(connection);
        }
    }

    private void acceptAll() throws IOException {
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            SocketChannel channel = listener.accept();
            if (channel == null) {
                return;
            }
            if (connections.size() >= limits.maxConnections() && !evictOldest()) {
                closeQuietly(channel); // every connection runs a handler: refuse the new one
                continue;
            }
            try {
                channel.configureBlocking(false);
                // Without it a small response can wait ~40 ms for the client's delayed ACK (Nagle).
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                Connection connection = new Connection(channel, key, System.nanoTime() + limits.headTimeout().toNanos());
                key.attach(connection);
                connections.add(connection);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    /** Closes the oldest connection not running a handler; false when there is none. */
    private boolean evictOldest() {
        for (Connection connection : connections) {
            if (connection.evictable()) {
                close(connection);
                return true;
            }
        }
        return false;
    }

    private void read(Connection connection) {
        readBuffer.clear();
        int n;
        try {
            n = connection.channel.read(readBuffer);
        } catch (IOException e) {
            close(connection);
            return;
        }
        if (n < 0) {
            close(connection);
            return;
        }
        if (n == 0 || connection.state == State.DRAINING) {
            return; // a closing connection's bytes are discarded
        }
        readBuffer.flip();
        if (connection.state == State.IDLE) {
            connection.state = State.READING_HEAD; // the head deadline starts at its first byte
            connection.deadlineNanos = System.nanoTime() + limits.headTimeout().toNanos();
        }
        connection.append(readBuffer);
        nextRequest(connection);
    }

    /** Starts the next request when its whole head is in, or refuses a head over the cap. */
    private void nextRequest(Connection connection) {
        int end = RequestHeadParser.headEnd(connection.in, Math.min(connection.inLength, limits.maxHeadBytes()));
        if (end < 0) {
            if (connection.inLength > limits.maxHeadBytes()) {
                refuse(connection, connection.hasLineEnd() ? RequestHeadParser.HEADERS_TOO_LARGE
                        : RequestHeadParser.URI_TOO_LONG);
            }
            return;
        }
        RequestHeadParser.Result result = RequestHeadParser.parse(connection.in, end);
        connection.consume(end);
        if (result instanceof RequestHeadParser.Refused refused) {
            refuse(connection, refused);
            return;
        }
        Request request = ((RequestHeadParser.Parsed) result).request();
        connection.state = State.HANDLING;
        connection.key.interestOps(0); // pipelined bytes wait in the kernel until this one is answered
        try {
            workers.execute(() -> handle(connection, request));
        } catch (RejectedExecutionException full) {
            Response busy = Response.text(503, "server busy, retry later").header("Retry-After", RETRY_AFTER_SECONDS);
            startWrite(connection, ResponseBytes.of(busy, request.isHead(), false, false), true);
        }
    }

    private void refuse(Connection connection, RequestHeadParser.Refused refused) {
        startWrite(connection, ResponseBytes.of(Response.text(refused.status(), refused.message()), false, false, false),
                true);
    }

    /** On a worker: runs the handler and hands the bytes back to the selector thread. */
    private void handle(Connection connection, Request request) {
        Response response;
        try {
            response = handler.handle(request);
        } catch (RuntimeException e) {
            LOG.error("unexpected error while answering {} {}", request.method(), request.rawPath(), e);
            response = Response.text(500, "internal error");
        }
        boolean keepAlive = request.keepAlive() && !response.closesConnection();
        byte[] bytes = ResponseBytes.of(response, request.isHead(), keepAlive, request.version().equals("HTTP/1.0"));
        completions.add(new Completion(connection, bytes, !keepAlive));
        selector.wakeup();
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            if (completion.connection().state == State.HANDLING) {
                startWrite(completion.connection(), completion.bytes(), completion.close());
            }
        }
    }

    private void startWrite(Connection connection, byte[] bytes, boolean close) {
        connection.state = State.WRITING;
        connection.out = ByteBuffer.wrap(bytes);
        connection.closeAfterWrite = close;
        connection.deadlineNanos = System.nanoTime() + limits.writeTimeout().toNanos();
        write(connection);
    }

    private void write(Connection connection) {
        if (connection.state != State.WRITING) {
            return;
        }
        try {
            connection.channel.write(connection.out);
        } catch (IOException e) {
            close(connection);
            return;
        }
        if (connection.out.hasRemaining()) {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        connection.out = null;
        if (connection.closeAfterWrite) {
            linger(connection);
            return;
        }
        connection.key.interestOps(SelectionKey.OP_READ);
        if (connection.inLength > 0) { // a pipelined request: its head deadline starts now
            connection.state = State.READING_HEAD;
            connection.deadlineNanos = System.nanoTime() + limits.headTimeout().toNanos();
            nextRequest(connection);
        } else {
            connection.state = State.IDLE;
            connection.deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos();
        }
    }

    /**
     * Half-closes and discards what the client still sends, for a short while: closing at once
     * with unread input makes the kernel send a reset, which can destroy the response before
     * the client reads it (RFC 9112 §9.6).
     */
    private void linger(Connection connection) {
        try {
            connection.channel.shutdownOutput();
        } catch (IOException e) {
            close(connection);
            return;
        }
        connection.state = State.DRAINING;
        connection.inLength = 0;
        connection.deadlineNanos = System.nanoTime() + Math.min(LINGER_NANOS, limits.writeTimeout().toNanos());
        connection.key.interestOps(SelectionKey.OP_READ);
    }

    private void sweep(long now) {
        List<Connection> expired = new ArrayList<>();
        for (Connection connection : connections) {
            if (connection.state != State.HANDLING && now - connection.deadlineNanos > 0) {
                expired.add(connection);
            }
        }
        expired.forEach(this::close);
    }

    private void close(Connection connection) {
        connection.state = State.CLOSED;
        connection.key.cancel();
        closeQuietly(connection.channel);
        connections.remove(connection);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("error while closing", e);
        }
    }
}
