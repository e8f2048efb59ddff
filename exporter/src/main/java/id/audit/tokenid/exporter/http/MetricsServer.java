package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.http.server.NonBlockingHttpServer;
import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;
import id.audit.tokenid.exporter.http.server.ServerLimits;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-facing HTTP server (SPEC §2, §3): routes {@code GET|HEAD /metrics} to a
 * {@link ScrapeHandler} after bearer authentication, and {@code /internal/v1/usage} to an
 * {@link InternalUsageHandler} (instance-signed, never a customer token). 401 without a valid
 * token, 503 with {@code Retry-After} while the token store loads or when usage cannot be read
 * consistently, 404 for other paths, 405 for other methods, 500 for anything unexpected.
 * Bodies of errors are fixed short texts: never a reason, an org id, a class name or a trace.
 *
 * <p>Runs on a {@link NonBlockingHttpServer}, so slow or hostile clients cannot hold the
 * threads that answer real scrapes; its bounds are {@link ServerLimits}.
 */
public final class MetricsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String INTERNAL_USAGE_PATH = "/internal/v1/usage";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final BearerAuthenticator authenticator;
    private final ScrapeHandler scrapes;
    private final InternalUsageHandler internal;
    private final ExporterMetrics metrics;
    private final NonBlockingHttpServer server;
    private volatile boolean serving;

    private MetricsServer(Builder builder) throws IOException {
        this.metrics = builder.metrics;
        this.authenticator = new BearerAuthenticator(Objects.requireNonNull(builder.tokens, "tokens"), metrics);
        this.scrapes = new ScrapeHandler(Objects.requireNonNull(builder.usageReader, "usageReader"),
                builder.clock, metrics);
        this.internal = new InternalUsageHandler(builder.internalSecret,
                Objects.requireNonNull(builder.localReader, "localReader"), builder.clock, metrics);
        this.server = new NonBlockingHttpServer("tokenid-http", builder.bindAddress, builder.port, builder.limits,
                this::handle);
        serving = true;
        LOG.info("metrics server listening on {}", server.address());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on: the real one when it was started on port 0. */
    public int port() {
        return server.address().getPort();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Whether the server is started and not closed: one half of {@code /readyz}. */
    public boolean isServing() {
        return serving;
    }

    /** Stops listening and closes every connection; requests in flight are cut. */
    @Override
    public void close() {
        serving = false;
        server.close();
    }

    private Response handle(Request request) {
        long started = System.nanoTime();
        Response response;
        try {
            response = route(request);
        } catch (RuntimeException e) {
            LOG.error("unexpected error while answering {} {}", request.method(), request.rawPath(), e);
            response = Response.text(500, "internal error");
        }
        if (METRICS_PATH.equals(request.rawPath())) {
            metrics.scrapeAnswered(response.status(), System.nanoTime() - started);
        }
        return response;
    }

    private Response route(Request request) {
        boolean scrape = METRICS_PATH.equals(request.rawPath());
        if (!scrape && !INTERNAL_USAGE_PATH.equals(request.rawPath())) {
            return HttpResponses.notFound();
        }
        if (!request.isGetOrHead()) {
            return HttpResponses.methodNotAllowed();
        }
        if (!scrape) {
            return internal.handle(request).header("Cache-Control", "no-store");
        }
        BearerAuthenticator.Outcome outcome = authenticator.authenticate(request);
        Response response = outcome instanceof BearerAuthenticator.Authenticated caller
                ? scrapes.scrape(request, caller.principal())
                : ((BearerAuthenticator.Refused) outcome).response();
        return response.header("Cache-Control", "no-store");
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
        private ServerLimits limits = ServerLimits.defaults();
        private InternalSecret internalSecret;

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

        /** The wall clock of each scrape's {@code now} and of signature checks; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where to count scrapes and auth failures; default: registered nowhere. */
        public Builder metrics(ExporterMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Connection, time and size bounds; default {@link ServerLimits#defaults()}. */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Request threads; default {@link ServerLimits#DEFAULT_WORKERS}. Same as {@code limits.withWorkers}. */
        public Builder threads(int threads) {
            this.limits = limits.withWorkers(threads);
            return this;
        }

        /**
         * The secret instances share to sign {@code /internal/} requests; default a random one,
         * which no other instance knows (fine for a single instance).
         */
        public Builder internalSecret(InternalSecret internalSecret) {
            this.internalSecret = Objects.requireNonNull(internalSecret, "internalSecret");
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
            if (internalSecret == null) {
                internalSecret = InternalSecret.random();
            }
            return new MetricsServer(this);
        }
    }
}
