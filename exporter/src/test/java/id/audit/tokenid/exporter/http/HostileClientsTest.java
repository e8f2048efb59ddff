package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.exporter.exposition.GoldenUsage;
import id.audit.tokenid.exporter.http.server.RawConnection;
import id.audit.tokenid.exporter.http.server.ServerLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #9: clients that connect and then send slowly or not at all must never blind a tenant.
 * On the JDK server eight connections holding half a request head made every later scrape hang.
 */
class HostileClientsTest {

    private static final String TRICKLE = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(400) + "\r\n\r\n";

    private final FakeTokens tokens = new FakeTokens();
    private final String acmeToken = tokens.mintFor("acme");
    private final List<RawConnection> held = new ArrayList<>();
    private MetricsServer server;

    @AfterEach
    void closeEverything() throws IOException {
        for (RawConnection connection : held) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 200})
    void answersAScrapeWhileConnectionsHoldPartialRequestHeads(int slowClients) throws IOException {
        // given
        start(ServerLimits.defaults());
        for (int i = 0; i < slowClients; i++) {
            held.add(connection().send("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthor"));
        }

        // when
        HttpResponse<String> scrape = scrapeWithin1s();

        // then
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("org_id=\"acme\"");
    }

    @Test
    void answersAScrapeWithin1sWhile200SlowConnectionsAreHeld() throws Exception {
        // given 40 each of five kinds of slow client
        start(ServerLimits.defaults());
        for (int i = 0; i < 40; i++) {
            held.add(connection().send("GET /metr"));
            held.add(connection().send("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: te"));
            held.add(connection().send("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + acmeToken + "\r\n"));
            RawConnection keepAlive = connection().send("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + acmeToken + "\r\n\r\n");
            assertThat(keepAlive.read().status()).isEqualTo(200);
            held.add(keepAlive);
        }
        List<RawConnection> tricklers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tricklers.add(connection());
        }
        held.addAll(tricklers);
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            int[] sent = {0};
            trickle.scheduleAtFixedRate(() -> {
                for (RawConnection connection : tricklers) {
                    try {
                        connection.send(new byte[] {(byte) TRICKLE.charAt(sent[0] % TRICKLE.length())});
                    } catch (IOException closed) {
                        // a trickler the server closed: nothing more to send on it
                    }
                }
                sent[0]++;
            }, 0, 200, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sent[0] >= 3);

            // when
            HttpResponse<String> scrape = scrapeWithin1s();

            // then
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("org_id=\"acme\"");
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void answersAScrapeWhenSlowConnectionsFillTheCapByEvictingTheOldest() throws IOException {
        // given more slow connections than the cap allows
        start(ServerLimits.defaults().withMaxConnections(50));
        for (int i = 0; i < 200; i++) {
            held.add(connection().send("GET /metrics HTTP/1.1\r\nHost: x\r\n"));
        }

        // when
        HttpResponse<String> scrape = scrapeWithin1s();

        // then
        assertThat(scrape.statusCode()).isEqualTo(200);
    }

    private void start(ServerLimits limits) throws IOException {
        MapUsageReader reader = new MapUsageReader(GoldenUsage.orgs());
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).limits(limits).start();
    }

    private RawConnection connection() throws IOException {
        return new RawConnection(server.port(), 5_000);
    }

    /** A real scrape on a fresh client, with the 1 s bound the issue asks for. */
    private HttpResponse<String> scrapeWithin1s() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(1)).header("Authorization", Http.bearer(acmeToken)).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("the scrape was not answered within 1 s: " + e, e);
        }
    }
}
