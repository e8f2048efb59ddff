package id.audit.tokenid.app.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What one run paid per input event (issue 12 item 1: "count the Kafka writes, bytes and object
 * allocations per event"), read at the end of the run from the application's own client metrics
 * and the JVM's per-thread allocation counters, so that a change can be judged by the work it
 * removes and not only by a throughput that moves 10-20% between runs.
 *
 * <p>Kafka figures are Kafka's producer and consumer metrics (totals since each client started),
 * grouped by the kind of topic: the internal by-org topic, changelogs, and everything else the
 * application writes (dead letters). Allocations are {@code com.sun.management.ThreadMXBean}'s
 * bytes allocated by each live thread whose name carries the application id: its stream threads,
 * and the rest (producer and consumer network threads, the state updater). Restore consumers and
 * the global thread are left out of the Kafka figures: they read what was written, not input.
 *
 * @param events          input events of the run
 * @param written         records produced, by kind of topic
 * @param writtenBytes    bytes produced (Kafka's {@code byte-total}: batches as sent), by kind
 * @param produceRequests requests sent by the stream threads' producers (produce requests and
 *                        the transaction protocol's)
 * @param readBytes       bytes fetched by the main consumers (input and by-org topic together)
 * @param commits         commits of the stream threads (each a transaction under exactly-once)
 * @param streamThreadAllocated bytes allocated by the stream threads
 * @param otherAllocated  bytes allocated by the application's other threads
 */
record WorkPerEvent(long events, Map<String, Long> written, Map<String, Long> writtenBytes, long produceRequests,
                    long readBytes, long commits, long streamThreadAllocated, long otherAllocated) {

    static WorkPerEvent of(KafkaStreams streams, String applicationId, long events) {
        Map<String, Long> written = new TreeMap<>();
        Map<String, Long> writtenBytes = new TreeMap<>();
        long requests = 0;
        long readBytes = 0;
        long commits = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            long value = asLong(entry.getValue().metricValue());
            switch (name.group()) {
                case "producer-topic-metrics" -> {
                    String kind = kindOf(name.tags().get("topic"), applicationId);
                    if (name.name().equals("record-send-total")) {
                        written.merge(kind, value, Long::sum);
                    } else if (name.name().equals("byte-total")) {
                        writtenBytes.merge(kind, value, Long::sum);
                    }
                }
                case "producer-metrics" -> {
                    if (name.name().equals("request-total")) {
                        requests += value;
                    }
                }
                case "consumer-fetch-manager-metrics" -> {
                    if (name.name().equals("bytes-consumed-total") && !name.tags().containsKey("topic")
                            && !name.tags().containsKey("partition") && client.endsWith("-consumer")
                            && !client.endsWith("restore-consumer") && !client.endsWith("global-consumer")) {
                        readBytes += value;
                    }
                }
                case "stream-thread-metrics" -> {
                    if (name.name().equals("commit-total")) {
                        commits += value;
                    }
                }
                default -> { }
            }
        }
        long[] allocated = allocatedBytes(applicationId);
        return new WorkPerEvent(events, written, writtenBytes, requests, readBytes, commits, allocated[0], allocated[1]);
    }

    /** One line for the benchmark's output. */
    String line() {
        StringBuilder out = new StringBuilder("per event:");
        long records = 0;
        long bytes = 0;
        for (Map.Entry<String, Long> kind : written.entrySet()) {
            records += kind.getValue();
        }
        for (long each : writtenBytes.values()) {
            bytes += each;
        }
        out.append(String.format(" written records %.4f, bytes %.1f (", per(records), per(bytes)));
        String separator = "";
        for (Map.Entry<String, Long> kind : written.entrySet()) {
            out.append(separator).append(String.format("%s %.4f rec / %.1f B", kind.getKey(), per(kind.getValue()),
                    per(writtenBytes.getOrDefault(kind.getKey(), 0L))));
            separator = "; ";
        }
        out.append(String.format("), producer requests %.5f, read bytes %.1f, commits %,d;"
                        + " allocated bytes: stream threads %.0f, other threads %.0f",
                per(produceRequests), per(readBytes), commits, per(streamThreadAllocated), per(otherAllocated)));
        return out.toString();
    }

    private double per(long total) {
        return events == 0 ? 0 : total / (double) events;
    }

    private static String kindOf(String topic, String applicationId) {
        if (topic == null) {
            return "unknown";
        }
        if (topic.startsWith(applicationId + "-") && topic.endsWith("-repartition")) {
            return "by-org";
        }
        if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
            return "changelog";
        }
        return topic;
    }

    private static long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : 0L;
    }

    /** Bytes allocated so far by the application's live threads: [stream threads, the others]. */
    private static long[] allocatedBytes(String applicationId) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return new long[] {-1, -1};
        }
        long stream = 0;
        long other = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.getName().contains(applicationId)) {
                continue;
            }
            long bytes = threads.getThreadAllocatedBytes(thread.getId());
            if (bytes < 0) {
                continue;
            }
            if (thread.getName().contains("-StreamThread-") && !thread.getName().contains("producer")
                    && !thread.getName().contains("consumer")) {
                stream += bytes;
            } else {
                other += bytes;
            }
        }
        return new long[] {stream, other};
    }
}
