package id.audit.tokenid.exporter.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageWire;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /internal/v1/usage} trusts instances that hold the shared secret, and nothing else. */
class InternalUsageEndpointTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String PATH = MetricsServer.INTERNAL_USAGE_PATH;
    private static final List<OrgUsage> ORGS = List.of(
            new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 3, BigInteger.valueOf(100),
                    BigInteger.valueOf(50), BigInteger.valueOf(40), BigInteger.ZERO, BigInteger.valueOf(20),
                    BigInteger.valueOf(1_500_000_000L), 2)), BigInteger.valueOf(7), BigInteger.valueOf(3),
                    BigInteger.valueOf(12), Optional.of(new BudgetUsage(BigInteger.ONE, BigInteger.valueOf(40)))),
            new OrgUsage("globex", List.of(new ModelUsage("anthropic", "claude", 1, 1, 1, 1)), 1));

    private final InternalSecret secret = InternalSecret.of("0123456789abcdef0123456789abcdef".getBytes(UTF_8));
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MetricsServer server;

    @BeforeEach
    void startServer() throws IOException {
        MapUsageReader reader = new MapUsageReader(ORGS);
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(new FakeTokens())
                .usageReader(reader).localReader(reader).internalSecret(secret)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).metrics(ExporterMetrics.register(registry)).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void servesOneOrgToASignedRequest() throws Exception {
        HttpResponse<byte[]> response = Http.getBytes(server.port(), PATH + "?org=acme",
                InternalSecret.HEADER, secret.sign("GET", PATH, "org=acme", NOW));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(UsageWire.CONTENT_TYPE);
        assertThat(UsageWire.decode(response.body())).containsExactly(ORGS.get(0));
    }

    @Test
    void servesEveryOrgToASignedAdminRead() throws Exception {
        HttpResponse<byte[]> response = Http.getBytes(server.port(), PATH + "?all=true",
                InternalSecret.HEADER, secret.sign("GET", PATH, "all=true", NOW.plusSeconds(29)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(UsageWire.decode(response.body())).isEqualTo(ORGS);
    }

    @Test
    void refusesAndCountsEveryRequestWithoutAValidSignature() throws IOException {
        // given
        InternalSecret other = InternalSecret.of("another secret of 32 bytes or more".getBytes(UTF_8));
        String valid = secret.sign("GET", PATH, "org=acme", NOW);

        // when
        List<HttpResponse<String>> responses = List.of(
                Http.get(server.port(), PATH + "?org=acme"),
                Http.get(server.port(), PATH + "?org=acme", InternalSecret.HEADER, other.sign("GET", PATH, "org=acme", NOW)),
                Http.get(server.port(), PATH + "?org=acme", InternalSecret.HEADER,
                        secret.sign("GET", PATH, "org=acme", NOW.minusSeconds(31))),
                Http.get(server.port(), PATH + "?org=globex", InternalSecret.HEADER, valid),
                Http.get(server.port(), PATH + "?org=acme", InternalSecret.HEADER, "12:" + "0".repeat(63)),
                Http.get(server.port(), PATH + "?org=acme", InternalSecret.HEADER, valid, InternalSecret.HEADER, valid));

        // then
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("forbidden");
        });
        assertThat(ops()).contains("tokenid_internal_auth_failures_total{reason=\"missing\"} 1.0")
                .contains("tokenid_internal_auth_failures_total{reason=\"bad_signature\"} 2.0")
                .contains("tokenid_internal_auth_failures_total{reason=\"stale\"} 1.0")
                .contains("tokenid_internal_auth_failures_total{reason=\"malformed\"} 2.0");
    }

    @Test
    void answersABadQuery400OnlyOnceTheSignatureHolds() {
        assertThat(signed("all=yes").statusCode()).isEqualTo(400);
        assertThat(signed("org=acme&all=true").statusCode()).isEqualTo(400);
        assertThat(signed("org=").statusCode()).isEqualTo(400);
        assertThat(Http.rawStatus(Http.raw(server.port(), "GET " + PATH + "?org=%zz HTTP/1.1\r\nHost: x\r\n"
                + InternalSecret.HEADER + ": " + secret.sign("GET", PATH, "org=%zz", NOW) + "\r\nConnection: close\r\n\r\n")))
                .isEqualTo(400);
        assertThat(Http.get(server.port(), PATH + "?all=yes").statusCode()).isEqualTo(403);
    }

    @Test
    void signaturesCoverMethodPathQueryAndTime() {
        String header = secret.sign("GET", PATH, "org=acme", NOW);

        assertThat(secret.verify(List.of(header), "GET", PATH, "org=acme", NOW)).isEqualTo(InternalSecret.Verdict.VALID);
        assertThat(secret.verify(List.of(header), "HEAD", PATH, "org=acme", NOW))
                .isEqualTo(InternalSecret.Verdict.BAD_SIGNATURE);
        assertThat(secret.verify(List.of(header), "GET", "/metrics", "org=acme", NOW))
                .isEqualTo(InternalSecret.Verdict.BAD_SIGNATURE);
        assertThat(secret.verify(List.of(header), "GET", PATH, "org=acme", NOW.plusSeconds(31)))
                .isEqualTo(InternalSecret.Verdict.STALE);
        assertThat(secret.verify(List.of("x" + header), "GET", PATH, "org=acme", NOW))
                .isEqualTo(InternalSecret.Verdict.MALFORMED);
        assertThat(secret.toString()).doesNotContain("0123456789abcdef");
    }

    private HttpResponse<String> signed(String query) {
        return Http.get(server.port(), PATH + "?" + query, InternalSecret.HEADER, secret.sign("GET", PATH, query, NOW));
    }

    private String ops() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(UTF_8);
    }
}
