package id.audit.tokenid.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Times sequential scrapes as one Prometheus target would see them: one {@code java.net.http}
 * client over HTTP/1.1 (one keep-alive connection, no {@code Accept} or
 * {@code Accept-Encoding}, so text format 0.0.4 uncompressed from either server), wall time
 * from the call to the last byte of the body. Warm-up scrapes are not recorded.
 */
final class ScrapeTimer {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Latencies of the answered (200) scrapes; other statuses are counted, not timed.
     *
     * @param background events the background producer sent per second during the run
     */
    record Stats(String label, int count, long[] sortedNanos, int failures, int bodyBytes, long wallNanos,
                 double background) {

        double p50Millis() {
            return percentile(0.50) / 1e6;
        }

        double p99Millis() {
            return percentile(0.99) / 1e6;
        }

        double maxMillis() {
            return sortedNanos[sortedNanos.length - 1] / 1e6;
        }

        double meanMillis() {
            return Arrays.stream(sortedNanos).average().orElse(0) / 1e6;
        }

        /** Nearest rank: the smallest latency that at least {@code q} of the scrapes did not exceed. */
        private long percentile(double q) {
            int rank = (int) Math.ceil(q * sortedNanos.length);
            return sortedNanos[Math.max(0, rank - 1)];
        }
    }

    /** One scrape: status and body. */
    record Scrape(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Scrape get(int port, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(REQUEST_TIMEOUT)
                .GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Scrape(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("scrape of port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Where to scrape: a label for the table, a port, and a bearer token or null. */
    record Target(String label, int port, String bearerToken) {
    }

    /** {@code warmUp} untimed then {@code count} timed scrapes of one target, one after another. */
    Stats measure(Target target, int warmUp, int count, LongCounter background) {
        return measureInterleaved(List.of(target), warmUp, count, count, background).get(0);
    }

    /**
     * {@code warmUp} untimed scrapes of each target in turn, then {@code count} timed scrapes of
     * each, interleaved in blocks of {@code block} (A, B, A, B, …), so that a slow spell of the
     * machine falls on every target alike. Gives up when more than a tenth of a target's
     * scrapes are not 200.
     */
    List<Stats> measureInterleaved(List<Target> targets, int warmUp, int count, int block, LongCounter background) {
        warmUp(targets, warmUp);
        List<Recorder> recorders = targets.stream().map(target -> new Recorder(target, count)).toList();
        for (int done = 0; done < count; done += block) {
            for (Recorder recorder : recorders) {
                recorder.run(Math.min(block, count - done), background);
            }
        }
        return recorders.stream().map(Recorder::stats).toList();
    }

    /** {@code rounds} untimed scrapes of each target in turn. */
    void warmUp(List<Target> targets, int rounds) {
        for (int i = 0; i < rounds; i++) {
            for (Target target : targets) {
                get(target.port(), target.bearerToken());
            }
        }
    }

    /** The timed scrapes of one target, possibly in several blocks. */
    private final class Recorder {
        private final Target target;
        private final long[] nanos;
        private int answered;
        private int failures;
        private int bodyBytes = -1;
        private long wallNanos;
        private long backgroundSent;

        Recorder(Target target, int count) {
            this.target = target;
            this.nanos = new long[count];
        }

        void run(int scrapes, LongCounter background) {
            long sentBefore = background.get();
            long started = System.nanoTime();
            for (int i = 0; i < scrapes; i++) {
                long t0 = System.nanoTime();
                Scrape scrape = get(target.port(), target.bearerToken());
                long t1 = System.nanoTime();
                if (scrape.status() == 200) {
                    nanos[answered++] = t1 - t0;
                    bodyBytes = scrape.body().length;
                } else if (++failures > nanos.length / 10) {
                    throw new IllegalStateException(target.label() + ": " + failures
                            + " scrapes not answered with 200 (last " + scrape.status() + ")");
                }
            }
            wallNanos += System.nanoTime() - started;
            backgroundSent += background.get() - sentBefore;
        }

        Stats stats() {
            long[] sorted = Arrays.copyOf(nanos, answered);
            Arrays.sort(sorted);
            return new Stats(target.label(), answered, sorted, failures, bodyBytes, wallNanos,
                    backgroundSent * 1e9 / wallNanos);
        }
    }

    /** How many events the background producer has sent so far. */
    @FunctionalInterface
    interface LongCounter {
        long get();
    }
}
