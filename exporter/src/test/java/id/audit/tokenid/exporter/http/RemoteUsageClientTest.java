package id.audit.tokenid.exporter.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.http.server.NonBlockingHttpServer;
import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;
import id.audit.tokenid.exporter.http.server.ServerLimits;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import id.audit.tokenid.exporter.usage.UsageWire;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetching an org's slice from the instance that owns it, against a real server. */
class RemoteUsageClientTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ODD_ORG = "acme corp/ä&org=globex";
    private static final List<OrgUsage> ORGS = List.of(
            new OrgUsage(ODD_ORG, List.of(new ModelUsage("openai", "gpt-4o", 3, BigInteger.valueOf(100),
                    BigInteger.valueOf(50), BigInteger.valueOf(40), BigInteger.valueOf(10), BigInteger.valueOf(20),
                    BigInteger.valueOf(1_500_000_000L), 1)), BigInteger.valueOf(7), BigInteger.valueOf(2),
                    BigInteger.valueOf(9), Optional.of(new BudgetUsage(BigInteger.valueOf(5), BigInteger.valueOf(11)))),
            new OrgUsage("globex", List.of(new ModelUsage("anthropic", "claude", 1, 1, 1, 1)), 1));

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final InternalSecret SECRET = InternalSecret.of("a secret both instances hold, 32+ bytes".getBytes(UTF_8));

    private final FakeTokens tokens = new FakeTokens();
    private final RemoteUsageClient client = new RemoteUsageClient(Duration.ofSeconds(2), Duration.ofSeconds(2),
            SECRET, CLOCK);
    private MetricsServer owner;

    @AfterEach
    void stopOwner() {
        if (owner != null) {
            owner.close();
        }
    }

    @Test
    void fetchesAnOrgFromItsOwnerWithASignedRequest() throws IOException {
        // given
        startOwner(new MapUsageReader(ORGS));

        // when
        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW));

        // then
        assertThat(result).isEqualTo(new ReadResult.Found(List.of(ORGS.get(0))));
    }

    @Test
    void fetchesEveryOrgTheOwnerHoldsForAnAdmin() throws IOException {
        startOwner(new MapUsageReader(ORGS));

        ReadResult result = client.fetch(hostPort(), UsageQuery.allOrgs(NOW));

        assertThat(result).isEqualTo(new ReadResult.Found(ORGS));
    }

    @Test
    void answersUnavailableWhenTheOwnerHoldsAnotherSecret() throws IOException {
        // given
        startOwner(new MapUsageReader(ORGS));
        RemoteUsageClient stranger = new RemoteUsageClient(Duration.ofSeconds(2), Duration.ofSeconds(2),
                InternalSecret.random(), CLOCK);

        // when
        ReadResult result = stranger.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW));

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(((ReadResult.Unavailable) result).reason()).contains("403");
    }

    @Test
    void sendsNoAuthorizationHeaderOnlyASignatureOfThePathAndQuery() throws IOException {
        // given a bare server that records what it receives
        AtomicReference<Request> received = new AtomicReference<>();
        try (NonBlockingHttpServer recorder = new NonBlockingHttpServer("recorder", "127.0.0.1", 0,
                ServerLimits.defaults(), request -> {
                    received.set(request);
                    return new Response(200, UsageWire.CONTENT_TYPE, UsageWire.encode(List.of(ORGS.get(0))));
                })) {

            // when
            ReadResult result = client.fetch("127.0.0.1:" + recorder.address().getPort(),
                    UsageQuery.forOrg(ODD_ORG, NOW));

            // then
            assertThat(result).isEqualTo(new ReadResult.Found(List.of(ORGS.get(0))));
            Request request = received.get();
            assertThat(request.headers().all("Authorization")).isEmpty();
            assertThat(request.headers().fields()).noneMatch(field -> field.value().contains("td_live_"));
            assertThat(request.rawPath()).isEqualTo(MetricsServer.INTERNAL_USAGE_PATH);
            assertThat(SECRET.verify(request.headers().all(InternalSecret.HEADER), "GET", request.rawPath(),
                    request.rawQuery(), NOW)).isEqualTo(InternalSecret.Verdict.VALID);
            assertThat(SECRET.verify(request.headers().all(InternalSecret.HEADER), "GET", request.rawPath(),
                    "all=true", NOW)).isEqualTo(InternalSecret.Verdict.BAD_SIGNATURE);
        }
    }

    @Test
    void answersUnavailableWhenTheOwnerRunsThePreviousReleaseAndSpeaksUsageWireVersion1() throws IOException {
        // given an owner of the previous release: its answer has no 1 h, month or budget figures
        byte[] version1 = ("tokenid-usage 1\norgs 1\norg globex 1 1\nseries anthropic claude 1 1 1 1\nend\n")
                .getBytes(UTF_8);
        try (NonBlockingHttpServer old = new NonBlockingHttpServer("old-owner", "127.0.0.1", 0,
                ServerLimits.defaults(), request -> new Response(200,
                        "application/vnd.tokenid.usage+text; version=1", version1))) {

            // when
            ReadResult result = client.fetch("127.0.0.1:" + old.address().getPort(), UsageQuery.forOrg("globex", NOW));

            // then: 503 for this scrape, not a 1 h and month-to-date cost of 0
            assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
            assertThat(((ReadResult.Unavailable) result).reason()).contains("version 1");
        }
    }

    @Test
    void answersUnavailableWhenTheOwnerCannotReadItsState() throws IOException {
        startOwner(UsageReader.fixed(new ReadResult.Unavailable("restoring")));

        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg("globex", NOW));

        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(((ReadResult.Unavailable) result).reason()).contains("503");
    }

    @Test
    void answersUnavailableWhenTheOwnerRefusesConnections() throws IOException {
        // given
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        // when
        ReadResult result = client.fetch("127.0.0.1:" + closedPort, UsageQuery.forOrg("globex", NOW));

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
    }

    @Test
    void answersUnavailableWhenTheOwnerIsTooSlow() throws IOException, InterruptedException {
        // given
        CountDownLatch release = new CountDownLatch(1);
        startOwner(query -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ReadResult.Found(List.of(ORGS.get(1)));
        });
        RemoteUsageClient impatient = new RemoteUsageClient(Duration.ofSeconds(1), Duration.ofMillis(200), SECRET,
                CLOCK);

        // when
        ReadResult result = impatient.fetch(hostPort(), UsageQuery.forOrg("globex", NOW));
        release.countDown();

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(((ReadResult.Unavailable) result).reason()).contains("timed out");
    }

    @Test
    void answersUnavailableWhenTheOwnerAnswersForAnotherOrg() throws IOException {
        // given an owner whose local reader is wrong, and a caller allowed to read both orgs
        startOwner(UsageReader.fixed(new ReadResult.Found(List.of(ORGS.get(1)))));

        // when
        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW));

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
    }

    @Test
    void answersUnavailableForAnAddressThatIsNotHostAndPort() {
        ReadResult result = client.fetch("not a host", UsageQuery.forOrg("globex", NOW));

        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
    }

    private void startOwner(UsageReader local) throws IOException {
        owner = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(query -> {
                    throw new AssertionError("the owner must answer from its local reader");
                })
                .localReader(local).internalSecret(SECRET).clock(CLOCK).start();
    }

    private String hostPort() {
        return "127.0.0.1:" + owner.port();
    }
}
