package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.http.server.RawConnection;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #9: 10,000 hostile requests over raw sockets, from a client holding one org's token,
 * against a server holding several orgs. No response may carry another org's id or values,
 * none may be a 5xx, and the server leaves no thread or file descriptor behind.
 */
class HostileRequestsTest {

    private static final int REQUESTS = 10_000;
    private static final List<String> OTHER_ORGS = List.of("globex", "initech", "umbrella");
    /** Values only the other orgs have, as the exposition renders them. */
    private static final List<String> OTHER_VALUES = List.of("918273", "827364", "736455", "secretprovider",
            "hidden-model", "12.345678901");
    private static final List<OrgUsage> ORGS = List.of(
            new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 3, 100, 50, 1_500_000_000L)), 7),
            new OrgUsage("globex", List.of(new ModelUsage("secretprovider", "hidden-model", 918273, 1, 1,
                    12_345_678_901L)), 12_345_678_901L),
            new OrgUsage("initech", List.of(new ModelUsage("secretprovider", "hidden-model", 827364, 2, 2, 5)), 5),
            new OrgUsage("umbrella", List.of(new ModelUsage("secretprovider", "hidden-model", 736455, 3, 3, 6)), 6));

    private final FakeTokens tokens = new FakeTokens();
    private final String acmeToken = tokens.mintFor("acme");
    private final String globexDigest = TokenDigests.sha256Hex(tokens.mintFor("globex"));

    @Test
    void leaksNoOtherOrgAndNeverAnswers5xxAndLeavesNoThreadOrDescriptorBehind() throws Exception {
        // given a warmed-up JVM (classes loaded, jars open), then the baseline
        runAgainstAFreshServer(50, new Random(7));
        Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        long fdsBefore = openFileDescriptors();

        // when
        Tally tally = runAgainstAFreshServer(REQUESTS, new Random(42));

        // then
        assertThat(tally.leaks).as("responses carrying another org's data").isEmpty();
        assertThat(tally.serverErrors).as("responses with status >= 500").isEmpty();
        assertThat(tally.answered.get()).as("requests answered at all").isGreaterThan(REQUESTS / 2);
        // Threads of earlier tests in this JVM may end meanwhile: what must hold is that no
        // thread is left that was not there before, and no descriptor more is open.
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> {
            assertThat(Thread.getAllStackTraces().keySet()).as("threads left behind")
                    .allMatch(threadsBefore::contains);
            assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore);
        });
    }

    private static final class Tally {
        final List<String> leaks = new ArrayList<>();
        final List<String> serverErrors = new ArrayList<>();
        final AtomicInteger answered = new AtomicInteger();
    }

    private Tally runAgainstAFreshServer(int requests, Random random) throws IOException {
        Tally tally = new Tally();
        MapUsageReader reader = new MapUsageReader(ORGS);
        try (MetricsServer server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).start()) {
            for (int i = 0; i < requests; i++) {
                String request = hostileRequest(random);
                try (RawConnection connection = new RawConnection(server.port(), 10_000)) {
                    connection.send(request.getBytes(StandardCharsets.UTF_8));
                    RawConnection.RawResponse response = connection.read(request.startsWith("HEAD "));
                    if (response != null) {
                        check(request, response, tally);
                    }
                } catch (IOException resetByServer) {
                    // a refused request may be cut with a reset: no data crossed, nothing to check
                }
            }
        }
        return tally;
    }

    private static void check(String request, RawConnection.RawResponse response, Tally tally) {
        tally.answered.incrementAndGet();
        String text = response.text();
        for (String secret : Stream.concat(OTHER_ORGS.stream(), OTHER_VALUES.stream()).toList()) {
            if (text.contains(secret)) {
                tally.leaks.add(secret + " in answer to " + abbreviate(request));
            }
        }
        if (response.status() >= 500) {
            tally.serverErrors.add(response.status() + " for " + abbreviate(request));
        }
    }

    /** One request head built from hostile parts; always complete, so each gets an answer or a close. */
    private String hostileRequest(Random random) {
        String method = pick(random, "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
                "CONNECT", "PATCH", "get", "GE(T", "G\u0001T", "X".repeat(300));
        String target = pick(random, "/metrics", "/metrics", "/metrics?org=globex", "/metrics?org_id=globex&all=true",
                "//metrics", "/metrics/", "/METRICS", "/%6detrics", "/metrics%3Forg=globex", "/metrics;org=globex",
                "/internal/v1/usage?org=globex", "/internal/v1/usage?all=true", "/internal/v1/usage?org=%67lobex",
                "http://globex/metrics?org=globex", "https://x/internal/v1/usage?all=true", "*", "../metrics",
                "/metrics#globex", "/a/../metrics", "/%2e%2e/metrics", "/metrics?x=%00%ff%zz", "/" + "a".repeat(5000),
                "/metrics?org=\u00e4", "/metrics?" + "org=initech&".repeat(50));
        String version = pick(random, "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x",
                "http/1.1");
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
                .append("\r\nHost: ").append(pick(random, "x", "globex", "umbrella.internal")).append("\r\n");
        int headers = random.nextInt(4);
        for (int i = 0; i < headers; i++) {
            head.append(pick(random,
                    "Authorization: Bearer " + acmeToken,
                    "Authorization: Bearer " + acmeToken,
                    "Authorization: Bearer ",
                    "Authorization: Bearer " + "t".repeat(random.nextInt(20_000)),
                    "Authorization: Bearer td_live_\u00e4\u00f6\u00fc",
                    "Authorization: Basic Z2xvYmV4OnNlY3JldA==",
                    "Authorization: Bearer " + globexDigest,
                    "Authorization: Digest username=\"globex\"",
                    "X-Org-Id: globex", "X-TokenID-Internal: 1:" + "0".repeat(64),
                    "Forwarded: for=globex", "X-Forwarded-Host: initech",
                    "Accept: application/openmetrics-text; version=1.0.0",
                    "Accept-Encoding: gzip", "Accept: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily",
                    "X-Pad: " + "p".repeat(random.nextInt(40_000)),
                    "X-Many: y\r\n".repeat(random.nextInt(150)) + "X-Last: z",
                    " folded: obs-fold", "No colon here", "Bad Name: x", "X-Ctl: a\u0007b",
                    "Content-Length: 5", "Content-Length: abc", "Transfer-Encoding: chunked",
                    "Connection: keep-alive")).append("\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString();
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String abbreviate(String request) {
        return request.length() > 200 ? request.substring(0, 200) + "…" : request;
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
