package id.audit.tokenid.app;

import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.ops.PrometheusIngestMetrics;
import id.audit.tokenid.app.ops.StreamsHealthMetrics;
import id.audit.tokenid.app.query.RoutingUsageReader;
import id.audit.tokenid.app.tokens.TokenStore;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.http.ExporterMetrics;
import id.audit.tokenid.exporter.http.InternalSecret;
import id.audit.tokenid.exporter.http.ManagementServer;
import id.audit.tokenid.exporter.http.MetricsServer;
import id.audit.tokenid.exporter.http.RemoteUsageClient;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageReader;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: the streams, the customer-facing metrics server, the management
 * server, and the token sources, wired together. {@code run}, {@code demo} and the tests all
 * start it the same way.
 */
public final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);
    /**
     * Request threads of the customer port: up to 12 of them may wait for a moving org
     * ({@code MoveWait}), sleeping; the rest serve everything else. Bounded like every queue of
     * the server (ServerLimits).
     */
    static final int HTTP_WORKERS = 16;

    private final StreamsRuntime runtime;
    private final MetricsServer http;
    private final ManagementServer management;
    private final Optional<TokensFile> tokensFile;

    private Service(StreamsRuntime runtime, MetricsServer http, ManagementServer management,
                    Optional<TokensFile> tokensFile) {
        this.runtime = runtime;
        this.http = http;
        this.management = management;
        this.tokensFile = tokensFile;
    }

    public static Service start(AppConfig config, Map<String, ?> streamsOverrides) throws IOException {
        TopicPreflight.requireTopics(config);
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        ExporterMetrics exporterMetrics = ExporterMetrics.register(registry);
        Optional<TokensFile> tokensFile = config.tokensFile().isPresent()
                ? Optional.of(TokensFile.open(config.tokensFile().get())) : Optional.empty();
        // The customer server binds before Kafka Streams is configured, so that an instance asked
        // for port 0 advertises the port it got (application.server) without a pick-then-bind
        // race. Until the streams exist it knows no topic token and reads answer 503.
        AtomicReference<Readers> readers = new AtomicReference<>();
        List<TokenLookup> lookups = new ArrayList<>();
        tokensFile.ifPresent(lookups::add);
        lookups.add(new TokenLookup() {
            @Override
            public Optional<Principal> lookup(String digest) {
                Readers now = readers.get();
                return now == null ? Optional.empty() : now.tokens().lookup(digest);
            }

            @Override
            public Resolution resolve(String digest) {
                Readers now = readers.get();
                // Before the streams exist the token topic cannot be read: 503, never 401.
                return now == null ? new Resolution.NotReady() : now.tokens().resolve(digest);
            }
        });
        InternalSecret secret = config.internalSecret().orElseGet(Service::randomSecret);
        MetricsServer http;
        try {
            http = MetricsServer.builder()
                    .threads(HTTP_WORKERS)
                    .port(config.httpPort())
                    .tokens(TokenLookup.firstOf(lookups.toArray(TokenLookup[]::new)))
                    .usageReader(query -> readers.get() == null ? STARTING : readers.get().router().read(query))
                    .localReader(query -> readers.get() == null ? STARTING : readers.get().local().read(query))
                    .metrics(exporterMetrics)
                    .internalSecret(secret)
                    .start();
        } catch (IOException | RuntimeException e) {
            tokensFile.ifPresent(TokensFile::close);
            throw e;
        }
        StreamsRuntime runtime;
        try {
            runtime = StreamsRuntime.start(config, advertised(config, http.port()), streamsOverrides,
                    PrometheusIngestMetrics.register(registry));
        } catch (RuntimeException e) {
            http.close();
            tokensFile.ifPresent(TokensFile::close);
            throw e;
        }
        try {
            readers.set(new Readers(new RoutingUsageReader(runtime.streams(), runtime.self(), runtime.localReader(),
                    RemoteUsageClient.withDefaults(secret), exporterMetrics::forwardedScrape, runtime::storePartitions),
                    runtime.localReader(), new TokenStore(runtime.streams())));
            StreamsHealthMetrics.register(registry, runtime.streams(), () -> runtime.isReady() && http.isServing());
            GaugeWithCallback.builder().name("tokenid_input_partitions_changed")
                    .help("1 once the input topic's partition count differs from the one this instance started"
                            + " with: reads are refused until a redeploy with a new --application-id")
                    .callback(cb -> cb.call(runtime.inputPartitionsIntact() ? 0 : 1))
                    .register(registry);
            GaugeWithCallback.builder().name("tokenid_hanging_transactions")
                    .help("Partitions of this service's internal and dead-letter topics holding a transaction open for"
                            + " over 2 minutes that its coordinator no longer has open: their readers and restores are"
                            + " stuck until it is aborted (the log names the command)")
                    .callback(cb -> cb.call(runtime.hangingTransactions()))
                    .register(registry);
            CounterWithCallback.builder().name("tokenid_abandoned_transactions_fenced")
                    .help("Open transactions of a dead owner that this instance fenced, because they held back the"
                            + " restore of a task that moved here (without it the broker aborts them 10-20 s later)")
                    .callback(cb -> cb.call(runtime.abandonedTransactionsFenced()))
                    .register(registry);
            ManagementServer management = ManagementServer.builder()
                    .port(config.managementPort())
                    .registry(registry)
                    .ready(runtime::isReady)
                    .metricsServer(http)
                    .start();
            return new Service(runtime, http, management, tokensFile);
        } catch (IOException | RuntimeException e) {
            http.close();
            runtime.close();
            tokensFile.ifPresent(TokensFile::close);
            throw e;
        }
    }

    private static InternalSecret randomSecret() {
        LOG.info("no internal secret set (--internal-secret-file or TOKENID_INTERNAL_SECRET): using a random one;"
                + " forwarding scrapes between instances needs a secret they share");
        return InternalSecret.random();
    }

    private static final ReadResult STARTING = new ReadResult.Unavailable("starting");

    /** What the customer server reads through, once the streams exist. */
    private record Readers(UsageReader router, UsageReader local, TokenLookup tokens) {
    }

    /** The advertised address, with the customer server's real port when it was given as 0. */
    static AppConfig.Endpoint advertised(AppConfig config, int boundHttpPort) {
        AppConfig.Endpoint given = config.advertisedAddress();
        return given.port() == 0 ? new AppConfig.Endpoint(given.host(), boundHttpPort) : given;
    }

    public StreamsRuntime runtime() {
        return runtime;
    }

    public int httpPort() {
        return http.port();
    }

    public int managementPort() {
        return management.port();
    }

    public boolean isReady() {
        return runtime.isReady() && http.isServing();
    }

    @Override
    public void close() {
        management.close();
        http.close();
        runtime.close();
        tokensFile.ifPresent(TokensFile::close);
    }
}
