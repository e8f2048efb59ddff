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
 * plain DSL version, on one in-process KRaft broker and one topic, one run after another:
 *
 * <ol>
 *   <li>(a) {@code ConsumerPerformance}, the ceiling of reading the topic at all;</li>
 *   <li>(b) the product, dedup on, production streams settings (exactly-once v2, transactional
 *       stores, 1 s commits), 1 stream thread;</li>
 *   <li>(c) the same with dedup off;</li>
 *   <li>(d) {@link BaselineTopology}, 1 stream thread;</li>
 *   <li>(a) again, to show how steady the ceiling is;</li>
 *   <li>optionally (b) again under {@link StackSampler}, to show what limits it.</li>
 * </ol>
 *
 * A {@code main}, not a test: it asserts nothing about time. Run it with the {@code bench}
 * profile (see BENCHMARKS.md). Settings: {@code -Dbench.events} (default 2,000,000),
 * {@code -Dbench.partitions} (4), {@code -Dbench.profile} (true), {@code -Dbench.timeoutMinutes}
 * (20, for each phase).
 */
public final class IngestBenchmark {

    private static final String INPUT_TOPIC = "bench-api-calls";
    private static final String TOKENS_TOPIC = "bench-api-tokens";
    private static final PrintStream OUT = System.out;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT); // ConsumerPerformance formats its figures with the default locale
        long events = Long.getLong("bench.events", 2_000_000);
        int partitions = Integer.getInteger("bench.partitions", 4);
        boolean profile = Boolean.parseBoolean(System.getProperty("bench.profile", "true"));
        Duration timeout = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 20));
        if (events < 1) {
            throw new IllegalArgumentException("bench.events must be positive, was " + events);
        }
        OUT.printf("IngestBenchmark: %,d events, %d partitions, %d cores, JDK %s, max heap %d MiB%n", events,
                partitions, CpuClock.availableCores(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);

        Path stateRoot = Files.createTempDirectory("tokenid-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            run(kafka, stateRoot, events, partitions, profile, timeout);
        } finally {
            deleteRecursively(stateRoot);
        }
    }

    private static void run(EmbeddedKafka kafka, Path stateRoot, long events, int partitions, boolean profile,
                            Duration timeout) throws Exception {
        warmUpCoordinators(kafka);
        kafka.createTopic(INPUT_TOPIC, partitions, Map.of());
        kafka.createTopic(TOKENS_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        CpuClock cpu = CpuClock.start();
        BenchTraffic.Written written = BenchTraffic.produce(kafka, INPUT_TOPIC, events, 42);
        OUT.printf("Produced %,d records (%,d repeats, %,d bad), %,d MiB, in %.1f s: %,.0f records/s "
                        + "(other processes: %.2f cores)%n",
                written.records(), written.repeats(), written.bad(), written.bytes() >> 20,
                written.nanos() / 1e9, written.records() * 1e9 / written.nanos(), cpu.otherCoresSince(written.nanos()));

        String bootstrap = kafka.bootstrapServers();
        OUT.println("\n(a) ConsumerPerformance");
        ConsumerPerfRun consumerPerf = ConsumerPerfRun.run(bootstrap, INPUT_TOPIC, events);
        OUT.println("\n(b) product, dedup on");
        StreamsRun dedupOn = product(kafka, stateRoot, "product-dedup-on", true, events, timeout, () -> { });
        OUT.println("\n(c) product, dedup off");
        StreamsRun dedupOff = product(kafka, stateRoot, "product-dedup-off", false, events, timeout, () -> { });
        OUT.println("\n(d) baseline DSL");
        StreamsRun baseline = baseline(kafka, stateRoot, events, timeout);
        OUT.println("\n(a') ConsumerPerformance again");
        ConsumerPerfRun consumerPerfAgain = ConsumerPerfRun.run(bootstrap, INPUT_TOPIC, events);

        printTable(events, consumerPerf, consumerPerfAgain, dedupOn, dedupOff, baseline);

        if (profile) {
            OUT.println("\n(b') product, dedup on, stream thread sampled every 10 ms");
            String appId = appId("profiled-product-dedup-on");
            try (StackSampler sampler = StackSampler.start(appId, Duration.ofMillis(10))) {
                // The sampler stops when the run is done, before the shutdown, which is not part of the run.
                StreamsRun profiled = product(kafka, stateRoot, "profiled-product-dedup-on", true, events, timeout,
                        sampler::close);
                OUT.printf("(b') %,.0f events/s while sampled (%.1f s; stream thread on CPU %.0f%% of it; "
                                + "process %.2f cores, other processes %.2f cores)%n",
                        profiled.eventsPerSecond(), profiled.allCommittedNanos() / 1e9,
                        100 * profiled.streamThreadCpu(), profiled.cores(), profiled.otherCores());
                sampler.print(OUT, 15);
            }
        }
    }

    /**
     * Has the broker create its group and transaction state topics before anything is timed;
     * the first consumer group and the first transactional producer would otherwise pay for
     * that inside their run.
     */
    private static void warmUpCoordinators(EmbeddedKafka kafka) {
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

    private static StreamsRun product(EmbeddedKafka kafka, Path stateRoot, String name, boolean dedup, long events,
                                      Duration timeout, Runnable whenDone) throws Exception {
        String appId = appId(name);
        kafka.createTopic(appId + ".dlq", 1, Map.of());
        AppConfig config = new AppConfig(kafka.bootstrapServers(), INPUT_TOPIC, appId + ".dlq", TOKENS_TOPIC,
                Optional.empty(), appId, stateRoot.resolve(appId), 0, 0, new AppConfig.Endpoint("localhost", 0), 0,
                dedup ? Duration.ofHours(1) : Duration.ZERO, Duration.ofMinutes(1));
        // Production settings (StreamsProperties) but for the thread count, pinned, and the
        // replication factor the single broker allows.
        Map<String, Object> overrides = Map.of(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return StreamsRun.measure(name, appId, kafka.bootstrapServers(), INPUT_TOPIC, events, timeout, () -> {
            StreamsRuntime runtime = StreamsRuntime.start(config, overrides, IngestMetrics.none());
            return new StreamsRun.Started(runtime.streams(), () -> {
                whenDone.run();
                runtime.close();
            });
        });
    }

    private static StreamsRun baseline(EmbeddedKafka kafka, Path stateRoot, long events, Duration timeout)
            throws Exception {
        String appId = appId("baseline-dsl");
        return StreamsRun.measure("baseline-dsl", appId, kafka.bootstrapServers(), INPUT_TOPIC, events, timeout, () -> {
            KafkaStreams streams = new KafkaStreams(BaselineTopology.build(INPUT_TOPIC),
                    BaselineTopology.properties(appId, kafka.bootstrapServers(), stateRoot.resolve(appId).toString()));
            streams.start();
            return new StreamsRun.Started(streams, () -> streams.close(Duration.ofSeconds(60)));
        });
    }

    /** Application ids are fresh per JVM, so no run ever finds another's offsets or state. */
    private static String appId(String name) {
        return "bench-" + name + "-" + ProcessHandle.current().pid();
    }

    private static void printTable(long events, ConsumerPerfRun consumerPerf, ConsumerPerfRun consumerPerfAgain,
                                   StreamsRun dedupOn, StreamsRun dedupOff, StreamsRun baseline) {
        OUT.printf("%n%,d events; (b) (c) (d) with 1 stream thread; times from the start call%n", events);
        OUT.printf("%-36s %12s %9s %11s %12s %7s %7s %9s %10s%n", "run", "events/s", "total s", "RUNNING s",
                "input done s", "cores", "others", "thread %", "dropped");
        printConsumerPerf("(a) ConsumerPerformance", consumerPerf);
        printStreams("(b) product, dedup on", dedupOn);
        printStreams("(c) product, dedup off", dedupOff);
        printStreams("(d) baseline DSL", baseline);
        printConsumerPerf("(a') ConsumerPerformance again", consumerPerfAgain);
        OUT.printf("ConsumerPerformance fetch.nMsg.sec (join excluded): (a) %,.0f, (a') %,.0f; "
                        + "own wall clock: (a) %,.0f, (a') %,.0f events/s%n",
                consumerPerf.fetchEventsPerSecond(), consumerPerfAgain.fetchEventsPerSecond(),
                events * 1e9 / consumerPerf.wallNanos(), events * 1e9 / consumerPerfAgain.wallNanos());

        double ceiling = consumerPerf.toolEventsPerSecond();
        OUT.printf("%nRatios (events/s over events/s; (a) = ConsumerPerformance's nMsg.sec)%n");
        OUT.printf("  (b)/(a) = %.3f   target >= 0.25  %s%n", dedupOn.eventsPerSecond() / ceiling,
                verdict(dedupOn.eventsPerSecond() / ceiling, 0.25));
        OUT.printf("  (c)/(a) = %.3f   target >= 0.5   %s%n", dedupOff.eventsPerSecond() / ceiling,
                verdict(dedupOff.eventsPerSecond() / ceiling, 0.5));
        OUT.printf("  (b)/(d) = %.3f%n", dedupOn.eventsPerSecond() / baseline.eventsPerSecond());
        OUT.printf("  (c)/(d) = %.3f%n", dedupOff.eventsPerSecond() / baseline.eventsPerSecond());
        double again = consumerPerfAgain.toolEventsPerSecond();
        OUT.printf("  against (a') instead: (b)/(a') = %.3f, (c)/(a') = %.3f%n",
                dedupOn.eventsPerSecond() / again, dedupOff.eventsPerSecond() / again);
    }

    private static void printConsumerPerf(String label, ConsumerPerfRun run) {
        OUT.printf("%-36s %,12.0f %9.1f %11s %12s %7.2f %7.2f %9s %10s%n", label, run.toolEventsPerSecond(),
                run.wallNanos() / 1e9, "-", "-", run.cores(), run.otherCores(), "-", "-");
    }

    private static void printStreams(String label, StreamsRun run) {
        OUT.printf("%-36s %,12.0f %9.1f %11.1f %12.1f %7.2f %7.2f %8.0f%% %,10d%n", label, run.eventsPerSecond(),
                run.allCommittedNanos() / 1e9, run.toRunningNanos() / 1e9, run.inputCommittedNanos() / 1e9,
                run.cores(), run.otherCores(), 100 * run.streamThreadCpu(), run.droppedRecords());
    }

    private static String verdict(double ratio, double target) {
        return ratio >= target ? "met" : "NOT met";
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
