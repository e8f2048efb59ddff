package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.exposition.ExpositionEncoder;
import id.audit.tokenid.exporter.http.server.NonBlockingHttpServer;
import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;
import id.audit.tokenid.exporter.http.server.ServerLimits;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port (SPEC §5), without auth and meant for the cluster network:
 * {@code GET /metrics} (the service's own registry, in the format {@code Accept} asks for
 * through client_java's {@code ExpositionFormats}, gzipped when {@code Accept-Encoding}
 * allows), {@code GET /healthz} (alive) and {@code GET /readyz} (200 only when the readiness
 * check holds and the metrics server is serving). Other paths 404, other methods 405. Runs on
 * its own {@link NonBlockingHttpServer} with the same bounds as the customer port.
 */
public final class ManagementServer implements AutoCloseable {

    public static final String METRICS = "/metrics";
    public static final String HEALTHZ = "/healthz";
    public static final String READYZ = "/readyz";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final Set<String> PATHS = Set.of(METRICS, HEALTHZ, READYZ);

    private final NonBlockingHttpServer server;
    private final PrometheusRegistry registry;
    private final ExpositionEncoder encoder = new ExpositionEncoder();
    private final BooleanSupplier ready;
    private final MetricsServer exporter;

    private ManagementServer(Builder builder) throws IOException {
        this.registry = Objects.requireNonNull(builder.registry, "registry");
        this.ready = Objects.requireNonNull(builder.ready, "ready");
        this.exporter = Objects.requireNonNull(builder.exporter, "metricsServer");
        this.server = new NonBlockingHttpServer("tokenid-management", builder.bindAddress, builder.port,
                builder.limits, this::handle);
        LOG.info("management server listening on {}", server.address());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.address().getPort();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    private Response handle(Request request) {
        String path = request.rawPath();
        if (!PATHS.contains(path)) {
            return HttpResponses.notFound();
        }
        if (!request.isGetOrHead()) {
            return HttpResponses.methodNotAllowed();
        }
        if (path.equals(METRICS)) {
            ExpositionEncoder.Encoded encoded = encoder.encode(registry.scrape(), request.headers().first("Accept"),
                    ScrapeHandler.nullIfEmpty(request.headers().all("Accept-Encoding")));
            Response response = new Response(200, encoded.contentType(), encoded.body())
                    .header("Vary", "Accept, Accept-Encoding");
            encoded.contentEncoding().ifPresent(coding -> response.header("Content-Encoding", coding));
            return response;
        }
        if (path.equals(HEALTHZ)) {
            return Response.text(200, "ok");
        }
        return isReady() ? Response.text(200, "ready") : Response.text(503, "not ready");
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
        private ServerLimits limits = ServerLimits.defaults().withWorkers(2);

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

        /** Connection, time and size bounds; default {@link ServerLimits#defaults()} with 2 workers. */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** @throws IOException when the address cannot be bound; the message names it */
        public ManagementServer start() throws IOException {
            return new ManagementServer(this);
        }
    }
}
