package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.exposition.GoldenUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP behaviour of the customer-facing server: formats, methods, paths, limits, errors. */
class MetricsServerHttpTest {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final FakeTokens tokens = new FakeTokens();
    private final String adminToken = tokens.mint(Principal.admin());
    private final String acmeToken = tokens.mintFor("acme");
    private MetricsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesPrometheusTextByDefault() throws IOException {
        // given
        start(new MapUsageReader(GoldenUsage.orgs()));

        // when
        HttpResponse<byte[]> response = Http.getBytes(server.port(), "/metrics", "Authorization", Http.bearer(adminToken));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.body()).isEqualTo(golden("usage.prom"));
    }

    @Test
    void servesOpenMetricsWhenAcceptAsksForIt() throws IOException {
        // given
        start(new MapUsageReader(GoldenUsage.orgs()));

        // when
        HttpResponse<byte[]> response = Http.getBytes(server.port(), "/metrics", "Authorization", Http.bearer(adminToken),
                "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        // then
        assertThat(response.headers().firstValue("Content-Type")).contains(OPENMETRICS);
        assertThat(response.body()).isEqualTo(golden("usage.om.txt"));
    }

    @Test
    void servesProtobufWhenAcceptAsksForIt() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));

        HttpResponse<byte[]> response = Http.getBytes(server.port(), "/metrics", "Authorization", Http.bearer(adminToken),
                "Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/vnd.google.protobuf"));
    }

    @Test
    void gzipsWhenAcceptEncodingAllowsIt() throws IOException {
        // given
        start(new MapUsageReader(GoldenUsage.orgs()));

        // when
        HttpResponse<byte[]> response = Http.getBytes(server.port(), "/metrics", "Authorization", Http.bearer(adminToken),
                "Accept-Encoding", "gzip");

        // then
        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(gunzip(response.body())).isEqualTo(golden("usage.prom"));
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws IOException {
        // given
        start(new MapUsageReader(GoldenUsage.orgs()));

        // when
        HttpResponse<String> response = Http.send(server.port(), "HEAD", "/metrics", "Authorization", Http.bearer(adminToken));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).contains(Integer.toString(golden("usage.prom").length));
        assertThat(response.body()).isEmpty();
    }

    @Test
    void answers405WithAllowForOtherMethods() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));

        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/metrics", "/internal/v1/usage?org=acme")) {
                HttpResponse<String> response = Http.send(server.port(), method, path, "Authorization", Http.bearer(adminToken));

                assertThat(response.statusCode()).as("%s %s", method, path).isEqualTo(405);
                assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
                assertThat(response.body()).doesNotContain("acme");
            }
        }
    }

    @Test
    void answers404ForOtherPaths() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));

        for (String path : List.of("/", "/metrics/", "/metricsx", "/Metrics", "/internal/v1/usage/x", "/healthz", "/%2e%2e/metrics")) {
            HttpResponse<String> response = Http.get(server.port(), path, "Authorization", Http.bearer(adminToken));

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).isEqualTo("not found");
        }
    }

    @Test
    void rejectsAnOversizeUri() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));

        HttpResponse<String> response = Http.get(server.port(), "/metrics?x=" + "a".repeat(5000),
                "Authorization", Http.bearer(adminToken));

        assertThat(response.statusCode()).isEqualTo(414);
        assertThat(response.body()).doesNotContain("llm_");
    }

    @Test
    void rejectsOversizeHeaders() throws IOException {
        // given
        start(new MapUsageReader(GoldenUsage.orgs()));

        // when
        HttpResponse<String> large = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(adminToken),
                "X-Padding", "p".repeat(20_000));
        String huge = Http.raw(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + adminToken
                + "\r\nX-Padding: " + "p".repeat(100_000) + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(large.statusCode()).isEqualTo(431);
        assertThat(Http.rawStatus(huge)).as("refused with 4xx or a closed connection").isIn(-1, 400, 413, 431);
        assertThat(huge == null ? "" : huge).doesNotContain("llm_");
    }

    @Test
    void rejectsARequestWithABody() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));
        String head = "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + adminToken + "\r\nConnection: close\r\n";

        assertThat(Http.rawStatus(Http.raw(server.port(), head + "Content-Length: 5\r\n\r\nhello"))).isEqualTo(413);
        assertThat(Http.rawStatus(Http.raw(server.port(), head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")))
                .isEqualTo(413);
        assertThat(Http.rawStatus(Http.raw(server.port(), head + "Content-Length: 0\r\n\r\n"))).isEqualTo(200);
    }

    @Test
    void answers503WithRetryAfterAndNoReasonWhenUsageIsUnavailable() throws IOException {
        // given
        start(UsageReader.fixed(new ReadResult.Unavailable("rebalancing; owner is 10.0.0.7:9400 for acme")));

        // when
        HttpResponse<String> response = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(acmeToken));

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(response.body()).doesNotContain("rebalancing").doesNotContain("10.0.0.7").doesNotContain("llm_");
    }

    @Test
    void answers503WhenAOneOrgReadComesBackWithoutThatOrg() throws IOException {
        start(UsageReader.fixed(new ReadResult.Found(List.of())));

        HttpResponse<String> response = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(acmeToken));

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void answers500WithoutDetailsOnAnUnexpectedError() throws IOException {
        // given
        start(query -> {
            throw new IllegalStateException("secret detail about globex");
        });

        // when
        HttpResponse<String> response = Http.get(server.port(), "/metrics", "Authorization", Http.bearer(acmeToken));

        // then
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("internal error");
    }

    @Test
    void asksTheReaderForTheCallersOrgAtTheClocksNowWithoutTheCallersToken() throws IOException {
        // given
        AtomicReference<UsageQuery> seen = new AtomicReference<>();
        MapUsageReader data = new MapUsageReader(GoldenUsage.orgs());
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(query -> {
                    seen.set(query);
                    return data.read(query);
                })
                .localReader(data).clock(Clock.fixed(now, ZoneOffset.UTC)).start();

        // when
        Http.get(server.port(), "/metrics", "Authorization", Http.bearer(acmeToken));

        // then
        assertThat(seen.get()).isEqualTo(UsageQuery.forOrg("acme", now));
        assertThat(seen.get().toString()).doesNotContain(acmeToken);
    }

    @Test
    void neverForwardsAnInternalRead() throws IOException {
        // given
        MapUsageReader local = new MapUsageReader(GoldenUsage.orgs());
        InternalSecret secret = InternalSecret.random();
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(query -> {
                    throw new AssertionError("the internal endpoint must not use the forwarding reader");
                })
                .localReader(local).internalSecret(secret).start();

        // when
        HttpResponse<String> response = Http.get(server.port(), "/internal/v1/usage?org=acme",
                InternalSecret.HEADER, secret.sign("GET", "/internal/v1/usage", "org=acme", Instant.now()));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void reportsServingUntilClosed() throws IOException {
        start(new MapUsageReader(GoldenUsage.orgs()));
        assertThat(server.isServing()).isTrue();

        server.close();

        assertThat(server.isServing()).isFalse();
    }

    private void start(UsageReader reader) throws IOException {
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).threads(2).start();
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = MetricsServerHttpTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
