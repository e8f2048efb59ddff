package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenLookup;
import id.audit.tokenid.exporter.exposition.GoldenUsage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue #9 item 4: a valid token is answered 503, not 401, while a token source is loading. */
class TokensNotReadyTest {

    private final FakeTokens file = new FakeTokens();
    private final String fileToken = file.mintFor("acme");
    private final AtomicBoolean storeReady = new AtomicBoolean(false);
    private final String storeToken = "td_live_from_the_store";
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MetricsServer server;

    /** Like the api-tokens store: knows one token, once it has loaded. */
    private final TokenLookup store = new TokenLookup() {
        @Override
        public Optional<Principal> lookup(String sha256Hex) {
            return resolve(sha256Hex) instanceof Resolution.Found found ? Optional.of(found.principal()) : Optional.empty();
        }

        @Override
        public Resolution resolve(String sha256Hex) {
            if (!storeReady.get()) {
                return new Resolution.NotReady();
            }
            return sha256Hex.equals(id.audit.tokenid.exporter.auth.TokenDigests.sha256Hex(storeToken))
                    ? new Resolution.Found(Principal.org("idle")) : new Resolution.Unknown();
        }
    };

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void answers503WithRetryAfterWhileTheStoreLoadsThenServesTheToken() throws IOException {
        // given
        start();

        // when the store is still loading
        HttpResponse<String> loading = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(storeToken));

        // then
        assertThat(loading.statusCode()).isEqualTo(503);
        assertThat(loading.headers().firstValue("Retry-After")).contains("5");
        assertThat(loading.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(ops()).contains("tokenid_auth_failures_total{reason=\"not_ready\"} 1.0");

        // when it has loaded
        storeReady.set(true);

        // then
        assertThat(Http.get(server.port(), "/metrics", "Authorization", Http.bearer(storeToken)).statusCode())
                .isEqualTo(200);
        assertThat(Http.get(server.port(), "/metrics", "Authorization", Http.bearer("td_live_nobody")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void servesATokenFromTheFileWhileTheStoreLoads() throws IOException {
        start();

        HttpResponse<String> response = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(fileToken));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void stillRefusesAMissingOrMalformedTokenWith401WhileTheStoreLoads() throws IOException {
        start();

        assertThat(Http.get(server.port(), "/metrics").statusCode()).isEqualTo(401);
        assertThat(Http.get(server.port(), "/metrics", "Authorization", "Basic eDp5").statusCode()).isEqualTo(401);
    }

    private void start() throws IOException {
        MapUsageReader reader = new MapUsageReader(GoldenUsage.orgs());
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(TokenLookup.firstOf(file, store))
                .usageReader(reader).localReader(reader).metrics(ExporterMetrics.register(registry)).start();
    }

    private String ops() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
