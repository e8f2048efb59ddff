package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageWire;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read what, over a real server and a real tokens file. */
class MetricsServerAuthTest {

    private static final List<OrgUsage> ORGS = List.of(
            new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 3, 100, 50, 1_500_000_000L)), 7),
            new OrgUsage("globex", List.of(new ModelUsage("anthropic", "claude", 1, 1, 1, 1)), 1));

    @TempDir
    Path dir;

    private final String acmeToken = Tokens.mint();
    private final String globexToken = Tokens.mint();
    private final String adminToken = Tokens.mint();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<String> bodies = new ArrayList<>();
    private Path tokensPath;
    private TokensFile tokens;
    private MetricsServer server;

    @BeforeEach
    void startServer() throws IOException {
        tokensPath = dir.resolve("tokens.txt");
        Files.writeString(tokensPath, tokensFile(true));
        tokens = TokensFile.open(tokensPath, Duration.ofMillis(20));
        MapUsageReader reader = new MapUsageReader(ORGS);
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).metrics(ExporterMetrics.register(registry)).start();
    }

    @AfterEach
    void stopServerAndCheckNoBodyLeaks() {
        server.close();
        tokens.close();
        for (String body : bodies) {
            assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
        }
    }

    @Test
    void rejectsScrapeWithoutAuthorizationHeader() {
        // when
        HttpResponse<String> response = scrape();

        // then
        assertUnauthorized(response);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"tokenid\"");
    }

    @Test
    void rejectsScrapeWithBasicScheme() {
        HttpResponse<String> response = scrape("Authorization", "Basic YWNtZTpzZWNyZXQ=");

        assertUnauthorized(response);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .contains("Bearer realm=\"tokenid\", error=\"invalid_token\"");
    }

    @Test
    void rejectsScrapeWithEmptyToken() {
        String response = Http.raw(server.port(),
                "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \r\nConnection: close\r\n\r\n");

        assertThat(Http.rawStatus(response)).isEqualTo(401);
        assertThat(response).contains("error=\"invalid_token\"").doesNotContain("llm_");
    }

    @Test
    void rejectsScrapeWithTokenContainingSpaces() {
        assertUnauthorized(scrape("Authorization", "Bearer " + acmeToken + " " + acmeToken));
    }

    @Test
    void rejectsScrapeWithUnknownToken() {
        assertUnauthorized(scrape("Authorization", Http.bearer(Tokens.mint())));
    }

    @Test
    void rejectsScrapeWithTheDigestInsteadOfTheToken() {
        assertUnauthorized(scrape("Authorization", Http.bearer(TokenDigests.sha256Hex(acmeToken))));
    }

    @Test
    void servesOnlyTheCallersOrgForATokenFromTheFile() {
        // when
        HttpResponse<String> response = scrape("Authorization", Http.bearer(acmeToken));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("llm_requests_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 3.0")
                .contains("llm_cost_usd_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 1.5")
                .contains("llm_cost_usd_rolling_24h{org_id=\"acme\"} 7.0E-9")
                .doesNotContain("globex");
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() {
        assertThat(scrape("Authorization", "bearer " + acmeToken).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsScrapeWithRevokedToken() throws IOException {
        // given
        assertThat(scrape("Authorization", Http.bearer(acmeToken)).statusCode()).isEqualTo(200);

        // when
        Files.writeString(tokensPath, tokensFile(false));

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertUnauthorized(scrape("Authorization", Http.bearer(acmeToken))));
        assertThat(scrape("Authorization", Http.bearer(globexToken)).statusCode()).isEqualTo(200);
    }

    @Test
    void letsAnAdminSeeEveryOrg() {
        // when
        HttpResponse<String> response = scrape("Authorization", Http.bearer(adminToken));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("org_id=\"acme\"").contains("org_id=\"globex\"");
    }

    @Test
    void refusesCustomerTokensOnTheInternalEndpoint() throws Exception {
        // when an org token and an admin token try the instance-to-instance endpoint
        HttpResponse<String> own = internal("?org=acme", acmeToken);
        HttpResponse<String> all = internal("?all=true", adminToken);

        // then both are refused without data, and counted as unsigned
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(all.statusCode()).isEqualTo(403);
        assertThat(own.body() + all.body()).isEqualTo("forbiddenforbidden");
        assertThat(ops()).contains("tokenid_internal_auth_failures_total{reason=\"missing\"} 2.0");
    }

    @Test
    void countsAuthFailuresByReason() throws IOException {
        // when
        scrape();
        scrape("Authorization", "Basic x");
        scrape("Authorization", Http.bearer("td_live_unknown"));
        scrape("Authorization", Http.bearer("td_live_unknown"));

        // then
        assertThat(ops()).contains("tokenid_auth_failures_total{reason=\"missing\"} 1.0")
                .contains("tokenid_auth_failures_total{reason=\"malformed\"} 1.0")
                .contains("tokenid_auth_failures_total{reason=\"unknown\"} 2.0");
        // the duration is observed once the response is out, so the client may see it first
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ops()).contains("tokenid_scrape_duration_seconds_count{code=\"401\"} 4"));
    }

    private String tokensFile(boolean withAcme) {
        return "# test tokens\n"
                + (withAcme ? TokensFile.formatLine(TokenDigests.sha256Hex(acmeToken), Principal.org("acme")) + "\n" : "")
                + TokensFile.formatLine(TokenDigests.sha256Hex(globexToken), Principal.org("globex")) + "\n"
                + TokensFile.formatLine(TokenDigests.sha256Hex(adminToken), Principal.admin()) + "\n";
    }

    private HttpResponse<String> scrape(String... headers) {
        HttpResponse<String> response = Http.get(server.port(), "/metrics", headers);
        bodies.add(response.body());
        return response;
    }

    private HttpResponse<String> internal(String query, String token) {
        HttpResponse<String> response = Http.get(server.port(), "/internal/v1/usage" + query,
                "Authorization", Http.bearer(token));
        bodies.add(response.body());
        return response;
    }

    private String ops() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer realm=\"tokenid\""));
        assertThat(response.body()).isEqualTo("unauthorized");
    }
}
