package id.audit.tokenid.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One timed run of a Kafka Streams application over a topic that is already full: from the call
 * that starts it until its consumer group has committed the end of the input topic and then the
 * end of every repartition topic it reads, so that the work after the repartition is inside the
 * measurement too. Committed offsets are read with the Admin client every 200 ms.
 *
 * @param toRunningNanos       from the start call to the first RUNNING state
 * @param inputCommittedNanos  until the input topic's end offsets were committed
 * @param allCommittedNanos    until the repartition topics' ends were committed as well
 * @param cores                CPU of the whole process (broker included) over the run, in cores
 * @param otherCores           CPU of every other process on the machine over the run, in cores
 * @param streamThreadCpu      CPU time of the stream thread over the run, as a share of it
 * @param droppedRecords       Kafka Streams' own count of records it skipped (task metric
 *                             {@code dropped-records-total}), e.g. as too late for a window
 * @param fetches              the main consumers' fetch metrics at the end (size, records and
 *                             latency per fetch), to tell a slow broker from a late request
 * @param work                 Kafka writes, bytes and allocations per event ({@link WorkPerEvent})
 * @param threadCpu            cores used by each group of this process's threads over the run
 *                             ({@link ThreadCpu}: the broker's, the application's, GC, RocksDB)
 */
record StreamsRun(String name, long records, long toRunningNanos, long inputCommittedNanos, long allCommittedNanos,
                  double cores, double otherCores, double streamThreadCpu, long droppedRecords, String fetches,
                  WorkPerEvent work, String threadCpu) {

    private static final long OFFSET_POLL_NANOS = Duration.ofMillis(200).toNanos();

    /** A started application and what closes it. */
    record Started(KafkaStreams streams, AutoCloseable closer) {
    }

    /** Events per second once RUNNING: the start-up (state stores, group join) left out. */
    double eventsPerSecondOnceRunning() {
        return records * 1e9 / (allCommittedNanos - toRunningNanos);
    }

    double eventsPerSecond() {
        return records * 1e9 / allCommittedNanos;
    }

    static StreamsRun measure(String name, String applicationId, String bootstrapServers, String inputTopic,
                              long records, Duration timeout, Callable<Started> start) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, Long> inputEnd = endOffsets(admin, partitions(admin, Set.of(inputTopic)));
            CpuClock cpu = CpuClock.start();
            ThreadCpu threads = ThreadCpu.snapshot();
            long started = System.nanoTime();
            Started app = start.call();
            try (AutoCloseable closer = app.closer()) {
                long deadline = started + timeout.toNanos();
                long running = -1;
                long inputDone = -1;
                long nextOffsetPoll = started;
                while (true) {
                    long now = System.nanoTime();
                    KafkaStreams.State state = app.streams().state();
                    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                            || state == KafkaStreams.State.NOT_RUNNING) {
                        throw new IllegalStateException(name + ": the application stopped in state " + state);
                    }
                    if (now - deadline > 0) {
                        throw new IllegalStateException(name + ": not done after " + timeout + " (state " + state
                                + ", input " + (inputDone < 0 ? "not yet" : "") + " committed)");
                    }
                    if (running < 0 && state == KafkaStreams.State.RUNNING) {
                        running = now - started;
                    }
                    if (running >= 0 && now - nextOffsetPoll >= 0) {
                        nextOffsetPoll = now + OFFSET_POLL_NANOS;
                        Map<TopicPartition, Long> committed = committed(admin, applicationId);
                        if (inputDone < 0 && reached(committed, inputEnd)) {
                            inputDone = now - started;
                        }
                        if (inputDone >= 0 && repartitionsDone(admin, bootstrapServers, applicationId, committed)) {
                            double threadCpu = streamThreadCpuNanos(applicationId) / (double) (now - started);
                            return new StreamsRun(name, records, running, inputDone, now - started,
                                    cpu.coresSince(now - started), cpu.otherCoresSince(now - started), threadCpu,
                                    droppedRecords(app.streams()), fetches(app.streams()),
                                    WorkPerEvent.of(app.streams(), applicationId, records),
                                    threads.coresSince(now - started, 10));
                        }
                    }
                    Thread.sleep(10);
                }
            }
        }
    }

    /**
     * Whether every partition of the application's repartition topics is committed to its end.
     * Those topics are written in transactions, so a partition ends with a commit marker which
     * the last committed offset may or may not have stepped over; one short of the end counts
     * only when a read_committed consumer finds no record there.
     */
    private static boolean repartitionsDone(Admin admin, String bootstrapServers, String applicationId,
                                            Map<TopicPartition, Long> committed) throws Exception {
        Set<String> topics = admin.listTopics().names().get().stream()
                .filter(topic -> topic.startsWith(applicationId + "-") && topic.endsWith("-repartition"))
                .collect(Collectors.toSet());
        if (topics.isEmpty()) {
            throw new IllegalStateException(applicationId + " has no repartition topic to wait for");
        }
        Map<TopicPartition, Long> end = endOffsets(admin, partitions(admin, topics));
        Map<TopicPartition, Long> oneShort = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            long at = committed.getOrDefault(partition.getKey(), 0L);
            if (at < partition.getValue() - 1) {
                return false;
            }
            if (at == partition.getValue() - 1) {
                oneShort.put(partition.getKey(), at);
            }
        }
        return oneShort.isEmpty() || onlyMarkersAt(bootstrapServers, oneShort);
    }

    private static boolean onlyMarkersAt(String bootstrapServers, Map<TopicPartition, Long> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), // purged below the offset: past it
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(offsets.keySet());
            offsets.forEach(consumer::seek);
            if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                return false;
            }
            return offsets.entrySet().stream().allMatch(at -> consumer.position(at.getKey()) > at.getValue());
        }
    }

    private static String fetches(KafkaStreams streams) {
        StringBuilder out = new StringBuilder();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("consumer-fetch-manager-metrics") && !name.tags().containsKey("topic")
                    && !name.tags().containsKey("partition") && name.tags().getOrDefault("client-id", "").endsWith("-consumer")
                    && !name.tags().get("client-id").endsWith("restore-consumer")
                    && List.of("fetch-total", "fetch-size-avg", "records-per-request-avg", "fetch-latency-avg",
                            "fetch-latency-max", "records-lag-max").contains(name.name())) {
                Object value = metric.metricValue();
                out.append(String.format(" %s=%s", name.name(),
                        value instanceof Double d ? String.format("%,.1f", d) : value));
            }
        });
        return out.toString().trim();
    }

    private static long droppedRecords(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("stream-task-metrics")
                        && metric.getKey().name().equals("dropped-records-total"))
                .mapToLong(metric -> ((Number) metric.getValue().metricValue()).longValue())
                .sum();
    }

    private static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    private static List<TopicPartition> partitions(Admin admin, Set<String> topics) throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
        return described.values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                .toList();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions)
            throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The application's (single) stream thread, found by Kafka Streams' naming of it. */
    static Optional<Thread> streamThread(String applicationId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(applicationId + "-")
                        && thread.getName().contains("-StreamThread-"))
                .findFirst();
    }

    private static long streamThreadCpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return streamThread(applicationId).map(thread -> threads.getThreadCpuTime(thread.getId())).orElse(0L);
    }
}
