package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.it.EmbeddedKafka;
import id.audit.tokenid.app.topology.OrgPartitioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The traffic of one phase of {@link FreshnessBenchmark}: api_call events at a steady rate, each
 * one's send time recorded, in an order the scrapes can be read against.
 *
 * <p>Events are spread over <em>streams</em>: a stream is one org's events in one input
 * partition, and its events carry a model of their own ({@code fresh-p<partition>}), so each
 * stream is one series of {@code llm_requests_total}. Within a stream events are read, (when
 * not in their org's partition) batched and repartitioned, and counted in the order they were
 * sent, so a scrape whose count for the stream is {@code c} has counted exactly its first
 * {@code c} events. Without keys an org's events go round the partitions (3 in 4 cross the
 * by-org topic, as with a producer that does not key); keyed, each org's events go to its own
 * partition, with its id as the key, as Kafka's default partitioner would put them.
 */
final class FreshnessLoad implements AutoCloseable {

    /** Steps of the send schedule: each sends what the rate owes since the start. */
    private static final long TICK_NANOS = Duration.ofMillis(5).toNanos();
    /** Acknowledgement latencies are kept in 1 ms slots up to this; later ones in the last slot. */
    private static final int ACK_SLOTS = 10_001;

    private final String phase;
    private final boolean keyed;
    private final int orgs;
    private final int partitions;
    private final Map<String, Integer> streamOfSeries = new HashMap<>();
    private final long[][] sendNanos;
    private final int[] sent;
    private final AtomicLongArray ackMillis = new AtomicLongArray(ACK_SLOTS);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private long startNanos;
    private long endNanos;

    /**
     * Starts sending {@code rate} events a second to {@code topic} until {@link #stop()}.
     *
     * @param phase prefixes the org ids, so that phases of one run never share a series
     */
    FreshnessLoad(EmbeddedKafka kafka, String topic, String phase, boolean keyed, int orgs, int partitions,
                  double rate) {
        this.phase = phase;
        this.keyed = keyed;
        this.orgs = orgs;
        this.partitions = partitions;
        this.sendNanos = new long[orgs * partitions][1024];
        this.sent = new int[orgs * partitions];
        for (int o = 0; o < orgs; o++) {
            for (int p = 0; p < partitions; p++) {
                streamOfSeries.put(org(o) + '|' + model(p), o * partitions + p);
            }
        }
        this.producer = kafka.producer();
        this.thread = new Thread(() -> run(topic, rate), "freshness-producer-" + phase);
        thread.setDaemon(true);
        thread.start();
    }

    String org(int o) {
        return String.format(Locale.ROOT, "%s-org-%03d", phase, o);
    }

    static String model(int partition) {
        return "fresh-p" + partition;
    }

    int streams() {
        return sendNanos.length;
    }

    /** The stream of a series, or -1 when the series is not one of this load's. */
    int streamOf(String org, String model) {
        return streamOfSeries.getOrDefault(org + '|' + model, -1);
    }

    private void run(String topic, double rate) {
        Random random = new Random(7);
        long seq = 0;
        int[] nextPartition = new int[orgs];
        startNanos = System.nanoTime();
        long tick = startNanos;
        try {
            while (running && failure.get() == null) {
                long owed = (long) ((System.nanoTime() - startNanos) / 1e9 * rate);
                while (seq < owed) {
                    int o = (int) (seq % orgs);
                    String org = org(o);
                    byte[] orgKey = org.getBytes(StandardCharsets.UTF_8);
                    int partition = keyed ? OrgPartitioner.partition(orgKey, partitions)
                            : nextPartition[o]++ % partitions;
                    send(topic, partition, keyed ? orgKey : null, org, o * partitions + partition, seq++, random);
                }
                tick += TICK_NANOS;
                long sleep = tick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        endNanos = System.nanoTime();
    }

    private void send(String topic, int partition, byte[] key, String org, int stream, long seq, Random random) {
        byte[] value = ScrapeTraffic.event(phase, seq, org, "fresh", model(partition), random);
        int rank = sent[stream];
        if (rank == sendNanos[stream].length) {
            sendNanos[stream] = Arrays.copyOf(sendNanos[stream], rank * 2);
        }
        long at = System.nanoTime();
        sendNanos[stream][rank] = at;
        sent[stream] = rank + 1;
        producer.send(new ProducerRecord<>(topic, partition, key, value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            } else {
                long millis = (System.nanoTime() - at) / 1_000_000;
                ackMillis.incrementAndGet((int) Math.min(millis, ACK_SLOTS - 1));
            }
        });
    }

    /** Stops sending, waits for every send to be acknowledged, and fails if one was not. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(30).toMillis());
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("producing the " + phase + " events failed", failure.get());
        }
    }

    // Read only after stop(): the join orders the producer thread's writes before the reads.

    long startNanos() {
        return startNanos;
    }

    long endNanos() {
        return endNanos;
    }

    int sent(int stream) {
        return sent[stream];
    }

    long sendNanos(int stream, int rank) {
        return sendNanos[stream][rank];
    }

    long totalSent() {
        return Arrays.stream(sent).asLongStream().sum();
    }

    /** The {@code q} quantile of send-to-acknowledgement times, in milliseconds (1 ms slots). */
    long ackMillis(double q) {
        long total = 0;
        for (int i = 0; i < ACK_SLOTS; i++) {
            total += ackMillis.get(i);
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < ACK_SLOTS; i++) {
            seen += ackMillis.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return ACK_SLOTS - 1;
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(10));
    }
}
