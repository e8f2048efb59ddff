package id.audit.tokenid.app.bench;

import id.audit.tokenid.app.it.EmbeddedKafka;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A day of seeded api_call traffic (SPEC §1), written to a topic as fast as the producer takes
 * it: about 100 orgs over 5 provider/model pairs, unique event ids of which about 2% are
 * repeated (same bytes, minutes later), about 1% bad records, about 2% without a model, event
 * times rising over the last 24 h with a little jitter. The record timestamp is the event time,
 * as a producer that stamps its events would set it. Records have no key, or, keyed, the org id
 * (what a producer that partitions by org sends; bad records keep no key). With a hot tenant,
 * {@link #HOT_ORG} has half of the new events and the other 99 orgs share the rest.
 */
final class BenchTraffic {

    static final int ORGS = 100;
    /** The org with half of the events when the traffic has a hot tenant. */
    static final String HOT_ORG = "org-0";
    private static final String[][] MODELS = {
            {"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet"},
            {"anthropic", "claude-haiku"}, {"google", "gemini-pro"}};
    private static final String[] BAD = {
            "{\"org_id\": \"org-1\", oops",
            "[\"org-1\", 1]",
            "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"cost_usd\":1}",
            "{\"org_id\":\"org-1\",\"input_tokens\":-5}",
            "{\"org_id\":\"org-1\",\"cost_usd\":\"twelve\"}"};
    /** Repeats pick among the last this many valid events: about three minutes of the day. */
    private static final int RECENT = 4096;

    /** What was written: every record, and how many of them were repeats and bad records. */
    record Written(long records, long repeats, long bad, long bytes, long nanos) {
    }

    private BenchTraffic() {
    }

    static Written produce(EmbeddedKafka kafka, String topic, long count, long seed, boolean keyedByOrg) {
        return produce(kafka, topic, count, seed, keyedByOrg, false);
    }

    static Written produce(EmbeddedKafka kafka, String topic, long count, long seed, boolean keyedByOrg,
                           boolean hotTenant) {
        Random random = new Random(seed);
        long dayStart = Instant.now().minus(Duration.ofHours(24)).plus(Duration.ofMinutes(1)).toEpochMilli();
        long step = Duration.ofHours(23).toMillis() / count;
        byte[][] recent = new byte[RECENT][];
        byte[][] recentKeys = new byte[RECENT][];
        long[] recentTimes = new long[RECENT];
        long valid = 0;
        long repeats = 0;
        long bad = 0;
        long bytes = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024))) {
            for (long i = 0; i < count; i++) {
                long time = dayStart + i * step + random.nextInt(60_000) - 30_000;
                int roll = random.nextInt(100);
                byte[] value;
                byte[] key = null;
                if (roll == 0) {
                    value = BAD[random.nextInt(BAD.length)].getBytes(StandardCharsets.UTF_8);
                    bad++;
                } else if (roll <= 2 && valid > RECENT) {
                    int pick = random.nextInt(RECENT);
                    value = recent[pick];
                    key = recentKeys[pick];
                    time = recentTimes[pick];
                    repeats++;
                } else {
                    String org = !hotTenant ? "org-" + random.nextInt(ORGS)
                            : random.nextBoolean() ? HOT_ORG : "org-" + (1 + random.nextInt(ORGS - 1));
                    value = event(random, org, valid, time);
                    key = keyedByOrg ? org.getBytes(StandardCharsets.UTF_8) : null;
                    recent[(int) (valid % RECENT)] = value;
                    recentKeys[(int) (valid % RECENT)] = key;
                    recentTimes[(int) (valid % RECENT)] = time;
                    valid++;
                }
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, time, key, value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the benchmark traffic failed", failure.get());
        }
        return new Written(count, repeats, bad, bytes, System.nanoTime() - started);
    }

    private static byte[] event(Random random, String org, long id, long time) {
        String[] series = MODELS[random.nextInt(MODELS.length)];
        StringBuilder json = new StringBuilder(280)
                .append("{\"type\":\"api_call\",\"event_id\":\"evt-").append(Long.toHexString(id * 0x9E3779B97F4A7C15L))
                .append("\",\"org_id\":\"").append(org).append('"');
        if (random.nextInt(50) != 0) {
            String provider = random.nextInt(10) == 0 ? series[0].toUpperCase(Locale.ROOT) : series[0];
            json.append(",\"provider\":\"").append(provider).append("\",\"model\":\"").append(series[1]).append('"');
        }
        BigDecimal cost = BigDecimal.valueOf(random.nextInt(2_000_000), 8);
        json.append(",\"input_tokens\":").append(random.nextInt(8000))
                .append(",\"output_tokens\":").append(random.nextInt(2000))
                .append(",\"cost_usd\":").append(random.nextBoolean() ? cost.toPlainString() : '"' + cost.toPlainString() + '"')
                .append(",\"timestamp\":").append(random.nextBoolean()
                        ? '"' + Instant.ofEpochMilli(time).toString() + '"' : Long.toString(time))
                .append(",\"latency_ms\":").append(200 + random.nextInt(3000))
                .append(",\"request_id\":\"req-").append(Long.toHexString(random.nextLong())).append("\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
