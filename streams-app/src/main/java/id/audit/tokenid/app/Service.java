package id.audit.tokenid.app;

import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.ops.PrometheusIngestMetrics;
import id.audit.tokenid.app.ops.StreamsHealthMetrics;
import id.audit.tokenid.app.query.RoutingUsageReader;
import id.audit.tokenid.app.tokens.TokenStore;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.http.ExporterMetrics;
import id.audit.tokenid.exporter.http.InternalSecret;
import id.audit.tokenid.exporter.http.ManagementServer;
import id.audit.tokenid.exporter.http.MetricsServer;
import id.audit.tokenid.exporter.http.RemoteUsageClient;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: the streams, the customer-facing metrics server, the management
 * server, and the token sources, wired together. {@code run}, {@code demo} and the tests all
 * start it the same way.
 */
public final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);

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
        StreamsRuntime runtime = StreamsRuntime.start(config, streamsOverrides, PrometheusIngestMetrics.register(registry));
        try {
            List<TokenLookup> lookups = new ArrayList<>();
            tokensFile.ifPresent(lookups::add);
            lookups.add(new TokenStore(runtime.streams()));
            InternalSecret secret = config.internalSecret().orElseGet(Service::randomSecret);
            RoutingUsageReader router = new RoutingUsageReader(runtime.streams(), runtime.self(),
                    runtime.localReader(), RemoteUsageClient.withDefaults(secret), exporterMetrics::forwardedScrape,
                    runtime::storePartitions);
            MetricsServer http = MetricsServer.builder()
                    .port(config.httpPort())
                    .tokens(TokenLookup.firstOf(lookups.toArray(TokenLookup[]::new)))
                    .usageReader(router)
                    .localReader(runtime.localReader())
                    .metrics(exporterMetrics)
                    .internalSecret(secret)
                    .start();
            StreamsHealthMetrics.register(registry, runtime.streams(), () -> runtime.isRunning() && http.isServing());
            GaugeWithCallback.builder().name("tokenid_input_partitions_changed")
                    .help("1 once the input topic's partition count differs from the one this instance started"
                            + " with: reads are refused until a redeploy with a new --application-id")
                    .callback(cb -> cb.call(runtime.inputPartitionsIntact() ? 0 : 1))
                    .register(registry);
            ManagementServer management = ManagementServer.builder()
                    .port(config.managementPort())
                    .registry(registry)
                    .ready(runtime::isRunning)
                    .metricsServer(http)
                    .start();
            return new Service(runtime, http, management, tokensFile);
        } catch (IOException | RuntimeException e) {
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
        return runtime.isRunning() && http.isServing();
    }

    @Override
    public void close() {
        management.close();
        http.close();
        runtime.close();
        tokensFile.ifPresent(TokensFile::close);
    }
}
