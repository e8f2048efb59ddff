package id.audit.tokenid.exporter.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each bound of the server, one at a time, with short limits so that they show quickly. */
class NonBlockingHttpServerTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final String GET = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";

    private final CountDownLatch release = new CountDownLatch(1);
    private NonBlockingHttpServer server;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void closesAConnectionWhoseHeadDoesNotArriveInTime() throws IOException {
        start(ServerLimits.defaults().withHeadTimeout(SHORT), echoPath());

        try (RawConnection slow = connection().send("GET /x HTTP/1.1\r\nHost:")) {
            assertThat(slow.closedByServer()).isTrue();
        }
    }

    @Test
    void closesAnIdleKeepAliveConnection() throws IOException {
        start(ServerLimits.defaults().withIdleTimeout(SHORT), echoPath());

        try (RawConnection idle = connection().send(GET)) {
            assertThat(idle.read().status()).isEqualTo(200);
            assertThat(idle.closedByServer()).isTrue();
        }
    }

    @Test
    void answersPipelinedRequestsOneAtATimeInOrder() throws IOException {
        start(ServerLimits.defaults(), echoPath());

        try (RawConnection client = connection()) {
            client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\nHEAD /second HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(new String(client.read().body())).isEqualTo("/first");
            RawConnection.RawResponse second = client.read(true);
            assertThat(second.head()).contains("Content-Length: 7");
            assertThat(new String(client.read().body())).isEqualTo("/third");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void evictsTheOldestConnectionNotRunningAHandlerAtTheCap() throws IOException {
        start(ServerLimits.defaults().withMaxConnections(2), echoPath());

        try (RawConnection oldest = connection().send("GET /x HT");
             RawConnection younger = connection().send("GET /x HT")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
            try (RawConnection newcomer = connection()) {
                assertThat(oldest.closedByServer()).isTrue();
                assertThat(younger.send("TP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
                assertThat(newcomer.send(GET).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void refusesANewConnectionWhenEveryOneRunsAHandler() throws IOException {
        start(ServerLimits.defaults().withMaxConnections(1), request -> {
            waitFor(release);
            return Response.text(200, "done");
        });

        try (RawConnection busy = connection().send(GET)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
            try (RawConnection refused = connection()) {
                assertThat(refused.closedByServer()).isTrue();
            }
            release.countDown();
            assertThat(busy.read().status()).isEqualTo(200);
        }
    }

    @Test
    void dropsAResponseTheClientDoesNotRead() throws IOException {
        byte[] big = new byte[32 << 20];
        start(ServerLimits.defaults().withWriteTimeout(SHORT), request -> new Response(200, "application/octet-stream", big));

        try (RawConnection sink = connection()) {
            sink.socket().setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            sink.send(GET);
            await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 1);

            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void answers503AndClosesWhenTheWorkerQueueIsFull() throws IOException {
        start(ServerLimits.defaults().withWorkers(1).withQueueCapacity(1), request -> {
            waitFor(release);
            return Response.text(200, "done");
        });

        try (RawConnection running = connection().send(GET);
             RawConnection queued = connection().send(GET)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
            try (RawConnection third = connection().send(GET)) {
                RawConnection.RawResponse busy = third.read();
                assertThat(busy.status()).isEqualTo(503);
                assertThat(busy.head()).contains("Retry-After: 5").contains("Connection: close");
                assertThat(third.closedByServer()).isTrue();
            }
            release.countDown();
            assertThat(running.read().status()).isEqualTo(200);
            assertThat(queued.read().status()).isEqualTo(200);
        }
    }

    @Test
    void refusesAHeadOverTheHardCapAndAnswersHandlerErrorsWith500() throws IOException {
        start(ServerLimits.defaults(), request -> {
            throw new IllegalStateException("boom");
        });

        try (RawConnection huge = connection().send("GET /" + "a".repeat(40_000));
             RawConnection failing = connection().send(GET)) {
            assertThat(huge.read().status()).isEqualTo(414);
            RawConnection.RawResponse error = failing.read();
            assertThat(error.status()).isEqualTo(500);
            assertThat(error.text()).doesNotContain("boom").doesNotContain("Exception");
        }
    }

    @Test
    void closeStopsItsThreadsAndSockets() throws IOException {
        start(ServerLimits.defaults(), echoPath());
        try (RawConnection open = connection().send(GET)) {
            assertThat(open.read().status()).isEqualTo(200);

            server.close();

            assertThat(open.closedByServer()).isTrue();
            // A pool reports termination as its last worker leaves its loop; the thread itself
            // ends a moment later.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(thread -> thread.getName().startsWith("test-http-")));
        }
    }

    private void start(ServerLimits limits, Handler handler) throws IOException {
        server = new NonBlockingHttpServer("test-http", "127.0.0.1", 0, limits, handler);
    }

    private RawConnection connection() throws IOException {
        return new RawConnection(server.address().getPort(), 5_000);
    }

    private static Handler echoPath() {
        return request -> Response.text(200, request.rawPath());
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
