package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetching an org's slice from the instance that owns it, against a real server. */
class RemoteUsageClientTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ODD_ORG = "acme corp/ä&org=globex";
    private static final List<OrgUsage> ORGS = List.of(
            new OrgUsage(ODD_ORG, List.of(new ModelUsage("openai", "gpt-4o", 3, 100, 50, 1_500_000_000L)), 7),
            new OrgUsage("globex", List.of(new ModelUsage("anthropic", "claude", 1, 1, 1, 1)), 1));

    private final FakeTokens tokens = new FakeTokens();
    private final String oddToken = tokens.mintFor(ODD_ORG);
    private final String globexToken = tokens.mintFor("globex");
    private final String adminToken = tokens.mint(Principal.admin());
    private final RemoteUsageClient client = new RemoteUsageClient(Duration.ofSeconds(2), Duration.ofSeconds(2));
    private MetricsServer owner;

    @AfterEach
    void stopOwner() {
        if (owner != null) {
            owner.close();
        }
    }

    @Test
    void fetchesAnOrgFromItsOwnerWithTheCallersToken() throws IOException {
        // given
        startOwner(new MapUsageReader(ORGS));

        // when
        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW, oddToken));

        // then
        assertThat(result).isEqualTo(new ReadResult.Found(List.of(ORGS.get(0))));
    }

    @Test
    void fetchesEveryOrgTheOwnerHoldsForAnAdmin() throws IOException {
        startOwner(new MapUsageReader(ORGS));

        ReadResult result = client.fetch(hostPort(), UsageQuery.allOrgs(NOW, adminToken));

        assertThat(result).isEqualTo(new ReadResult.Found(ORGS));
    }

    @Test
    void answersUnavailableWhenTheOwnerForbidsTheOrg() throws IOException {
        // given
        startOwner(new MapUsageReader(ORGS));

        // when
        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW, globexToken));

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(((ReadResult.Unavailable) result).reason()).contains("403");
    }

    @Test
    void answersUnavailableWhenTheOwnerCannotReadItsState() throws IOException {
        startOwner(UsageReader.fixed(new ReadResult.Unavailable("restoring")));

        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg("globex", NOW, globexToken));

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
        ReadResult result = client.fetch("127.0.0.1:" + closedPort, UsageQuery.forOrg("globex", NOW, globexToken));

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
        RemoteUsageClient impatient = new RemoteUsageClient(Duration.ofSeconds(1), Duration.ofMillis(200));

        // when
        ReadResult result = impatient.fetch(hostPort(), UsageQuery.forOrg("globex", NOW, globexToken));
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
        ReadResult result = client.fetch(hostPort(), UsageQuery.forOrg(ODD_ORG, NOW, adminToken));

        // then
        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
    }

    @Test
    void answersUnavailableForAnAddressThatIsNotHostAndPort() {
        ReadResult result = client.fetch("not a host", UsageQuery.forOrg("globex", NOW, globexToken));

        assertThat(result).isInstanceOf(ReadResult.Unavailable.class);
    }

    private void startOwner(UsageReader local) throws IOException {
        owner = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(query -> {
                    throw new AssertionError("the owner must answer from its local reader");
                })
                .localReader(local).start();
    }

    private String hostPort() {
        return "127.0.0.1:" + owner.port();
    }
}
