package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.it.EmbeddedKafka;
import id.audit.tokenid.app.topology.IngestMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Ingest throughput of the product's topology against Kafka's own consumer and against a
 * plain DSL version, on one in-process KRaft broker, one run after another. The same records go
 * to two topics, one without keys and one keyed by org id; on each:
 *
 * <ol>
 *   <li>(a) {@code ConsumerPerformance} in a JVM of its own, as its script runs it: the ceiling of
 *       reading the topic at all;</li>
 *   <li>(b) the product, dedup on, production streams settings (exactly-once v2, transactional
 *       stores, 500 ms commits), 2 stream threads by default;</li>
 *   <li>(c) the same with dedup off;</li>
 *   <li>(d) {@link BaselineTopology}, as many stream threads (on the topic without keys only);</li>
 * </ol>
 * then (a) again, inside this JVM, where the streams runs have warmed up the client code, and
 * optionally (b) on the keyed topic again
 * under {@link StackSampler}, to show what limits it.
 *
 * A {@code main}, not a test: it asserts nothing about time. Run it with the {@code bench}
 * profile (see BENCHMARKS.md). Settings: {@code -Dbench.events} (default 2,000,000),
 * {@code -Dbench.partitions} (4), {@code -Dbench.threads} (2, the product's default: stream threads of (b) and (c)),
 * {@code -Dbench.profile} (true), {@code -Dbench.profileDedup} (true: the profiled run has dedup on),
 * {@code -Dbench.inputs} ({@code nokey,keyed}), {@code -Dbench.baseline} (true: run (d)),
 * {@code -Dbench.override} (none: {@code key=value,...} streams settings for experiments),
 * {@code -Dbench.ab} (none: {@code key=value,...} runs an A/B of the product instead, see {@link #abRuns}),
 * {@code -Dbench.warmup} (300,000: events of the untimed warm-up runs, see {@link #warmUp}; 0 skips them),
 * {@code -Dbench.timeoutMinutes} (20, for each phase),
 * {@code -Dbench.hotTenant} (false: true runs {@link #hotTenantRuns} instead of all the above).
 */
public final class IngestBenchmark {

    private static final String INPUT_TOPIC = "bench-api-calls";
    private static final String TOKENS_TOPIC = "bench-api-tokens";
    private static final String PRICES_TOPIC = "bench-api-prices";
    private static final String BUDGETS_TOPIC = "bench-api-budgets";
    private static final PrintStream OUT = System.out;
    /** Which input topics to measure: "nokey", "keyed" or both (default). */
    private static final String INPUTS = System.getProperty("bench.inputs", "nokey,keyed");
    private static final boolean BASELINE = Boolean.parseBoolean(System.getProperty("bench.baseline", "true"));
    /** Extra streams settings for experiments, {@code -Dbench.override=key=value,key=value}; none by default. */
    private static final Map<String, Object> EXTRA_OVERRIDES = parseOverrides(System.getProperty("bench.override", ""));
    /** A/B mode: {@code -Dbench.ab=key=value,...} runs only the product, alternating without and with these. */
    private static final Map<String, Object> AB_OVERRIDES = parseOverrides(System.getProperty("bench.ab", ""));
    private static final boolean PROFILE_DEDUP = Boolean.parseBoolean(System.getProperty("bench.profileDedup", "true"));
    /** Events of the untimed warm-up runs before the timed ones; 0 skips them. */
    private static final long WARMUP_EVENTS = Long.getLong("bench.warmup", 300_000);
    /** Issue 12, item 4: uniform against one org with half the events, both without keys. */
    private static final boolean HOT_TENANT = Boolean.parseBoolean(System.getProperty("bench.hotTenant", "false"));

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT); // ConsumerPerformance formats its figures with the default locale
        long events = Long.getLong("bench.events", 2_000_000);
        int partitions = Integer.getInteger("bench.partitions", 4);
        int threads = Integer.getInteger("bench.threads", 2);
        boolean profile = Boolean.parseBoolean(System.getProperty("bench.profile", "true"));
        Duration timeout = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 20));
        if (events < 1) {
            throw new IllegalArgumentException("bench.events must be positive, was " + events);
        }
        OUT.printf("IngestBenchmark: %,d events, %d partitions, %d cores, JDK %s, max heap %d MiB%n", events,
                partitions, CpuClock.availableCores(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);

        // Under target/, not the OS temp folder: Kafka Streams warns about a state directory there.
        Path stateRoot = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tokenid-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             AutoCloseable recording = FlightRecording.startIfAsked(System.getProperty("bench.jfr", ""))) {
            run(kafka, stateRoot, events, partitions, threads, profile, timeout);
        } finally {
            deleteRecursively(stateRoot);
        }
    }

    /** One input topic of the run: the same records, with no key or keyed by org id. */
    private record Input(String name, String topic, boolean keyedByOrg) {
    }

    /** What was measured on one input topic. */
    private record Results(Input input, ConsumerPerfRun consumerPerf, StreamsRun dedupOn, StreamsRun dedupOff,
                           StreamsRun baseline) {
    }

    private static void run(EmbeddedKafka kafka, Path stateRoot, long events, int partitions, int threads,
                            boolean profile, Duration timeout) throws Exception {
        warmUpCoordinators(kafka);
        kafka.createTopic(TOKENS_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        kafka.createTopic(PRICES_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        kafka.createTopic(BUDGETS_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        if (HOT_TENANT) {
            hotTenantRuns(kafka, stateRoot, events, partitions, threads, timeout);
            return;
        }
        List<Input> inputs = new java.util.ArrayList<>();
        if (INPUTS.contains("nokey")) {
            inputs.add(new Input("no key", INPUT_TOPIC, false));
        }
        if (INPUTS.contains("keyed")) {
            inputs.add(new Input("keyed by org", INPUT_TOPIC + "-keyed", true));
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("bench.inputs must name nokey, keyed or both, was " + INPUTS);
        }
        for (Input input : inputs) {
            kafka.createTopic(input.topic(), partitions, Map.of());
            CpuClock cpu = CpuClock.start();
            BenchTraffic.Written written = BenchTraffic.produce(kafka, input.topic(), events, 42, input.keyedByOrg());
            OUT.printf("Produced %,d records (%s; %,d repeats, %,d bad), %,d MiB, in %.1f s: %,.0f records/s "
                            + "(other processes: %.2f cores)%n",
                    written.records(), input.name(), written.repeats(), written.bad(), written.bytes() >> 20,
                    written.nanos() / 1e9, written.records() * 1e9 / written.nanos(),
                    cpu.otherCoresSince(written.nanos()));
        }

        warmUp(kafka, stateRoot, partitions, threads, timeout);
        if (!AB_OVERRIDES.isEmpty()) {
            abRuns(kafka, stateRoot, inputs, events, threads, timeout);
            return;
        }
        String bootstrap = kafka.bootstrapServers();
        List<Results> results = new java.util.ArrayList<>();
        for (Input input : inputs) {
            String suffix = input.keyedByOrg() ? "-keyed" : "";
            OUT.println("\n(a) ConsumerPerformance in a JVM of its own, " + input.name());
            ConsumerPerfRun consumerPerf = ConsumerPerfRun.runInFreshJvm(bootstrap, input.topic(), events);
            OUT.println("\n(b) product, dedup on, " + input.name());
            StreamsRun dedupOn = product(kafka, stateRoot, input.topic(), "product-dedup-on" + suffix, true, events,
                    threads, timeout, () -> { });
            OUT.println("\n(c) product, dedup off, " + input.name());
            StreamsRun dedupOff = product(kafka, stateRoot, input.topic(), "product-dedup-off" + suffix, false,
                    events, threads, timeout, () -> { });
            StreamsRun baseline = null;
            if (!input.keyedByOrg() && BASELINE) {
                // The baseline re-keys by (org, provider, model) whatever the input key: one topic is enough.
                OUT.println("\n(d) baseline DSL, " + input.name());
                baseline = baseline(kafka, stateRoot, input.topic(), events, threads, timeout);
            }
            results.add(new Results(input, consumerPerf, dedupOn, dedupOff, baseline));
        }
        OUT.println("\n(a') ConsumerPerformance again, in this JVM (warm), " + inputs.get(0).name());
        ConsumerPerfRun consumerPerfAgain = ConsumerPerfRun.run(bootstrap, inputs.get(0).topic(), events);

        printTable(events, threads, results, consumerPerfAgain);

        if (profile) {
            Input profiled = inputs.get(inputs.size() - 1);
            OUT.println("\n(b') product, dedup " + (PROFILE_DEDUP ? "on, " : "off, ") + profiled.name()
                    + ", stream thread sampled every 10 ms");
            String name = "profiled-product-dedup-" + (PROFILE_DEDUP ? "on" : "off");
            try (StackSampler sampler = StackSampler.start(appId(name), Duration.ofMillis(10))) {
                // The sampler stops when the run is done, before the shutdown, which is not part of the run.
                StreamsRun run = product(kafka, stateRoot, profiled.topic(), name, PROFILE_DEDUP, events, threads, timeout,
                        sampler::close);
                OUT.printf("(b') %,.0f events/s while sampled (%.1f s; stream thread on CPU %.0f%% of it; "
                                + "process %.2f cores, other processes %.2f cores)%n",
                        run.eventsPerSecond(), run.allCommittedNanos() / 1e9,
                        100 * run.streamThreadCpu(), run.cores(), run.otherCores());
                OUT.println("(b') main consumer: " + run.fetches());
                sampler.print(OUT, 15);
            }
        }
    }

    /**
     * A/B in one run: on each input, the product with production settings (A) and with the
     * {@code -Dbench.ab} settings (B), in the order A B B A for dedup off and then on, so that
     * a drift of the machine over the run hits both sides alike.
     */
    private static void abRuns(EmbeddedKafka kafka, Path stateRoot, List<Input> inputs, long events, int threads,
                               Duration timeout) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        int run = 0;
        for (Input input : inputs) {
            for (boolean dedup : new boolean[] {false, true}) {
                StreamsRun[][] results = new StreamsRun[2][2];
                for (int round = 0; round < 2; round++) {
                    // A B, then B A: neither side always runs first.
                    for (int turn = 0; turn < 2; turn++) {
                        int side = round == 0 ? turn : 1 - turn;
                        String name = "ab-" + (run++) + (side == 0 ? "-a" : "-b");
                        OUT.printf("%n(%s) dedup %s, %s, round %d%n", side == 0 ? "A" : "B", dedup ? "on" : "off",
                                input.name(), round + 1);
                        results[side][round] = product(kafka, stateRoot, input.topic(), name, dedup, events, threads,
                                timeout, () -> { }, side == 0 ? EXTRA_OVERRIDES : AB_OVERRIDES);
                        OUT.printf("    %s%n    cores by thread: %s%n", results[side][round].work().line(),
                                results[side][round].threadCpu());
                    }
                }
                lines.add(String.format("%-14s dedup %-3s  A %s %s   B %s %s   B/A %.3f, once RUNNING %.3f",
                        input.name(), dedup ? "on" : "off", abCell(results[0][0]), abCell(results[0][1]),
                        abCell(results[1][0]), abCell(results[1][1]),
                        (results[1][0].eventsPerSecond() + results[1][1].eventsPerSecond())
                                / (results[0][0].eventsPerSecond() + results[0][1].eventsPerSecond()),
                        (results[1][0].eventsPerSecondOnceRunning() + results[1][1].eventsPerSecondOnceRunning())
                                / (results[0][0].eventsPerSecondOnceRunning() + results[0][1].eventsPerSecondOnceRunning())));
            }
        }
        OUT.printf("%nA/B, %,d events each, events/s per round (RUNNING after s); order A B, B A; A = production "
                + "settings%s, B = A + %s%n", events, EXTRA_OVERRIDES.isEmpty() ? "" : " + " + EXTRA_OVERRIDES, AB_OVERRIDES);
        lines.forEach(OUT::println);
    }

    /**
     * Issue 12, item 4: the same amount of traffic without keys, once spread over 100 orgs and
     * once with {@link BenchTraffic#HOT_ORG} holding half of it, through the product with dedup
     * off and on, in the order uniform, hot (dedup off), hot, uniform (dedup on), so a drift of
     * the machine hits both sides alike. Prints each rate and the hot/uniform ratio (target:
     * at least 0.8).
     */
    private static void hotTenantRuns(EmbeddedKafka kafka, Path stateRoot, long events, int partitions, int threads,
                                      Duration timeout) throws Exception {
        String uniform = INPUT_TOPIC + "-uniform";
        String hot = INPUT_TOPIC + "-hot";
        for (String topic : List.of(uniform, hot)) {
            kafka.createTopic(topic, partitions, Map.of());
            CpuClock cpu = CpuClock.start();
            BenchTraffic.Written written = BenchTraffic.produce(kafka, topic, events, 42, false, topic.equals(hot));
            OUT.printf("Produced %,d records without keys on %s in %.1f s (other processes: %.2f cores)%n",
                    written.records(), topic, written.nanos() / 1e9, cpu.otherCoresSince(written.nanos()));
        }
        OUT.printf("Hot org %s: half of the events of %s; its owner is partition %d of %d%n", BenchTraffic.HOT_ORG, hot,
                id.audit.tokenid.app.topology.OrgPartitioner.partition(
                        BenchTraffic.HOT_ORG.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions), partitions);
        warmUp(kafka, stateRoot, partitions, threads, timeout);
        StreamsRun[][] runs = new StreamsRun[2][2]; // [dedup off, on][uniform, hot]
        for (int dedup = 0; dedup < 2; dedup++) {
            for (int turn = 0; turn < 2; turn++) {
                int side = dedup == 0 ? turn : 1 - turn;
                String topic = side == 0 ? uniform : hot;
                String name = "hot-tenant-" + (side == 0 ? "uniform" : "hot") + "-dedup-" + (dedup == 0 ? "off" : "on");
                OUT.printf("%n%s%n", name);
                runs[dedup][side] = product(kafka, stateRoot, topic, name, dedup == 1, events, threads, timeout,
                        () -> { });
            }
        }
        OUT.printf("%nHot tenant, %,d events without keys each; %d stream thread(s); times from the start call%n",
                events, threads);
        OUT.printf("%-36s %12s %9s %14s %7s %7s%n", "run", "events/s", "total s", "once RUNNING/s", "cores", "others");
        for (int dedup = 0; dedup < 2; dedup++) {
            for (int side = 0; side < 2; side++) {
                StreamsRun run = runs[dedup][side];
                OUT.printf("%-36s %,12.0f %9.1f %,14.0f %7.2f %7.2f%n",
                        (side == 0 ? "uniform" : "hot tenant") + ", dedup " + (dedup == 0 ? "off" : "on"),
                        run.eventsPerSecond(), run.allCommittedNanos() / 1e9, run.eventsPerSecondOnceRunning(),
                        run.cores(), run.otherCores());
            }
        }
        for (int dedup = 0; dedup < 2; dedup++) {
            double ratio = runs[dedup][1].eventsPerSecond() / runs[dedup][0].eventsPerSecond();
            OUT.printf("hot/uniform, dedup %-3s = %.3f   target >= 0.80  %s%n", dedup == 0 ? "off" : "on", ratio,
                    verdict(ratio, 0.8));
        }
    }

    private static String abCell(StreamsRun run) {
        return String.format("%,9.0f (%.1f)", run.eventsPerSecond(), run.toRunningNanos() / 1e9);
    }

    /**
     * Has the broker create its group and transaction state topics before anything is timed;
     * the first consumer group and the first transactional producer would otherwise pay for
     * that inside their run.
     */
    static void warmUpCoordinators(EmbeddedKafka kafka) {
        String topic = "bench-warm-up";
        kafka.createTopic(topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-warm-up"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, new byte[0]));
            producer.commitTransaction();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-warm-up",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("warm-up: no record read back within a minute");
                }
            }
            consumer.commitSync();
        }
    }

    private static StreamsRun product(EmbeddedKafka kafka, Path stateRoot, String inputTopic, String name,
                                      boolean dedup, long events, int threads, Duration timeout, Runnable whenDone)
            throws Exception {
        return product(kafka, stateRoot, inputTopic, name, dedup, events, threads, timeout, whenDone, EXTRA_OVERRIDES);
    }

    private static StreamsRun product(EmbeddedKafka kafka, Path stateRoot, String inputTopic, String name,
                                      boolean dedup, long events, int threads, Duration timeout, Runnable whenDone,
                                      Map<String, Object> extraOverrides) throws Exception {
        String appId = appId(name);
        kafka.createTopic(appId + ".dlq", 1, Map.of());
        AppConfig config = new AppConfig(kafka.bootstrapServers(), inputTopic, appId + ".dlq", TOKENS_TOPIC,
                Optional.empty(), appId, stateRoot.resolve(appId), 0, 0, new AppConfig.Endpoint("localhost", 0), 0,
                threads, dedup ? Duration.ofHours(1) : Duration.ZERO, Duration.ofMinutes(1))
                .withBudgetsTopic(BUDGETS_TOPIC).withPrices(Optional.empty(), PRICES_TOPIC);
        // Production settings (StreamsProperties) but for the thread count, pinned, and the
        // replication factor the single broker allows.
        Map<String, Object> overrides = new java.util.HashMap<>(extraOverrides);
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        overrides.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return StreamsRun.measure(name, appId, kafka.bootstrapServers(), inputTopic, events, timeout, () -> {
            StreamsRuntime runtime = StreamsRuntime.start(config, overrides, IngestMetrics.none());
            return new StreamsRun.Started(runtime.streams(), () -> {
                whenDone.run();
                runtime.close();
            });
        });
    }

    /**
     * Runs the product (dedup on and off) and the baseline once, untimed, over a small topic of
     * its own. Before this, the first streams run of a set was always the slowest, whichever
     * it was (BENCHMARKS.md, run 24): the JIT was still compiling the code every later run found
     * compiled. Now every timed run starts from the same warm JVM, as a long-running service
     * does. ConsumerPerformance (a) is not warmed: it runs in a fresh JVM, as its script does;
     * (a') is the warm figure.
     */
    private static void warmUp(EmbeddedKafka kafka, Path stateRoot, int partitions, int threads, Duration timeout)
            throws Exception {
        if (WARMUP_EVENTS < 1) {
            OUT.println("\nNo warm-up (-Dbench.warmup=0)");
            return;
        }
        String topic = INPUT_TOPIC + "-warmup";
        kafka.createTopic(topic, partitions, Map.of());
        BenchTraffic.produce(kafka, topic, WARMUP_EVENTS, 7, false);
        OUT.printf("%nWarm-up, untimed and in no ratio: the product (dedup on, off) and the baseline over %,d events "
                + "of %s%n", WARMUP_EVENTS, topic);
        List<StreamsRun> runs = new java.util.ArrayList<>();
        runs.add(product(kafka, stateRoot, topic, "warmup-dedup-on", true, WARMUP_EVENTS, threads, timeout, () -> { }));
        runs.add(product(kafka, stateRoot, topic, "warmup-dedup-off", false, WARMUP_EVENTS, threads, timeout, () -> { }));
        if (BASELINE) {
            runs.add(baseline(kafka, stateRoot, topic, "warmup-baseline-dsl", WARMUP_EVENTS, threads, timeout));
        }
        for (StreamsRun run : runs) {
            OUT.printf("  warm-up %-22s %,10.0f events/s%n", run.name(), run.eventsPerSecond());
        }
    }

    private static StreamsRun baseline(EmbeddedKafka kafka, Path stateRoot, String inputTopic, long events,
                                       int threads, Duration timeout) throws Exception {
        return baseline(kafka, stateRoot, inputTopic, "baseline-dsl", events, threads, timeout);
    }

    private static StreamsRun baseline(EmbeddedKafka kafka, Path stateRoot, String inputTopic, String name,
                                       long events, int threads, Duration timeout) throws Exception {
        String appId = appId(name);
        return StreamsRun.measure(name, appId, kafka.bootstrapServers(), inputTopic, events, timeout, () -> {
            KafkaStreams streams = new KafkaStreams(BaselineTopology.build(inputTopic),
                    BaselineTopology.properties(appId, kafka.bootstrapServers(), stateRoot.resolve(appId).toString(),
                            threads));
            streams.start();
            return new StreamsRun.Started(streams, () -> streams.close(Duration.ofSeconds(60)));
        });
    }

    /** Application ids are fresh per JVM, so no run ever finds another's offsets or state. */
    private static String appId(String name) {
        return "bench-" + name + "-" + ProcessHandle.current().pid();
    }

    private static void printTable(long events, int threads, List<Results> results, ConsumerPerfRun again) {
        OUT.printf("%n%,d events; (b) (c) (d) with %d stream thread(s); times from the start call%n", events, threads);
        OUT.printf("%-44s %12s %9s %11s %12s %14s %7s %7s %9s %10s%n", "run", "events/s", "total s", "RUNNING s",
                "input done s", "once RUNNING/s", "cores", "others", "thread %", "dropped");
        for (Results r : results) {
            String on = ", " + r.input().name();
            printConsumerPerf("(a) ConsumerPerformance" + on, r.consumerPerf());
            printStreams("(b) product, dedup on" + on, r.dedupOn());
            printStreams("(c) product, dedup off" + on, r.dedupOff());
            if (r.baseline() != null) {
                printStreams("(d) baseline DSL" + on, r.baseline());
            }
        }
        printConsumerPerf("(a') ConsumerPerformance, this JVM, warm", again);
        for (Results r : results) {
            OUT.printf("ConsumerPerformance fetch.nMsg.sec (join excluded), %s: %,.0f; own wall clock: %,.0f events/s%n",
                    r.input().name(), r.consumerPerf().fetchEventsPerSecond(),
                    events * 1e9 / r.consumerPerf().wallNanos());
        }

        if (!EXTRA_OVERRIDES.isEmpty()) {
            OUT.printf("Streams overrides of (b) and (c) beyond production settings: %s%n", EXTRA_OVERRIDES);
        }
        OUT.printf("%nRatios (events/s over events/s; (a) = ConsumerPerformance's nMsg.sec, own JVM, same topic)%n");
        for (Results r : results) {
            double ceiling = r.consumerPerf().toolEventsPerSecond();
            double on = r.dedupOn().eventsPerSecond();
            double off = r.dedupOff().eventsPerSecond();
            OUT.printf("  %s:%n", r.input().name());
            // Issue 12's targets: without keys >= 0.45 dedup on, >= 0.7 off; keyed >= 0.6 and >= 0.8.
            double onTarget = r.input().keyedByOrg() ? 0.6 : 0.45;
            double offTarget = r.input().keyedByOrg() ? 0.8 : 0.7;
            OUT.printf("    (b)/(a) = %.3f   target >= %.2f  %s%n", on / ceiling, onTarget, verdict(on / ceiling, onTarget));
            OUT.printf("    (c)/(a) = %.3f   target >= %.2f  %s%n", off / ceiling, offTarget,
                    verdict(off / ceiling, offTarget));
            if (r.baseline() != null) {
                OUT.printf("    (b)/(d) = %.3f%n", on / r.baseline().eventsPerSecond());
                OUT.printf("    (c)/(d) = %.3f%n", off / r.baseline().eventsPerSecond());
            }
            OUT.printf("    against (a') instead: (b)/(a') = %.3f, (c)/(a') = %.3f%n",
                    on / again.toolEventsPerSecond(), off / again.toolEventsPerSecond());
        }
    }

    private static void printConsumerPerf(String label, ConsumerPerfRun run) {
        OUT.printf("%-44s %,12.0f %9.1f %11s %12s %14s %7.2f %7.2f %9s %10s%n", label, run.toolEventsPerSecond(),
                run.wallNanos() / 1e9, "-", "-", "-", run.cores(), run.otherCores(), "-", "-");
    }

    private static void printStreams(String label, StreamsRun run) {
        OUT.printf("%-44s %,12.0f %9.1f %11.1f %12.1f %,14.0f %7.2f %7.2f %8.0f%% %,10d%n", label,
                run.eventsPerSecond(), run.allCommittedNanos() / 1e9, run.toRunningNanos() / 1e9,
                run.inputCommittedNanos() / 1e9, run.eventsPerSecondOnceRunning(), run.cores(), run.otherCores(),
                100 * run.streamThreadCpu(), run.droppedRecords());
        OUT.printf("    %s%n", run.work().line());
        OUT.printf("    cores by thread: %s%n", run.threadCpu());
    }

    private static Map<String, Object> parseOverrides(String spec) {
        Map<String, Object> overrides = new java.util.LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("bench.override wants key=value pairs, got " + pair);
                }
                overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return overrides;
    }

    private static String verdict(double ratio, double target) {
        return ratio >= target ? "met" : "NOT met";
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
