package id.audit.tokenid.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port (SPEC §5), without auth and meant for the cluster network:
 * {@code GET /metrics} (the service's own registry, through client_java's handler),
 * {@code GET /healthz} (alive) and {@code GET /readyz} (200 only when the readiness check
 * holds and the metrics server is serving). Other paths 404, other methods 405.
 */
public final class ManagementServer implements AutoCloseable {

    public static final String METRICS = "/metrics";
    public static final String HEALTHZ = "/healthz";
    public static final String READYZ = "/readyz";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final Set<String> PATHS = Set.of(METRICS, HEALTHZ, READYZ);

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsHandler metricsHandler;
    private final BooleanSupplier ready;
    private final MetricsServer exporter;

    private ManagementServer(Builder builder) throws IOException {
        this.metricsHandler = new MetricsHandler(Objects.requireNonNull(builder.registry, "registry"));
        this.ready = Objects.requireNonNull(builder.ready, "ready");
        this.exporter = Objects.requireNonNull(builder.exporter, "metricsServer");
        HttpServerLimits.applyDefaults();
        this.server = MetricsServer.bind(builder.bindAddress, builder.port);
        this.executor = MetricsServer.boundedPool("tokenid-management", 2);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("management server listening on {}", server.getAddress());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Optional<RequestLimits.Rejection> rejection = RequestLimits.check(exchange);
            String path = String.valueOf(exchange.getRequestURI().getRawPath());
            if (rejection.isPresent()) {
                HttpResponses.text(exchange, rejection.get().status(), rejection.get().message());
            } else if (!PATHS.contains(path)) {
                HttpResponses.notFound(exchange);
            } else if (!HttpResponses.isGetOrHead(exchange)) {
                HttpResponses.methodNotAllowed(exchange);
            } else if (path.equals(METRICS)) {
                metricsHandler.handle(exchange); // content negotiation and gzip by client_java
            } else if (path.equals(HEALTHZ)) {
                HttpResponses.text(exchange, 200, "ok");
            } else if (isReady()) {
                HttpResponses.text(exchange, 200, "ready");
            } else {
                HttpResponses.text(exchange, 503, "not ready");
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected error on the management port", e);
            if (exchange.getResponseCode() == -1) {
                HttpResponses.text(exchange, 500, "internal error");
            }
        } finally {
            exchange.close();
        }
    }

    private boolean isReady() {
        return exporter.isServing() && ready.getAsBoolean();
    }

    /** Settings of a {@link ManagementServer}; {@link #start()} binds and starts it. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = 9401;
        private PrometheusRegistry registry;
        private BooleanSupplier ready;
        private MetricsServer exporter;

        private Builder() {
        }

        /** Address to listen on; default {@code 0.0.0.0}. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Port to listen on; default 9401; 0 picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The service's own metrics (JVM, ingest, {@link ExporterMetrics}). Required. */
        public Builder registry(PrometheusRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Readiness besides the exporter, e.g. Kafka Streams is RUNNING. Required. */
        public Builder ready(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        /** The customer-facing server whose {@link MetricsServer#isServing()} gates readiness. Required. */
        public Builder metricsServer(MetricsServer metricsServer) {
            this.exporter = metricsServer;
            return this;
        }

        /** @throws IOException when the address cannot be bound; the message names it */
        public ManagementServer start() throws IOException {
            return new ManagementServer(this);
        }
    }
}
