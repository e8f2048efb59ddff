package id.audit.tokenid.app.chaos;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import id.audit.tokenid.app.it.IdSpellings;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Seeded api_call traffic at a steady rate, and its oracle. About 2% of the records are bad
 * (four dead-letter reasons), about 2% repeat an earlier event byte for byte into another
 * partition (the dedup must count it once), and the rest are valid: 80% keyed by the
 * normalised org id, 20% without a key on a random partition (so both paths of the topology,
 * local and by-org repartition, are crossed under the faults). The oracle is summed here in
 * plain longs from the values the generator chose, never by the code under test.
 *
 * <p>The producer is idempotent with {@code acks=all} and waits up to ten minutes per record, so
 * a broker that is down for a while delays records but loses none; a record the producer
 * still gives up on is counted in {@link #sendErrors()}, and a run with any is not exact.
 */
final class ChaosTraffic {

    static final String[][] MODELS = {
            {"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet"},
            {"anthropic", "claude-haiku"}, {"google", "gemini-pro"}};
    private static final int RECENT = 4096;

    /** requests, input and output tokens, cost in nano-dollars of one series. */
    static final class Sums {
        long requests;
        long inputTokens;
        long outputTokens;
        long costNanos;
    }

    private final Random random;
    private final int orgs;
    private final int partitions;
    /** org → "provider/model" → sums. Written by the producing thread only; read after join. */
    final Map<String, Map<String, Sums>> oracle = new TreeMap<>();
    final Map<String, Long> badByReason = new TreeMap<>();
    private final byte[][] recentValid = new byte[RECENT][];
    private int recentCount;
    private long nextId;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    long valid;
    long repeats;
    long bad;

    ChaosTraffic(long seed, int orgs, int partitions) {
        this.random = new Random(seed);
        this.orgs = orgs;
        this.partitions = partitions;
    }

    static String org(int i) {
        return "org-" + i;
    }

    /** Produces {@code events} records at {@code ratePerSecond}, blocking until all are acknowledged. */
    void produce(String bootstrap, String topic, long events, int ratePerSecond) throws InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long i = 0; i < events; i++) {
                // Steady rate: record i is due at start + i / rate; sleep in 10 ms steps.
                long due = start + (long) (i * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 10_000_000L) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                producer.send(next(topic), (metadata, error) -> {
                    if (error != null) {
                        sendErrors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    } else {
                        produced.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
    }

    private ProducerRecord<byte[], byte[]> next(String topic) {
        int roll = random.nextInt(1000);
        if (roll < 20) {
            bad++;
            return new ProducerRecord<>(topic, random.nextInt(partitions), null, badRecord());
        }
        if (roll < 40 && recentCount > 0) {
            repeats++;
            byte[] again = recentValid[random.nextInt(Math.min(recentCount, RECENT))];
            return new ProducerRecord<>(topic, random.nextInt(partitions), null, again);
        }
        valid++;
        int o = random.nextInt(orgs);
        String[] series = MODELS[random.nextInt(MODELS.length)];
        long in = random.nextInt(5000);
        long out = random.nextInt(2000);
        long costNanos = (long) random.nextInt(5_000_000) * random.nextInt(50);
        Instant time = Instant.now().minusMillis(random.nextInt(600_000));
        String json = "{\"type\":\"api_call\",\"event_id\":\"chaos-" + nextId++ + "\""
                + ",\"org_id\":\"" + IdSpellings.vary(random, org(o)) + "\""
                + ",\"provider\":\"" + IdSpellings.vary(random, series[0]) + "\",\"model\":\"" + IdSpellings.vary(random, series[1]) + "\""
                + ",\"input_tokens\":" + in + ",\"output_tokens\":" + out
                + ",\"cost_usd\":\"" + BigDecimal.valueOf(costNanos, 9).toPlainString() + "\""
                + ",\"timestamp\":" + time.toEpochMilli() + "}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        recentValid[recentCount++ % RECENT] = value;
        Sums sums = oracle.computeIfAbsent(org(o), k -> new TreeMap<>())
                .computeIfAbsent(series[0] + "/" + series[1], k -> new Sums());
        sums.requests++;
        sums.inputTokens += in;
        sums.outputTokens += out;
        sums.costNanos += costNanos;
        boolean keyed = random.nextInt(5) != 0;
        return keyed
                ? new ProducerRecord<>(topic, org(o).getBytes(StandardCharsets.UTF_8), value)
                : new ProducerRecord<>(topic, random.nextInt(partitions), null, value);
    }

    private byte[] badRecord() {
        long n = nextId++;
        String[] reasons = {"not_json", "not_object", "missing_org_id", "invalid_cost"};
        String reason = reasons[random.nextInt(reasons.length)];
        String value = switch (reason) {
            case "not_json" -> "{\"org_id\": \"org-1\", oops" + n;
            case "not_object" -> "[\"org-1\"," + n + "]";
            case "missing_org_id" -> "{\"n\":" + n + ",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"cost_usd\":1}";
            default -> "{\"n\":" + n + ",\"org_id\":\"org-1\",\"cost_usd\":\"twelve\"}";
        };
        badByReason.merge(reason, 1L, Long::sum);
        return value.getBytes(StandardCharsets.UTF_8);
    }


    long produced() {
        return produced.get();
    }

    long sendErrors() {
        return sendErrors.get();
    }

    Exception firstError() {
        return firstError.get();
    }

    /** The counters an org's scrape must show once everything is counted: series line → value. */
    Map<String, Double> expectedCounters(String org) {
        Map<String, Double> samples = new TreeMap<>();
        oracle.getOrDefault(org, Map.of()).forEach((providerModel, sums) -> {
            String[] pm = providerModel.split("/");
            String labels = "{model=\"" + pm[1] + "\",org_id=\"" + org + "\",provider=\"" + pm[0] + "\"}";
            samples.put("llm_requests_total" + labels, (double) sums.requests);
            samples.put("llm_tokens_total" + labels, (double) (sums.inputTokens + sums.outputTokens));
            samples.put("llm_input_tokens_total" + labels, (double) sums.inputTokens);
            samples.put("llm_output_tokens_total" + labels, (double) sums.outputTokens);
            samples.put("llm_cost_usd_total" + labels, BigDecimal.valueOf(sums.costNanos, 9).doubleValue());
        });
        // Always present for the caller's org; the chaos traffic has 5 pairs, far below the limit.
        samples.put("llm_series_overflow_total{org_id=\"" + org + "\"}", 0.0);
        return samples;
    }
}
