package id.audit.tokenid.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.Role;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.exposition.ExpositionEncoder;
import id.audit.tokenid.exporter.exposition.MetricsExposition;
import id.audit.tokenid.exporter.http.BearerAuthenticator.Caller;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import id.audit.tokenid.exporter.usage.UsageWire;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-facing HTTP server (SPEC §2, §3) on the JDK server:
 * <ul>
 *   <li>{@code GET|HEAD /metrics}: the caller's org's metrics (every org's for an admin token),
 *       read through {@code usageReader}, which may fetch from the owning instance;</li>
 *   <li>{@code GET|HEAD /internal/v1/usage?org=…|all=true}: the same read, from
 *       {@code localReader} only, in {@link UsageWire} form; another instance calls this to
 *       fetch an org it does not own, so this endpoint never forwards (one hop at most).</li>
 * </ul>
 * Both need {@code Authorization: Bearer <token>}; 401 without a valid one, 403 (internal only)
 * for an org the token may not read, 503 with {@code Retry-After} when usage cannot be read
 * consistently, 500 for anything unexpected. Bodies of errors are fixed short texts: never a
 * reason, an org id, a class name or a stack trace.
 *
 * <p>Requests run on a bounded pool; when its queue is full the JDK server closes new
 * connections rather than queueing without bound.
 */
public final class MetricsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String INTERNAL_USAGE_PATH = "/internal/v1/usage";
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService ownedExecutor;
    private final BearerAuthenticator authenticator;
    private final UsageReader usageReader;
    private final UsageReader localReader;
    private final Clock clock;
    private final ExporterMetrics metrics;
    private final ExpositionEncoder encoder = new ExpositionEncoder();
    private volatile boolean serving;

    private MetricsServer(Builder builder) throws IOException {
        this.authenticator = new BearerAuthenticator(Objects.requireNonNull(builder.tokens, "tokens"), builder.metrics);
        this.usageReader = Objects.requireNonNull(builder.usageReader, "usageReader");
        this.localReader = Objects.requireNonNull(builder.localReader, "localReader");
        this.clock = builder.clock;
        this.metrics = builder.metrics;
        this.ownedExecutor = builder.executor == null ? boundedPool("tokenid-http", builder.threads) : null;
        HttpServerLimits.applyDefaults();
        try {
            this.server = bind(builder.bindAddress, builder.port);
        } catch (IOException e) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdownNow();
            }
            throw e;
        }
        server.createContext("/", this::handle);
        server.setExecutor(builder.executor == null ? ownedExecutor : builder.executor);
        server.start();
        serving = true;
        LOG.info("metrics server listening on {}", server.getAddress());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on: the real one when it was started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Whether the server is started and not closed: one half of {@code /readyz}. */
    public boolean isServing() {
        return serving;
    }

    /** Stops listening at once; exchanges in flight are cut. */
    @Override
    public void close() {
        serving = false;
        server.stop(0);
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getRawPath();
        int status = 500;
        try {
            status = route(exchange, path);
        } catch (IOException e) {
            // The client went away mid-response, or sent something the JDK could not read.
            LOG.debug("I/O error while answering {}", path, e);
            status = exchange.getResponseCode() == -1 ? status : exchange.getResponseCode();
        } catch (RuntimeException e) {
            status = internalError(exchange, e);
        } finally {
            exchange.close();
        }
        if (METRICS_PATH.equals(path)) {
            metrics.scrapeAnswered(status, System.nanoTime() - started);
        }
    }

    private int route(HttpExchange exchange, String path) throws IOException {
        Optional<RequestLimits.Rejection> rejection = RequestLimits.check(exchange);
        if (rejection.isPresent()) {
            return HttpResponses.text(exchange, rejection.get().status(), rejection.get().message());
        }
        boolean scrape = METRICS_PATH.equals(path);
        if (!scrape && !INTERNAL_USAGE_PATH.equals(path)) {
            return HttpResponses.notFound(exchange);
        }
        if (!HttpResponses.isGetOrHead(exchange)) {
            return HttpResponses.methodNotAllowed(exchange);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Optional<Caller> caller = authenticator.authenticate(exchange);
        if (caller.isEmpty()) {
            return 401;
        }
        return scrape ? scrape(exchange, caller.get()) : internalUsage(exchange, caller.get());
    }

    private int scrape(HttpExchange exchange, Caller caller) throws IOException {
        Instant now = clock.instant();
        Principal principal = caller.principal();
        UsageQuery query = principal.role() == Role.ADMIN
                ? UsageQuery.allOrgs(now, caller.token())
                : UsageQuery.forOrg(principal.orgId().get(), now, caller.token());
        Optional<List<OrgUsage>> orgs = readVisible(usageReader, query, principal);
        if (orgs.isEmpty()) {
            metrics.scrapeUnavailable();
            return unavailable(exchange);
        }
        ExpositionEncoder.Encoded encoded = encoder.encode(MetricsExposition.snapshots(orgs.get()),
                exchange.getRequestHeaders().getFirst("Accept"),
                exchange.getRequestHeaders().get("Accept-Encoding"));
        exchange.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
        encoded.contentEncoding().ifPresent(coding -> exchange.getResponseHeaders().set("Content-Encoding", coding));
        return HttpResponses.send(exchange, 200, encoded.contentType(), encoded.body());
    }

    private int internalUsage(HttpExchange exchange, Caller caller) throws IOException {
        Optional<InternalUsageRequest> request = InternalUsageRequest.parse(exchange.getRequestURI().getRawQuery());
        if (request.isEmpty()) {
            return HttpResponses.text(exchange, 400, "bad request");
        }
        Principal principal = caller.principal();
        Optional<String> org = request.get().orgId();
        boolean allowed = org.isPresent() ? principal.mayRead(org.get()) : principal.role() == Role.ADMIN;
        if (!allowed) {
            return HttpResponses.text(exchange, 403, "forbidden");
        }
        Instant now = clock.instant();
        UsageQuery query = org.isPresent()
                ? UsageQuery.forOrg(org.get(), now, caller.token())
                : UsageQuery.allOrgs(now, caller.token());
        Optional<List<OrgUsage>> orgs = readVisible(localReader, query, principal);
        if (orgs.isEmpty()) {
            return unavailable(exchange);
        }
        return HttpResponses.send(exchange, 200, UsageWire.CONTENT_TYPE, UsageWire.encode(orgs.get()));
    }

    /**
     * Reads usage and keeps only what the principal may read and the query asked for: defence
     * in depth against a reader that answers with more. Empty when the read is unavailable, or
     * when a one-org read comes back without that org (an answer with less is never served).
     */
    private Optional<List<OrgUsage>> readVisible(UsageReader reader, UsageQuery query, Principal principal) {
        ReadResult result = reader.read(query);
        if (result instanceof ReadResult.Unavailable unavailable) {
            LOG.info("usage read unavailable: {}", unavailable.reason());
            return Optional.empty();
        }
        List<OrgUsage> visible = ((ReadResult.Found) result).orgs().stream()
                .filter(usage -> principal.mayRead(usage.orgId()))
                .filter(usage -> query.orgId().map(usage.orgId()::equals).orElse(true))
                .toList();
        if (query.orgId().isPresent() && visible.size() != 1) {
            LOG.warn("usage reader answered a one-org read with {} entries for that org", visible.size());
            return Optional.empty();
        }
        return Optional.of(visible);
    }

    private static int unavailable(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
        return HttpResponses.text(exchange, 503, "usage is temporarily unavailable, retry later");
    }

    private static int internalError(HttpExchange exchange, RuntimeException e) {
        LOG.error("unexpected error while answering {} {}", exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), e);
        if (exchange.getResponseCode() != -1) {
            return exchange.getResponseCode(); // headers are out: the body is cut short instead
        }
        try {
            exchange.getResponseHeaders().remove("Content-Encoding");
            return HttpResponses.text(exchange, 500, "internal error");
        } catch (IOException | RuntimeException again) {
            LOG.debug("could not send the 500 response", again);
            return 500;
        }
    }

    /** Binds a JDK server, failing with one line that names the address. */
    static HttpServer bind(String bindAddress, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": unknown host");
        }
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** A fixed pool of daemon threads with a bounded queue; a full queue rejects. */
    static ExecutorService boundedPool(String name, int threads) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 32), runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Settings of a {@link MetricsServer}; {@link #start()} binds and starts it. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = 9400;
        private TokenLookup tokens;
        private UsageReader usageReader;
        private UsageReader localReader;
        private Clock clock = Clock.systemUTC();
        private ExporterMetrics metrics;
        private int threads = 8;
        private Executor executor;

        private Builder() {
        }

        /** Address to listen on; default {@code 0.0.0.0} (every interface). */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Port to listen on; default 9400; 0 picks a free one ({@link #port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Who a token's digest belongs to. Required. */
        public Builder tokens(TokenLookup tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Answers {@code /metrics}: local or forwarded to the owner. Required. */
        public Builder usageReader(UsageReader usageReader) {
            this.usageReader = usageReader;
            return this;
        }

        /** Answers {@code /internal/v1/usage} from this instance's state only. Required. */
        public Builder localReader(UsageReader localReader) {
            this.localReader = localReader;
            return this;
        }

        /** The wall clock that gives {@code now} of each scrape; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where to count scrapes and auth failures; default: registered nowhere. */
        public Builder metrics(ExporterMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Request threads of the pool the server owns; default 8. Ignored with {@link #executor}. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Runs requests on the caller's executor (the caller bounds and shuts it down). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IOException when the address cannot be bound; the message names it
         */
        public MetricsServer start() throws IOException {
            if (metrics == null) {
                metrics = ExporterMetrics.unregistered();
            }
            return new MetricsServer(this);
        }
    }
}
