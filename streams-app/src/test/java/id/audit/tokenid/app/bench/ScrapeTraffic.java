package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.it.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The api_call traffic of {@link ScrapeLatencyBenchmark}: org {@code big} with
 * {@value #PROVIDERS} × {@value #MODELS} series, "small" orgs with {@value #SMALL_SERIES}
 * series each, one-series orgs to grow the store, and a rate-limited background stream to the
 * small orgs that never adds a series. Every event has a unique {@code event_id}, provider and
 * model, and an event time of now, so every org's rolling 24 h gauge is non-zero.
 */
final class ScrapeTraffic {

    static final String BIG = "big";
    static final int PROVIDERS = 10;
    static final int MODELS = 100;
    static final int BIG_SERIES = PROVIDERS * MODELS;
    static final int BIG_EVENTS_PER_SERIES = 3;
    static final int SMALL_SERIES = 3;
    static final int SMALL_EVENTS_PER_SERIES = 2;

    private ScrapeTraffic() {
    }

    /** Org number {@code i} (1-based) other than {@code big}: {@code org-00001} … */
    static String org(int i) {
        return String.format(Locale.ROOT, "org-%05d", i);
    }

    static String provider(int p) {
        return String.format(Locale.ROOT, "provider-%02d", p);
    }

    static String model(int m) {
        return String.format(Locale.ROOT, "model-%03d-2024-11-20", m);
    }

    /**
     * {@code big}'s series, {@value #BIG_EVENTS_PER_SERIES} events each, and orgs
     * {@code 1..smallOrgs}, {@value #SMALL_SERIES} series of {@value #SMALL_EVENTS_PER_SERIES}
     * events each. Returns the number of records.
     */
    static long produceInitial(EmbeddedKafka kafka, String topic, int smallOrgs) {
        Random random = new Random(1);
        try (Bulk bulk = new Bulk(kafka, topic)) {
            for (int round = 0; round < BIG_EVENTS_PER_SERIES; round++) {
                for (int p = 0; p < PROVIDERS; p++) {
                    for (int m = 0; m < MODELS; m++) {
                        bulk.send(event("init", bulk.count(), BIG, provider(p), model(m), random));
                    }
                }
            }
            for (int i = 1; i <= smallOrgs; i++) {
                for (int s = 0; s < SMALL_SERIES; s++) {
                    for (int e = 0; e < SMALL_EVENTS_PER_SERIES; e++) {
                        bulk.send(smallEvent("init", bulk.count(), i, s, random));
                    }
                }
            }
            return bulk.finish();
        }
    }

    /** One series for each org {@code from..to} (inclusive), one or two events each. */
    static long produceGrowth(EmbeddedKafka kafka, String topic, int from, int to) {
        Random random = new Random(2);
        try (Bulk bulk = new Bulk(kafka, topic)) {
            for (int i = from; i <= to; i++) {
                int events = 1 + (i & 1);
                for (int e = 0; e < events; e++) {
                    bulk.send(event("grow", bulk.count(), org(i), provider(i % PROVIDERS), model(i % MODELS), random));
                }
            }
            return bulk.finish();
        }
    }

    /** An event for small org {@code i}'s series {@code s} (one of its {@value #SMALL_SERIES}). */
    static byte[] smallEvent(String phase, long seq, int i, int s, Random random) {
        return event(phase, seq, org(i), provider((i + s) % PROVIDERS), model((7 * i + s) % MODELS), random);
    }

    static byte[] event(String phase, long seq, String org, String provider, String model, Random random) {
        String json = "{\"type\":\"api_call\",\"event_id\":\"" + phase + "-" + seq
                + "\",\"org_id\":\"" + org
                + "\",\"provider\":\"" + provider
                + "\",\"model\":\"" + model
                + "\",\"input_tokens\":" + random.nextInt(4000)
                + ",\"output_tokens\":" + random.nextInt(1000)
                + ",\"cost_usd\":\"0." + String.format(Locale.ROOT, "%06d", random.nextInt(20_000))
                + "\",\"timestamp\":" + System.currentTimeMillis() + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A producer for a burst of records that fails on the first send error. */
    private static final class Bulk implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long count;

        Bulk(EmbeddedKafka kafka, String topic) {
            this.producer = kafka.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024));
            this.topic = topic;
        }

        long count() {
            return count;
        }

        void send(byte[] value) {
            if (failure.get() != null) {
                throw new IllegalStateException("producing to " + topic + " failed", failure.get());
            }
            producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            count++;
        }

        long finish() {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("producing to " + topic + " failed", failure.get());
            }
            return count;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    /**
     * Events to random small orgs' existing series at a fixed rate, in batches every 10 ms,
     * on its own thread, until closed. {@link #sent()} tells how many so far.
     */
    static final class Background implements AutoCloseable {
        private static final long BATCH_NANOS = Duration.ofMillis(10).toNanos();

        private final KafkaProducer<byte[], byte[]> producer;
        private final Thread thread;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean running = true;

        Background(EmbeddedKafka kafka, String topic, int ratePerSecond, int smallOrgs) {
            this.producer = kafka.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
            int perBatch = Math.max(1, ratePerSecond / 100);
            this.thread = new Thread(() -> run(topic, perBatch, smallOrgs), "bench-background-producer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(String topic, int perBatch, int smallOrgs) {
            Random random = new Random(3);
            long next = System.nanoTime();
            long seq = 0;
            while (running && failure.get() == null) {
                for (int k = 0; k < perBatch; k++) {
                    byte[] value = smallEvent("bg", seq++, 1 + random.nextInt(smallOrgs), random.nextInt(SMALL_SERIES),
                            random);
                    producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
                }
                sent.addAndGet(perBatch);
                next += BATCH_NANOS;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        long sent() {
            if (failure.get() != null) {
                throw new IllegalStateException("background producer failed", failure.get());
            }
            return sent.get();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(10));
        }
    }
}
