package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.StreamsRuntime;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.it.EmbeddedKafka;
import id.audit.tokenid.app.topology.IngestMetrics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Issue 12, item 3: memory that does not grow with traffic. The product (production settings,
 * dedup on with its default one-hour window, 2 stream threads, default {@code --rocksdb-memory})
 * counts a topic of {@code -Dmemory.ids} (20,000,000) events with distinct ids, keyed by org, all
 * arriving inside one dedup window, so that every id is held by the dedup at the end; before it,
 * the same over {@code -Dmemory.shortIds} (2,000,000), for the throughput ratio. Then the long
 * run's application is started again over its own state: the time to RUNNING (stores answer),
 * then, with one new event per org, the time until the dedup index is rebuilt from the stored
 * chunks (each task rebuilds at its first record; the tasks' log lines give each task's share). An untimed
 * warm-up of {@code -Dmemory.warmup} (300,000) events comes first, so neither timed run is the
 * one that pays for the JIT.
 *
 * <p>Everything runs in this one JVM, started with {@code -Xmx1g} by the {@code memory} profile:
 * the broker, the producer and Kafka Streams share that heap, so the heap and RSS figures are
 * those of the process that runs Kafka Streams, broker included (an upper bound for the
 * instance alone). A {@code main}, not a test: it asserts nothing about time. Command: BENCHMARKS.md.
 */
public final class MemoryBenchmark {

    private static final PrintStream OUT = System.out;
    private static final String TOKENS_TOPIC = "memory-api-tokens";
    private static final String PRICES_TOPIC = "memory-api-prices";
    private static final String BUDGETS_TOPIC = "memory-api-budgets";
    private static final int ORGS = 100;
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-pro"};

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        long ids = Long.getLong("memory.ids", 20_000_000);
        long shortIds = Long.getLong("memory.shortIds", 2_000_000);
        long warmup = Long.getLong("memory.warmup", 300_000);
        int partitions = Integer.getInteger("memory.partitions", 4);
        int threads = Integer.getInteger("memory.threads", 2);
        Duration timeout = Duration.ofMinutes(Long.getLong("memory.timeoutMinutes", 40));
        OUT.printf("MemoryBenchmark: %,d distinct ids (short run %,d), %d partitions, %d stream threads, %d cores, "
                        + "JDK %s, max heap %d MiB (broker, producer and Kafka Streams in this one JVM)%n",
                ids, shortIds, partitions, threads, CpuClock.availableCores(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        Path stateRoot = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tokenid-memory-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); MemoryWatch watch = new MemoryWatch()) {
            IngestBenchmark.warmUpCoordinators(kafka);
            kafka.createTopic(TOKENS_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            kafka.createTopic(PRICES_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            kafka.createTopic(BUDGETS_TOPIC, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

            if (warmup > 0) {
                // Untimed: the JIT compiles the code here, so the short run is not the cold one.
                StreamsRun warm = phase(kafka, watch, stateRoot, "warmup", warmup, 3, partitions, threads, timeout);
                OUT.printf("warm-up (in no ratio): %,.0f events/s once RUNNING%n", warm.eventsPerSecondOnceRunning());
            }
            StreamsRun shortRun = phase(kafka, watch, stateRoot, "short", shortIds, 1, partitions, threads, timeout);
            MemoryWatch.Figures shortFigures = watch.figures();
            print("short run", shortRun, shortFigures);

            StreamsRun longRun = phase(kafka, watch, stateRoot, "long", ids, 2, partitions, threads, timeout);
            MemoryWatch.Figures longFigures = watch.figures();
            print("long run", longRun, longFigures);

            watch.reset();
            Restart restart = restart(kafka, stateRoot, "long", ids, threads, timeout);
            MemoryWatch.Figures restartFigures = watch.figures();
            OUT.printf("%nRestart of the long run's application over its own state (index rebuilt from the chunks of "
                    + "%,d ids at each task's first record): start to RUNNING %.1f s, to every id indexed %.1f s%n",
                    ids, restart.runningNanos() / 1e9, restart.rebuiltNanos() / 1e9);
            printMemory(restartFigures);

            double ratio = longRun.eventsPerSecondOnceRunning() / shortRun.eventsPerSecondOnceRunning();
            OUT.printf("%nThroughput, events/s once RUNNING: long %,.0f / short %,.0f = %.2f (target: within 20%%, "
                    + "i.e. >= 0.80): %s%n", longRun.eventsPerSecondOnceRunning(), shortRun.eventsPerSecondOnceRunning(),
                    ratio, ratio >= 0.8 ? "met" : "NOT met");
            OUT.printf("No OutOfMemoryError: every phase finished (heap max %d MiB)%n",
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            IngestBenchmark.deleteRecursively(stateRoot);
        }
    }

    private static StreamsRun phase(EmbeddedKafka kafka, MemoryWatch watch, Path stateRoot, String name, long ids,
                                    long seed, int partitions, int threads, Duration timeout) throws Exception {
        String topic = "memory-" + name;
        kafka.createTopic(topic, partitions, Map.of());
        CpuClock cpu = CpuClock.start();
        long started = System.nanoTime();
        long bytes = produce(kafka, topic, ids, seed);
        long took = System.nanoTime() - started;
        OUT.printf("%nProduced %,d events with distinct ids (%s), %,d MiB, in %.1f s (other processes: %.2f cores)%n",
                ids, topic, bytes >> 20, took / 1e9, cpu.otherCoresSince(took));
        watch.reset();
        String appId = appId(name);
        kafka.createTopic(appId + ".dlq", 1, Map.of());
        return StreamsRun.measure(name, appId, kafka.bootstrapServers(), topic, ids, timeout, () -> {
            StreamsRuntime runtime = StreamsRuntime.start(config(kafka, stateRoot, topic, appId, threads),
                    overrides(threads), IngestMetrics.none());
            return new StreamsRun.Started(runtime.streams(), runtime::close);
        });
    }

    /** What the restart took: start to RUNNING (stores answer), and start to every id indexed again (counting resumes). */
    private record Restart(long runningNanos, long rebuiltNanos) {
    }

    /**
     * Starts the application of a finished phase again over its state, waits for RUNNING, then
     * sends one new event per org (each task rebuilds its dedup index at its first record) and
     * waits until the index holds every id of the phase again.
     */
    private static Restart restart(EmbeddedKafka kafka, Path stateRoot, String name, long ids, int threads,
                                   Duration timeout) throws Exception {
        String appId = appId(name);
        AtomicLong indexed = new AtomicLong();
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        try (StreamsRuntime runtime = StreamsRuntime.start(config(kafka, stateRoot, "memory-" + name, appId, threads),
                overrides(threads), countingIndexedIds(indexed))) {
            while (runtime.streams().state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() - deadline > 0 || runtime.streams().state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("restart: not RUNNING, state " + runtime.streams().state());
                }
                Thread.sleep(20);
            }
            long running = System.nanoTime() - started;
            produceOnePerOrg(kafka, "memory-" + name);
            while (indexed.get() < ids) {
                if (System.nanoTime() - deadline > 0 || runtime.streams().state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("restart: " + indexed.get() + " of " + ids + " ids indexed, state "
                            + runtime.streams().state());
                }
                Thread.sleep(20);
            }
            return new Restart(running, System.nanoTime() - started);
        }
    }

    private static IngestMetrics countingIndexedIds(AtomicLong indexed) {
        return new IngestMetrics.Ignored() {
            @Override
            public void dedupIdsIndexed(long delta) {
                indexed.addAndGet(delta);
            }
        };
    }

    private static void produceOnePerOrg(EmbeddedKafka kafka, String topic) throws Exception {
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int org = 0; org < ORGS; org++) {
                byte[] value = ("{\"type\":\"api_call\",\"event_id\":\"evt-restart-" + org + "\",\"org_id\":\"org-" + org
                        + "\",\"provider\":\"openai\",\"model\":\"" + MODELS[0] + "\",\"input_tokens\":1,"
                        + "\"output_tokens\":1,\"cost_usd\":0.001,\"timestamp\":" + now + "}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, null, now, ("org-" + org).getBytes(StandardCharsets.UTF_8),
                        value)).get();
            }
        }
    }

    private static AppConfig config(EmbeddedKafka kafka, Path stateRoot, String topic, String appId, int threads) {
        return new AppConfig(kafka.bootstrapServers(), topic, appId + ".dlq", TOKENS_TOPIC,
                Optional.empty(), appId, stateRoot.resolve(appId), 0, 0, new AppConfig.Endpoint("localhost", 0), 0,
                threads, Duration.ofHours(1), Duration.ofMinutes(1))
                .withBudgetsTopic(BUDGETS_TOPIC).withPrices(Optional.empty(), PRICES_TOPIC);
    }

    private static Map<String, Object> overrides(int threads) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        overrides.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return overrides;
    }

    private static String appId(String name) {
        return "memory-" + name + "-" + ProcessHandle.current().pid();
    }

    /**
     * Events with distinct ids, keyed by org (the fast path: no by-org repartition, so the run is
     * about the dedup), event times within the last 30 minutes. Returns the bytes written.
     */
    private static long produce(EmbeddedKafka kafka, String topic, long count, long seed) {
        Random random = new Random(seed);
        long now = System.currentTimeMillis();
        long bytes = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024))) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                String org = "org-" + random.nextInt(ORGS);
                long time = now - random.nextInt(30 * 60_000);
                byte[] value = ("{\"type\":\"api_call\",\"event_id\":\"evt-" + seed + "-"
                        + Long.toHexString(i * 0x9E3779B97F4A7C15L) + "\",\"org_id\":\"" + org
                        + "\",\"provider\":\"openai\",\"model\":\"" + MODELS[random.nextInt(MODELS.length)]
                        + "\",\"input_tokens\":" + random.nextInt(8000) + ",\"output_tokens\":" + random.nextInt(2000)
                        + ",\"cost_usd\":0.00" + (1 + random.nextInt(99999)) + ",\"timestamp\":" + time + "}")
                        .getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, time, org.getBytes(StandardCharsets.UTF_8), value),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the benchmark traffic failed", failure.get());
        }
        return bytes;
    }

    private static void print(String name, StreamsRun run, MemoryWatch.Figures figures) {
        OUT.printf("%s: %,d events, start to all committed %.1f s, %,.0f events/s once RUNNING (%,.0f from the start "
                        + "call); process CPU %.2f cores, other processes %.2f cores%n", name, run.records(),
                run.allCommittedNanos() / 1e9, run.eventsPerSecondOnceRunning(), run.eventsPerSecond(), run.cores(),
                run.otherCores());
        printMemory(figures);
    }

    private static void printMemory(MemoryWatch.Figures f) {
        OUT.printf("  heap: used peak %,d MiB (sampled every 50 ms), heap pools' peaks summed %,d MiB, "
                        + "live after GC peak %,d MiB%n", f.heapUsedPeak() >> 20, f.heapPoolPeaks() >> 20,
                f.heapAfterGcPeak() >> 20);
        OUT.printf("  RSS: peak %,d MiB (sampled), VmHWM %,d MiB (%s)%n", f.rssPeak() >> 20, f.vmHwm() >> 20,
                f.hwmReset() ? "reset at the phase's start" : "since the JVM started: clear_refs not allowed");
        OUT.printf("  GC pauses: %,d, p50 %.0f ms, p99 %.0f ms, max %.0f ms, %.1f s paused in all%n", f.pauses(),
                f.pauseP50(), f.pauseP99(), f.pauseMax(), f.pausedMillis() / 1e3);
    }
}
