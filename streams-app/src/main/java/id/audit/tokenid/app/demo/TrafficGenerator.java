package id.audit.tokenid.app.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces {@link SampleTraffic} to the input topic at a steady rate on its own thread, and
 * counts what the broker acknowledged. Used by {@code demo} (embedded broker) and by
 * {@code demo --traffic-only} (any cluster). A broker that is away is waited for, not fatal.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final double eventsPerSecond;
    private final SampleTraffic traffic;
    private final Thread thread;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong producedBad = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private volatile long lastWarnNanos = System.nanoTime() - WARN_EVERY.toNanos();

    private TrafficGenerator(Producer<byte[], byte[]> producer, String topic, double eventsPerSecond,
                             SampleTraffic traffic) {
        this.producer = producer;
        this.topic = topic;
        this.eventsPerSecond = eventsPerSecond;
        this.traffic = traffic;
        this.thread = new Thread(this::loop, "tokenid-demo-traffic");
        this.thread.setDaemon(true);
    }

    /** Starts producing about {@code eventsPerSecond} events a second to {@code topic}. */
    public static TrafficGenerator start(String bootstrapServers, String topic, double eventsPerSecond) {
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("--rate must be more than 0 events/s, was " + eventsPerSecond);
        }
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "tokenid-demo-traffic",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                // A broker that is not up yet blocks send() for this long, then we retry.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        Producer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        TrafficGenerator generator = new TrafficGenerator(producer, topic, eventsPerSecond,
                new SampleTraffic(new Random(), Clock.systemUTC()));
        generator.thread.start();
        return generator;
    }

    /** Records the broker acknowledged, bad ones included. */
    public long produced() {
        return produced.get();
    }

    /** Bad records (not JSON, negative tokens) among {@link #produced()}. */
    public long producedBad() {
        return producedBad.get();
    }

    /** Records the producer could not deliver. */
    public long failed() {
        return failed.get();
    }

    private void loop() {
        long start = System.nanoTime();
        long sent = 0;
        while (running) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond);
            if (due - sent > 2 * eventsPerSecond + 1) {
                // After a stall (broker away) carry on at the rate instead of bursting the backlog.
                start = System.nanoTime();
                sent = 0;
                continue;
            }
            for (; sent < due && running; sent++) {
                send(traffic.next());
            }
            sleepQuietly(10);
        }
    }

    private void send(SampleTraffic.Event event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.key().getBytes(StandardCharsets.UTF_8), event.value()),
                    (metadata, error) -> {
                        if (error == null) {
                            produced.incrementAndGet();
                            if (event.bad()) {
                                producedBad.incrementAndGet();
                            }
                        } else {
                            failed(error);
                        }
                    });
        } catch (KafkaException e) {
            failed(e);
            sleepQuietly(1_000);
        }
    }

    private void failed(Exception error) {
        failed.incrementAndGet();
        long now = System.nanoTime();
        if (running && now - lastWarnNanos > WARN_EVERY.toNanos()) {
            lastWarnNanos = now;
            LOG.warn("could not produce to {} (will keep trying): {}", topic, error.toString());
        }
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
