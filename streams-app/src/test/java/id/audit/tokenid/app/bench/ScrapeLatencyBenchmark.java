package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.it.EmbeddedKafka;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scrape latency of one org's {@code /metrics} (SPEC §2, §3) in one JVM, on one in-process KRaft
 * broker and one instance of the service ({@link Service}, production streams settings but one
 * stream thread and replication factor 1):
 *
 * <ol>
 *   <li>org {@code big} has 1,000 series (10 providers × 100 models) and 999 other orgs have 3
 *       each; a background producer keeps sending ~500 events/s to those 999 orgs' series;</li>
 *   <li>(A) sequential scrapes of {@code big} with its token, interleaved in blocks with</li>
 *   <li>(B) the same against client_java's own {@code HTTPServer} serving a static registry of
 *       the same 1,000 series (three counters with the same labels and values, plus the gauge):
 *       the floor for the same body on the same JDK server;</li>
 *   <li>the store grows to 100,000 orgs (one series each for 99,000 more);</li>
 *   <li>(C) {@code big} again, interleaved with (B') the static server again;</li>
 *   <li>optionally, untimed passes with the HTTP threads sampled, to show what limits (C) and (B).</li>
 * </ol>
 *
 * A {@code main}, not a test: it asserts nothing about time. Settings (system properties):
 * {@code bench.scrapes} (2000), {@code bench.warmUp} (200, before each pair of runs),
 * {@code bench.jitWarmUp} (1000, once before the first pair), {@code bench.block} (100 scrapes
 * per interleaved block), {@code bench.totalOrgs} (100000), {@code bench.backgroundRate} (500
 * events/s), {@code bench.partitions} (4), {@code bench.timeoutMinutes} (10, for each wait),
 * {@code bench.profile} (true). Run it as BENCHMARKS.md says.
 */
public final class ScrapeLatencyBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int SMALL_ORGS = 999;
    private static final String REQUESTS = "llm_requests_total";
    private static final Duration POLL = Duration.ofMillis(500);

    private final EmbeddedKafka kafka;
    private final Path root;
    private final int scrapes = Integer.getInteger("bench.scrapes", 2000);
    private final int warmUp = Integer.getInteger("bench.warmUp", 200);
    private final int totalOrgs = Integer.getInteger("bench.totalOrgs", 100_000);
    private final int backgroundRate = Integer.getInteger("bench.backgroundRate", 500);
    private final int jitWarmUp = Integer.getInteger("bench.jitWarmUp", 1000);
    private final int block = Integer.getInteger("bench.block", 100);
    private final int partitions = Integer.getInteger("bench.partitions", 4);
    private final Duration timeout = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 10));
    private final boolean profile = Boolean.parseBoolean(System.getProperty("bench.profile", "true"));
    private final ScrapeTimer timer = new ScrapeTimer();

    private ScrapeLatencyBenchmark(EmbeddedKafka kafka, Path root) {
        this.kafka = kafka;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        // Before the first logger exists; a value given on the command line wins.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        OUT.printf("ScrapeLatencyBenchmark: %d cores, JDK %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        // Under target/, not the OS temp folder: Kafka Streams warns about a state directory there.
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tokenid-scrape-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            new ScrapeLatencyBenchmark(kafka, root).run();
        } finally {
            deleteRecursively(root);
        }
    }

    private void run() throws Exception {
        if (scrapes < 100 || totalOrgs <= SMALL_ORGS + 1) {
            throw new IllegalArgumentException("need bench.scrapes >= 100 and bench.totalOrgs > " + (SMALL_ORGS + 1));
        }
        String bigToken = Tokens.mint();
        AppConfig config = config(bigToken);
        kafka.createTopic(config.inputTopic(), partitions);
        kafka.createTopic(config.dlqTopic(), 1);
        kafka.createCompactedTopic(config.tokensTopic(), 1);
        kafka.createCompactedTopic(config.budgetsTopic(), 1);
        kafka.createCompactedTopic(config.pricesTopic(), 1);
        long initial = ScrapeTraffic.produceInitial(kafka, config.inputTopic(), SMALL_ORGS);
        OUT.printf("Produced %,d events: %s with %,d series, %,d orgs with %d series each; %d partitions%n",
                initial, ScrapeTraffic.BIG, ScrapeTraffic.BIG_SERIES, SMALL_ORGS, ScrapeTraffic.SMALL_SERIES, partitions);

        Map<String, Object> overrides = Map.of(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        long started = System.nanoTime();
        try (Service service = Service.start(config, overrides)) {
            int port = service.httpPort();
            ScrapeWaits.until("the service to be ready", timeout, POLL, service::isReady,
                    () -> "streams " + service.runtime().streams().state(), OUT);
            ScrapeWaits.until(ScrapeTraffic.BIG + "'s " + ScrapeTraffic.BIG_SERIES + " series", timeout, POLL,
                    () -> bigIsComplete(port, bigToken), () -> bigStatus(port, bigToken), OUT);
            waitForOrgs(service, SMALL_ORGS + 1);
            OUT.printf("Ingested in %.1f s after the start call%n", (System.nanoTime() - started) / 1e9);

            String bigBody = timer.get(port, bigToken).text();
            try (ScrapeTraffic.Background background = new ScrapeTraffic.Background(kafka, config.inputTopic(),
                    backgroundRate, SMALL_ORGS);
                 ScrapeStaticExporter reference = ScrapeStaticExporter.serving(bigBody)) {
                String staticBody = timer.get(reference.port(), null).text();
                OUT.printf("%s's body: %,d bytes, %d %s lines; static registry: %,d series, %,d bytes; "
                                + "bodies identical: %s%n", ScrapeTraffic.BIG, bigBody.length(),
                        ScrapeWaits.Family.of(bigBody, REQUESTS).lines(), REQUESTS, reference.series(),
                        staticBody.length(), bigBody.equals(staticBody) ? "yes" : "NO");
                measureAll(service, port, bigToken, bigBody, reference.port(), background, config.inputTopic());
            }
        }
    }

    private void measureAll(Service service, int port, String bigToken, String bigBody, int staticPort,
                            ScrapeTraffic.Background background, String inputTopic) throws Exception {
        List<ScrapeTimer.Target> smallTargets = List.of(
                new ScrapeTimer.Target("(A) product, big, 1k orgs", port, bigToken),
                new ScrapeTimer.Target("(B) client_java HTTPServer, static", staticPort, null));
        // Once, untimed: lets the JIT settle the code both servers share before the first timed run,
        // so that (A)/(B) is not slower than (C)/(B') merely for coming first.
        timer.warmUp(smallTargets, jitWarmUp);
        List<ScrapeTimer.Stats> small = timer.measureInterleaved(smallTargets, warmUp, scrapes, block,
                background::sent);
        double smallLoad = loadAverage();

        long grown = ScrapeTraffic.produceGrowth(kafka, inputTopic, SMALL_ORGS + 1, totalOrgs - 1);
        long started = System.nanoTime();
        OUT.printf("Produced %,d events for %,d more orgs%n", grown, totalOrgs - 1 - SMALL_ORGS);
        waitForOrgs(service, totalOrgs);
        OUT.printf("Store holds %,d orgs, %.1f s after the growth was produced%n", totalOrgs,
                (System.nanoTime() - started) / 1e9);
        String bigNow = timer.get(port, bigToken).text();
        OUT.printf("%s's body at %,d orgs identical to before: %s%n", ScrapeTraffic.BIG, totalOrgs,
                bigNow.equals(bigBody) ? "yes" : "NO");

        List<ScrapeTimer.Stats> large = timer.measureInterleaved(List.of(
                new ScrapeTimer.Target("(C) product, big, " + totalOrgs / 1000 + "k orgs", port, bigToken),
                new ScrapeTimer.Target("(B') client_java HTTPServer, static, again", staticPort, null)),
                warmUp, scrapes, block, background::sent);
        double largeLoad = loadAverage();
        printTable(List.of(small.get(0), small.get(1), large.get(0), large.get(1)), smallLoad, largeLoad);
        printRatios(small.get(0), small.get(1), large.get(1), large.get(0));

        if (profile) {
            profiled("(C'') product, big, HTTP threads sampled every 5 ms", "tokenid-http-", port, bigToken,
                    background);
            profiled("(B'') client_java HTTPServer, HTTP threads sampled every 5 ms", "prometheus-http-", staticPort,
                    null, background);
        }
    }

    /** An untimed pass under the sampler; its figures are printed but are not the result. */
    private void profiled(String label, String threadPrefix, int port, String token,
                          ScrapeTraffic.Background background) {
        ScrapeThreadSampler sampler = ScrapeThreadSampler.start(threadPrefix, Duration.ofMillis(5));
        ScrapeTimer.Stats stats = timer.measure(new ScrapeTimer.Target(label, port, token), 0, scrapes,
                background::sent);
        sampler.close();
        OUT.printf("%n%s: p50 %.2f ms, p99 %.2f ms while sampled (not a result)%n", label, stats.p50Millis(),
                stats.p99Millis());
        sampler.print(OUT, label, 15);
    }

    private void waitForOrgs(Service service, int orgs) throws Exception {
        int[] seen = {-1};
        ScrapeWaits.until(orgs + " orgs in the store", timeout, Duration.ofSeconds(2), () -> {
            seen[0] = ScrapeWaits.orgsInStore(service.runtime().streams());
            return seen[0] == orgs;
        }, () -> seen[0] + " orgs so far", OUT);
    }

    private boolean bigIsComplete(int port, String token) {
        ScrapeTimer.Scrape scrape = timer.get(port, token);
        if (scrape.status() != 200) {
            return false;
        }
        ScrapeWaits.Family requests = ScrapeWaits.Family.of(scrape.text(), REQUESTS);
        return requests.lines() == ScrapeTraffic.BIG_SERIES
                && requests.sum() == ScrapeTraffic.BIG_SERIES * ScrapeTraffic.BIG_EVENTS_PER_SERIES;
    }

    private String bigStatus(int port, String token) {
        ScrapeTimer.Scrape scrape = timer.get(port, token);
        if (scrape.status() != 200) {
            return "status " + scrape.status();
        }
        ScrapeWaits.Family requests = ScrapeWaits.Family.of(scrape.text(), REQUESTS);
        return requests.lines() + " series, " + (long) requests.sum() + " requests";
    }

    private AppConfig config(String bigToken) throws IOException {
        String appId = "bench-scrape-" + ProcessHandle.current().pid();
        Path tokens = root.resolve("tokens.txt");
        Files.write(tokens, List.of(TokensFile.formatLine(TokenDigests.sha256Hex(bigToken),
                Principal.org(ScrapeTraffic.BIG))));
        int httpPort = freePort();
        return new AppConfig(kafka.bootstrapServers(), appId + "-calls", appId + "-calls.dlq", appId + "-tokens",
                Optional.of(tokens), appId, root.resolve("state"), httpPort, 0,
                new AppConfig.Endpoint("localhost", httpPort), 0, 1, Duration.ofHours(1), Duration.ofMinutes(1))
                .withBudgetsTopic(appId + "-budgets").withPrices(Optional.empty(), appId + "-prices");
    }

    private void printTable(List<ScrapeTimer.Stats> runs, double smallLoad, double largeLoad) {
        OUT.printf("%n%d sequential scrapes per run after %d warm-up, (A)/(B) and (C)/(B') interleaved in blocks of"
                + " %d; one keep-alive connection each, text 0.0.4, no gzip; background ~%d events/s%n",
                scrapes, warmUp, block, backgroundRate);
        OUT.printf("System load average (1 min) after (A)/(B): %.1f, after (C)/(B'): %.1f, on %d cores%n",
                smallLoad, largeLoad, Runtime.getRuntime().availableProcessors());
        OUT.printf("%-44s %7s %7s %8s %8s %8s %8s %10s %9s%n",
                "run", "scrapes", "non-200", "p50 ms", "p99 ms", "max ms", "mean ms", "body B", "bg ev/s");
        for (ScrapeTimer.Stats run : runs) {
            OUT.printf("%-44s %7d %7d %8.2f %8.2f %8.2f %8.2f %,10d %9.0f%n", run.label(), run.count(),
                    run.failures(), run.p50Millis(), run.p99Millis(), run.maxMillis(), run.meanMillis(),
                    run.bodyBytes(), run.background());
        }
    }

    private void printRatios(ScrapeTimer.Stats product1k, ScrapeTimer.Stats reference,
                             ScrapeTimer.Stats referenceAgain, ScrapeTimer.Stats product100k) {
        OUT.printf("%nRatios (target <= 1.2 each)%n");
        ratio("product/static  (A)/(B)   p50", product1k.p50Millis(), reference.p50Millis());
        ratio("product/static  (A)/(B)   p99", product1k.p99Millis(), reference.p99Millis());
        ratio("product/static  (C)/(B')  p50", product100k.p50Millis(), referenceAgain.p50Millis());
        ratio("product/static  (C)/(B')  p99", product100k.p99Millis(), referenceAgain.p99Millis());
        ratio("100k/1k         (C)/(A)   p50", product100k.p50Millis(), product1k.p50Millis());
        ratio("100k/1k         (C)/(A)   p99", product100k.p99Millis(), product1k.p99Millis());
        OUT.printf("  static drift    (B')/(B)  p50 = %.2f, p99 = %.2f%n",
                referenceAgain.p50Millis() / reference.p50Millis(), referenceAgain.p99Millis() / reference.p99Millis());
        // The machine may be busier in one pair than the other: the static server measures that.
        ratio("100k/1k against the static server, ((C)/(B'))/((A)/(B)) p50",
                (product100k.p50Millis() / referenceAgain.p50Millis()) / (product1k.p50Millis() / reference.p50Millis()),
                1);
        ratio("100k/1k against the static server, ((C)/(B'))/((A)/(B)) p99",
                (product100k.p99Millis() / referenceAgain.p99Millis()) / (product1k.p99Millis() / reference.p99Millis()),
                1);
    }

    private static void ratio(String label, double numerator, double denominator) {
        double ratio = numerator / denominator;
        OUT.printf("  %s = %.2f  %s%n", label, ratio, ratio <= 1.2 ? "met" : "NOT met");
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
