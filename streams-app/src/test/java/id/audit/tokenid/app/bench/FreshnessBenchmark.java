package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.config.StreamsProperties;
import id.audit.tokenid.app.it.EmbeddedKafka;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Freshness: how long from an event's produce to its value in {@code /metrics} (issue 12,
 * item 5), in one JVM on one in-process KRaft broker and one instance of the service
 * ({@link Service}, production settings: exactly-once, 1 s commits, dedup on with a 1 h window,
 * 2 stream threads; replication factor 1), all over loopback.
 *
 * <p>Each phase (input without keys, then keyed by org) sends events at a steady rate for a
 * warm-up and a measured period ({@link FreshnessLoad} records each one's send time), while an
 * admin token scrapes {@code /metrics} at 10 Hz ({@link FreshnessScraper}). When sending stops,
 * scraping goes on until every event is visible or the drain time is up. An event is visible at
 * the end of the first answered scrape whose count for its stream reaches its rank; its
 * latency is that moment less its send time. Events sent during the warm-up are not counted.
 *
 * <p>A {@code main}, not a test: it asserts nothing about time; it stops by itself, every wait
 * bounded. Run it with the {@code freshness} profile (BENCHMARKS.md). Settings (system
 * properties): {@code freshness.rate} (events/s; the profile's default is half of what the
 * ingest benchmark measured here), {@code freshness.inputs} ({@code nokey,keyed}),
 * {@code freshness.warmupSeconds} (15), {@code freshness.seconds} (60, measured),
 * {@code freshness.drainSeconds} (30), {@code freshness.orgs} (50), {@code freshness.partitions}
 * (4), {@code freshness.threads} (2), {@code freshness.scrapeHz} (10),
 * {@code freshness.commitIntervalMs} (the product's 500), {@code freshness.timeoutMinutes} (15, the whole run).
 */
public final class FreshnessBenchmark {

    private static final PrintStream OUT = System.out;
    private static final double TARGET_P99_SECONDS = 1.5;
    private static final Duration WAIT_POLL = Duration.ofMillis(200);

    private final double rate = Double.parseDouble(System.getProperty("freshness.rate", "63000"));
    private final List<String> inputs = List.of(System.getProperty("freshness.inputs", "nokey,keyed").split(","));
    private final Duration warmUp = Duration.ofSeconds(Long.getLong("freshness.warmupSeconds", 15));
    private final Duration measured = Duration.ofSeconds(Long.getLong("freshness.seconds", 60));
    private final Duration drain = Duration.ofSeconds(Long.getLong("freshness.drainSeconds", 30));
    private final int orgs = Integer.getInteger("freshness.orgs", 50);
    private final int partitions = Integer.getInteger("freshness.partitions", 4);
    private final int threads = Integer.getInteger("freshness.threads", 2);
    private final int scrapeHz = Integer.getInteger("freshness.scrapeHz", 10);
    /** The product's interval (StreamsProperties) unless set: shows what the commit interval does to freshness. */
    private final long commitIntervalMs = Long.getLong("freshness.commitIntervalMs",
            StreamsProperties.COMMIT_INTERVAL_MS);
    private final EmbeddedKafka kafka;
    private final Path root;

    private FreshnessBenchmark(EmbeddedKafka kafka, Path root) {
        this.kafka = kafka;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        stopAfter(Duration.ofMinutes(Long.getLong("freshness.timeoutMinutes", 15)));
        OUT.printf("FreshnessBenchmark: %d cores, JDK %s, max heap %d MiB, load average at start: %s%n",
                CpuClock.availableCores(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                loadAverage());
        // Under target/, not the OS temp folder: Kafka Streams warns about a state directory there.
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tokenid-freshness-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            new FreshnessBenchmark(kafka, root).run();
        } finally {
            deleteRecursively(root);
        }
        // Kafka's and the HTTP client's threads must not keep the JVM alive.
        System.exit(0);
    }

    private void run() throws Exception {
        String adminToken = Tokens.mint();
        AppConfig config = config(adminToken);
        kafka.createTopic(config.inputTopic(), partitions);
        kafka.createTopic(config.dlqTopic(), 1);
        kafka.createCompactedTopic(config.tokensTopic(), 1);
        kafka.createCompactedTopic(config.budgetsTopic(), 1);
        kafka.createCompactedTopic(config.pricesTopic(), 1);
        Map<String, Object> overrides = Map.of(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs,
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        OUT.printf("%,.0f events/s for %d s warm-up + %d s measured per phase; %d orgs, %d partitions, %d stream"
                        + " threads, dedup %s, commit interval %d ms; scrapes at %d Hz with an admin token%n",
                rate, warmUp.toSeconds(), measured.toSeconds(), orgs, partitions, threads, config.dedupWindow(),
                commitIntervalMs, scrapeHz);
        List<Result> results = new ArrayList<>();
        try (Service service = Service.start(config, overrides)) {
            ScrapeWaits.until("the service to be ready", Duration.ofMinutes(2), WAIT_POLL, service::isReady,
                    () -> "streams " + service.runtime().streams().state(), OUT);
            for (String input : inputs) {
                results.add(phase(service, config.inputTopic(), adminToken, input.trim()));
            }
        }
        OUT.printf("%nEvent to visible in /metrics (send call to the end of the first scrape that counts it)%n");
        OUT.printf("%-8s %9s %9s %11s %8s %8s %8s %8s %8s %8s %8s %8s %6s %6s %s%n", "input", "target/s", "sent/s",
                "measured", "unseen", "p50 s", "p90 s", "p99 s", "max s", "ack p99", "scr p50", "scr p99", "cores",
                "others", "load average after");
        for (Result r : results) {
            OUT.printf("%-8s %,9.0f %,9.0f %,11d %,8d %8.3f %8.3f %8.3f %8.3f %6d ms %5.1f ms %5.1f ms %6.2f %6.2f %s%n",
                    r.input, rate, r.sentRate, r.latencies.length, r.neverVisible, r.seconds(0.50), r.seconds(0.90),
                    r.seconds(0.99), r.seconds(1.0), r.ackP99Millis, r.scrapeP50Millis, r.scrapeP99Millis, r.cores,
                    r.others, r.load);
        }
        for (Result r : results) {
            OUT.printf("  %s: p99 %.3f s, target <= %.1f s %s%n", r.input, r.seconds(0.99), TARGET_P99_SECONDS,
                    r.neverVisible == 0 && r.seconds(0.99) <= TARGET_P99_SECONDS ? "met" : "NOT met");
        }
    }

    private Result phase(Service service, String topic, String token, String input) throws Exception {
        if (!input.equals("nokey") && !input.equals("keyed")) {
            throw new IllegalArgumentException("freshness.inputs takes nokey and keyed, not " + input);
        }
        OUT.printf("%n%s: sending for %d s ...%n", input, warmUp.plus(measured).toSeconds());
        long wallStart = System.nanoTime();
        CpuClock cpu = CpuClock.start();
        FreshnessLoad load = new FreshnessLoad(kafka, topic, input, input.equals("keyed"), orgs, partitions, rate);
        try (load;
             FreshnessScraper scraper = FreshnessScraper.start(service.httpPort(), token, load,
                     Duration.ofNanos(1_000_000_000L / scrapeHz))) {
            Thread.sleep(warmUp.plus(measured).toMillis());
            load.stop();
            long stopped = System.nanoTime();
            double cores = cpu.coresSince(stopped - wallStart);
            double others = cpu.otherCoresSince(stopped - wallStart);
            String load1 = loadAverage();
            try {
                ScrapeWaits.until("every " + input + " event to be visible", drain, WAIT_POLL,
                        () -> allVisible(load, scraper), () -> visibleSoFar(load, scraper), OUT);
            } catch (IllegalStateException notAll) {
                OUT.println("  " + notAll.getMessage());
            }
            scraper.close();
            Result result = measure(input, load, scraper, cores, others, load1);
            result.printWindows(OUT);
            return result;
        }
    }

    private static boolean allVisible(FreshnessLoad load, FreshnessScraper scraper) {
        for (int s = 0; s < load.streams(); s++) {
            if (scraper.latest(s) < load.sent(s)) {
                return false;
            }
        }
        return true;
    }

    private static String visibleSoFar(FreshnessLoad load, FreshnessScraper scraper) {
        long visible = 0;
        for (int s = 0; s < load.streams(); s++) {
            visible += Math.min(scraper.latest(s), load.sent(s));
        }
        return String.format("%,d of %,d visible", visible, load.totalSent());
    }

    /** Reads every stream's events against the scrapes; see the class comment. */
    private Result measure(String input, FreshnessLoad load, FreshnessScraper scraper, double cores, double others,
                           String loadAfter) {
        long measuredFrom = load.startNanos() + warmUp.toNanos();
        List<FreshnessScraper.Scrape> scrapes = scraper.scrapes();
        List<long[]> latencies = new ArrayList<>(); // {send nanos, latency nanos}
        long neverVisible = 0;
        for (int s = 0; s < load.streams(); s++) {
            int rank = 0;
            int previous = 0;
            for (FreshnessScraper.Scrape scrape : scrapes) {
                int count = scrape.counts()[s];
                if (count < previous || count > load.sent(s)) {
                    throw new IllegalStateException("stream " + s + " of " + input + ": a scrape counted " + count
                            + " after " + previous + ", of " + load.sent(s) + " sent");
                }
                previous = count;
                for (; rank < count; rank++) {
                    long sentAt = load.sendNanos(s, rank);
                    if (sentAt >= measuredFrom) {
                        latencies.add(new long[] {sentAt, scrape.endNanos() - sentAt});
                    }
                }
            }
            for (; rank < load.sent(s); rank++) {
                if (load.sendNanos(s, rank) >= measuredFrom) {
                    neverVisible++;
                }
            }
        }
        long[] durations = scraper.durationsNanos();
        double sentRate = load.totalSent() / ((load.endNanos() - load.startNanos()) / 1e9);
        OUT.printf("  sent %,d events (%,.0f/s), %d answered scrapes, %d not answered (not 200 or failed)%n",
                load.totalSent(), sentRate, scrapes.size(), scraper.failures());
        return new Result(input, sentRate, latencies, neverVisible, load.ackMillis(0.99),
                percentile(durations, 0.50) / 1e6, percentile(durations, 0.99) / 1e6, cores, others, loadAfter,
                measuredFrom);
    }

    /** One phase's figures. */
    private static final class Result {
        final String input;
        final double sentRate;
        final long[] latencies;
        final List<long[]> bySend;
        final long neverVisible;
        final long ackP99Millis;
        final double scrapeP50Millis;
        final double scrapeP99Millis;
        final double cores;
        final double others;
        final String load;
        final long measuredFrom;

        Result(String input, double sentRate, List<long[]> bySend, long neverVisible, long ackP99Millis,
               double scrapeP50Millis, double scrapeP99Millis, double cores, double others, String load,
               long measuredFrom) {
            this.input = input;
            this.sentRate = sentRate;
            this.bySend = bySend;
            this.latencies = bySend.stream().mapToLong(pair -> pair[1]).sorted().toArray();
            this.neverVisible = neverVisible;
            this.ackP99Millis = ackP99Millis;
            this.scrapeP50Millis = scrapeP50Millis;
            this.scrapeP99Millis = scrapeP99Millis;
            this.cores = cores;
            this.others = others;
            this.load = load;
            this.measuredFrom = measuredFrom;
        }

        double seconds(double q) {
            return latencies.length == 0 ? Double.NaN : percentile(latencies, q) / 1e9;
        }

        /** p50 and p99 of the events sent in each 10 s of the measured period: steady, or a growing backlog. */
        void printWindows(PrintStream out) {
            long window = Duration.ofSeconds(10).toNanos();
            int windows = (int) (bySend.stream().mapToLong(pair -> pair[0] - measuredFrom).max().orElse(0) / window) + 1;
            StringBuilder line = new StringBuilder("  by 10 s of sending (p50/p99 s):");
            for (int w = 0; w < windows; w++) {
                int index = w;
                long[] inWindow = bySend.stream().filter(pair -> (pair[0] - measuredFrom) / window == index)
                        .mapToLong(pair -> pair[1]).sorted().toArray();
                if (inWindow.length > 0) {
                    line.append(String.format(" %.2f/%.2f", percentile(inWindow, 0.5) / 1e9,
                            percentile(inWindow, 0.99) / 1e9));
                }
            }
            out.println(line);
        }
    }

    /** Nearest rank: the smallest value that at least {@code q} of the sorted values do not exceed. */
    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private AppConfig config(String adminToken) throws IOException {
        String appId = "bench-freshness-" + ProcessHandle.current().pid();
        Path tokens = root.resolve("tokens.txt");
        Files.write(tokens, List.of(TokensFile.formatLine(TokenDigests.sha256Hex(adminToken), Principal.admin())));
        // Port 0: the servers take a free port; the advertised address gets the one they bound.
        return new AppConfig(kafka.bootstrapServers(), appId + "-calls", appId + "-calls.dlq", appId + "-tokens",
                Optional.of(tokens), appId, root.resolve("state"), 0, 0, new AppConfig.Endpoint("localhost", 0), 0,
                threads, Duration.ofHours(1), Duration.ofMinutes(1))
                .withBudgetsTopic(appId + "-budgets").withPrices(Optional.empty(), appId + "-prices");
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    /** Ends the JVM if the run takes longer than {@code limit}: a benchmark must stop by itself. */
    private static void stopAfter(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                OUT.printf("FreshnessBenchmark: still running after %s, stopping%n", limit);
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "freshness-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
