package id.audit.tokenid.app.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls {@code /metrics} of every org on every instance at 10 Hz, as Prometheus would with the
 * org's own token, and checks every answer against everything any
 * instance answered before the request was sent: a counter smaller than that, or a series that
 * vanished, is a decrease. Counts answers by status, transport errors (refused, reset, timed out:
 * the instance is down), latencies, and the stretches without a 200 answer per org (from any
 * instance) and per org and instance (while that instance was up), attributed to {@link Faults}.
 */
final class Scraper implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<Integer> ports;
    private final Map<String, String> tokensByOrg;
    private final Faults faults;
    private final long intervalMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Ports of instances being stopped, killed or started and not ready yet (a load balancer skips them). */
    private final java.util.Set<Integer> outOfService = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();

    /** org → series → highest value any instance answered so far. */
    private final Map<String, Map<String, Double>> highest = new ConcurrentHashMap<>();
    final List<String> decreases = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastOkByOrg = new HashMap<>();
    private final Map<String, Long> lastOkByOrgAndInstance = new HashMap<>();
    /** org → the last 200 body's counters (for the final comparison). */
    private final Map<String, Map<String, Double>> lastAnswer = new ConcurrentHashMap<>();
    final AtomicLong answers = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong transportErrors = new AtomicLong();
    final AtomicLong answersOutOfService = new AtomicLong();
    final AtomicLong non200OutOfService = new AtomicLong();
    final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final List<long[]> latencies = new ArrayList<>();
    private long[] currentLatencies = new long[1 << 16];
    private int latencyCount;

    Scraper(List<Integer> ports, Map<String, String> tokensByOrg, Faults faults, long intervalMillis) {
        this.ports = List.copyOf(ports);
        this.tokensByOrg = Map.copyOf(tokensByOrg);
        this.faults = faults;
        this.intervalMillis = intervalMillis;
        for (String org : tokensByOrg.keySet()) {
            highest.put(org, new ConcurrentHashMap<>());
        }
    }

    /** One thread per (instance, org), so a slow or refused answer delays no other org's 10 Hz. */
    void start() {
        for (int port : ports) {
            for (Map.Entry<String, String> org : tokensByOrg.entrySet()) {
                Thread thread = new Thread(() -> loop(port, org.getKey(), org.getValue()),
                        "scraper-" + port + "-" + org.getKey());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
    }

    private void loop(int port, String org, String token) {
        long next = System.nanoTime();
        while (running.get()) {
            scrapeOnce(port, org, token);
            next += intervalMillis * 1_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // fell behind (a slow answer): do not burst to catch up
            }
        }
    }

    private void scrapeOnce(int port, String org, String token) {
        Map<String, Double> before = new HashMap<>(highest.get(org));
        long start = System.nanoTime();
        int status;
        String body = null;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long end = System.nanoTime();
        Map<String, Double> counters = status == 200 ? counters(body) : Map.of();
        if (status == 200) {
            for (Map.Entry<String, Double> seen : before.entrySet()) {
                Double now = counters.get(seen.getKey());
                if (now == null || now < seen.getValue()) {
                    decreases.add(java.time.Instant.now() + " port " + port + " " + seen.getKey() + ": "
                            + seen.getValue() + " -> " + now);
                }
            }
            counters.forEach((series, value) -> highest.get(org).merge(series, value, Math::max));
            lastAnswer.put(org, counters);
        }
        record(port, org, status, start, end);
    }

    private synchronized void record(int port, String org, int status, long start, long end) {
        Faults.Fault fault = faults.at(end);
        answers.incrementAndGet();
        if (status == -1) {
            transportErrors.incrementAndGet();
            fault.transportErrors++;
            // The instance is down: a stretch of it being unanswered is not an answer gap of it.
            lastOkByOrgAndInstance.remove(org + "@" + port);
            return;
        }
        if (outOfService.contains(port)) {
            fault.answersOutOfService++;
            answersOutOfService.incrementAndGet();
            if (status != 200) {
                fault.non200OutOfService++;
                non200OutOfService.incrementAndGet();
            }
        } else {
            fault.answers++;
            byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            if (status != 200) {
                fault.non200++;
            }
        }
        if (currentLatencies.length == latencyCount) {
            latencies.add(currentLatencies);
            currentLatencies = new long[1 << 16];
            latencyCount = 0;
        }
        currentLatencies[latencyCount++] = end - start;
        if (status != 200) {
            return;
        }
        ok.incrementAndGet();
        Long lastOrg = lastOkByOrg.put(org, end);
        if (lastOrg != null && end - lastOrg > fault.longestOrgGapNanos) {
            fault.longestOrgGapNanos = end - lastOrg;
            fault.longestOrgGapOrg = org;
        }
        Long lastInstance = lastOkByOrgAndInstance.put(org + "@" + port, end);
        if (lastInstance != null && end - lastInstance > fault.longestInstanceGapNanos) {
            fault.longestInstanceGapNanos = end - lastInstance;
        }
    }

    /** Counter samples of a text-format body ({@code _total} series), series → value. */
    static Map<String, Double> counters(String body) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            if (series.contains("_total{")) {
                samples.put(series, Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    void outOfService(int port) {
        outOfService.add(port);
    }

    void inService(int port) {
        outOfService.remove(port);
    }

    /** One scrape of one org on one instance, outside the polling (final checks). */
    Map<String, Double> fetchCounters(int port, String org) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + tokensByOrg.get(org)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? counters(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Time since the last 200 answer of the org from any instance, or forever. */
    synchronized boolean answeredSince(String org, long nanos) {
        Long last = lastOkByOrg.get(org);
        return last != null && last >= nanos;
    }

    /** The 99th percentile of answer latency (any status), in ms. */
    synchronized double latencyPercentileMillis(double percentile) {
        int total = latencyCount + latencies.size() * (1 << 16);
        if (total == 0) {
            return Double.NaN;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] block : latencies) {
            System.arraycopy(block, 0, all, at, block.length);
            at += block.length;
        }
        System.arraycopy(currentLatencies, 0, all, at, latencyCount);
        Arrays.sort(all);
        return all[Math.min(total - 1, (int) Math.ceil(percentile / 100 * total) - 1)] / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
