package id.audit.tokenid.app.it;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Seeded api_call traffic with bad records and duplicate ids, and the oracle of what it must
 * add up to, computed here in plain Java from the canonical values the generator chose (never
 * by the code under test).
 */
final class GeneratedTraffic {

    static final String[][] MODELS = {
            {"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet"},
            {"anthropic", "claude-haiku"}, {"google", "gemini-pro"}};

    /** One record to produce: where, what, and what the topology must make of it. */
    record Generated(int partition, byte[] value, String deadLetterReason) {
    }

    /** Totals of one series, as the oracle sums them. */
    record SeriesTotals(long requests, long inputTokens, long outputTokens, BigDecimal cost) {
        SeriesTotals plus(long in, long out, BigDecimal c) {
            return new SeriesTotals(requests + 1, inputTokens + in, outputTokens + out, cost.add(c));
        }
    }

    final List<Generated> records = new ArrayList<>();
    /** org → "provider/model" → totals. */
    final Map<String, Map<String, SeriesTotals>> totals = new TreeMap<>();
    final Map<String, BigDecimal> rolling24h = new TreeMap<>();
    final Map<String, Integer> deadLettersByReason = new TreeMap<>();
    private final Random random;
    private final Instant now;
    private final List<byte[]> sentValid = new ArrayList<>();
    private long nextId;

    GeneratedTraffic(long seed, Instant now) {
        this.random = new Random(seed);
        this.now = now;
    }

    /**
     * Adds {@code count} records over {@code orgs} orgs. Ages (now − event time) come from
     * {@code ageMinutesForPartition} so a test can put partitions hours apart. About 5% are bad
     * and about 2% repeat an earlier event (same bytes, same id) into another partition.
     */
    GeneratedTraffic add(int count, int orgs, int partitions, IntUnaryOperator ageMinutesForPartition) {
        for (int i = 0; i < count; i++) {
            int partition = random.nextInt(partitions);
            int roll = random.nextInt(1000);
            if (roll < 50) {
                addBad(partition);
            } else if (roll < 70 && !sentValid.isEmpty()) {
                records.add(new Generated(partition, sentValid.get(random.nextInt(sentValid.size())), null));
            } else {
                addValid(partition, orgs, ageMinutesForPartition.applyAsInt(partition));
            }
        }
        return this;
    }

    /** Ages spread over two days, but never within half an hour of the 24 h edge. */
    static int ageAvoidingTheEdge(Random random) {
        return random.nextBoolean() ? random.nextInt(23 * 60) : 25 * 60 + random.nextInt(22 * 60);
    }

    Random random() {
        return random;
    }

    private void addValid(int partition, int orgs, int ageMinutes) {
        String org = "org-" + random.nextInt(orgs);
        String[] series = MODELS[random.nextInt(MODELS.length)];
        boolean hasModel = random.nextInt(20) != 0; // ~5% without provider or model
        long in = random.nextInt(5000);
        long out = random.nextInt(2000);
        BigDecimal cost = BigDecimal.valueOf(random.nextInt(5_000_000), 9).multiply(BigDecimal.valueOf(random.nextInt(50)));
        Instant time = now.minus(Duration.ofMinutes(ageMinutes)).minusMillis(random.nextInt(60_000));

        StringBuilder json = new StringBuilder("{\"type\":\"api_call\",\"event_id\":\"ev-").append(nextId++).append('"')
                .append(",\"org_id\":\"").append(IdSpellings.vary(random, org)).append('"');
        if (hasModel) {
            json.append(",\"provider\":\"").append(IdSpellings.vary(random, series[0])).append("\",\"model\":\"").append(IdSpellings.vary(random, series[1])).append('"');
        } else if (random.nextBoolean()) {
            json.append(",\"provider\":\"").append(series[0]).append('"');
        }
        json.append(",\"input_tokens\":").append(in).append(",\"output_tokens\":").append(out)
                .append(",\"cost_usd\":").append(random.nextBoolean() ? cost.toPlainString() : "\"" + cost.toPlainString() + "\"")
                .append(",\"timestamp\":").append(random.nextBoolean() ? "\"" + time + "\"" : Long.toString(time.toEpochMilli()))
                .append(",\"extra\":{\"ignored\":true}}");
        byte[] value = json.toString().getBytes(StandardCharsets.UTF_8);
        records.add(new Generated(partition, value, null));
        sentValid.add(value);

        if (hasModel) {
            totals.computeIfAbsent(org, o -> new TreeMap<>())
                    .merge(series[0] + "/" + series[1], new SeriesTotals(1, in, out, cost),
                            (a, b) -> a.plus(in, out, cost));
        }
        if (time.isAfter(now.minus(Duration.ofHours(24)))) {
            rolling24h.merge(org, cost, BigDecimal::add);
        } else {
            rolling24h.putIfAbsent(org, BigDecimal.ZERO);
        }
    }

    private void addBad(int partition) {
        String[][] bad = {
                {"not_json", "{\"org_id\": \"org-1\", oops"},
                {"not_object", "[\"org-1\"]"},
                {"missing_org_id", "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"cost_usd\":1}"},
                {"invalid_tokens", "{\"org_id\":\"org-1\",\"input_tokens\":-5}"},
                {"invalid_cost", "{\"org_id\":\"org-1\",\"cost_usd\":\"twelve\"}"},
                {"invalid_org_id", "{\"org_id\":\"  \"}"},
        };
        String[] pick = bad[random.nextInt(bad.length)];
        // A unique suffix inside the JSON keeps every bad record distinguishable in the DLQ.
        String value = pick[0].equals("not_json") ? pick[1] + nextId++ : pick[1].replaceFirst("\\{", "{\"n\":" + nextId++ + ",");
        if (pick[0].equals("not_object")) {
            value = "[\"org-1\"," + nextId++ + "]";
        }
        records.add(new Generated(partition, value.getBytes(StandardCharsets.UTF_8), pick[0]));
        deadLettersByReason.merge(pick[0], 1, Integer::sum);
    }

    /** Adds one record over 1 MiB, which must be dead-lettered as too large. */
    GeneratedTraffic addOversize(int partition) {
        String value = "{\"org_id\":\"org-1\",\"pad\":\"" + "x".repeat((1 << 20) + 10) + "\",\"n\":" + nextId++ + "}";
        records.add(new Generated(partition, value.getBytes(StandardCharsets.UTF_8), "too_large"));
        deadLettersByReason.merge("too_large", 1, Integer::sum);
        return this;
    }


    /** The oracle's series of one org, as "provider/model" → totals. */
    Map<String, SeriesTotals> expectedSeries(String org) {
        return totals.getOrDefault(org, Map.of());
    }

    Map<String, Integer> badCount() {
        return new HashMap<>(deadLettersByReason);
    }
}
