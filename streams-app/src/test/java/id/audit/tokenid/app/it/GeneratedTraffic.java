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

    /** The token parts and unpriced events of one series, as the oracle sums them. */
    record SeriesParts(long cachedInputTokens, long cacheWriteInputTokens, long reasoningTokens, long unpriced) {
        static final SeriesParts NONE = new SeriesParts(0, 0, 0, 0);

        SeriesParts plus(SeriesParts other) {
            return new SeriesParts(cachedInputTokens + other.cachedInputTokens,
                    cacheWriteInputTokens + other.cacheWriteInputTokens, reasoningTokens + other.reasoningTokens,
                    unpriced + other.unpriced);
        }
    }

    /**
     * What the test's price table makes of an event without cost, computed by the test itself:
     * the cost in USD, or empty when no row prices it.
     */
    interface PriceOracle {
        java.util.Optional<BigDecimal> costUsd(String provider, String model, long uncachedIn, long cachedIn,
                                               long cacheWriteIn, long out, Instant eventTime);
    }

    final List<Generated> records = new ArrayList<>();
    /** org → "provider/model" → totals. */
    final Map<String, Map<String, SeriesTotals>> totals = new TreeMap<>();
    /** org → "provider/model" → token parts and unpriced events. */
    final Map<String, Map<String, SeriesParts>> parts = new TreeMap<>();
    /** Every org with a valid event → cost in the window (0 when none). */
    final Map<String, BigDecimal> rolling24h = new TreeMap<>();
    final Map<String, BigDecimal> rolling1h = new TreeMap<>();
    /** Cost of events in the UTC calendar month of {@code now}. */
    final Map<String, BigDecimal> monthToDate = new TreeMap<>();
    final Map<String, Integer> deadLettersByReason = new TreeMap<>();
    private final Random random;
    private final Instant now;
    private final List<byte[]> sentValid = new ArrayList<>();
    /** Whether some records repeat an earlier one; off for a service without dedup, whose oracle counts each record. */
    private boolean repeats = true;
    private long nextId;
    /** When set, about one valid event in five has no cost and is priced (or not) by this table. */
    private PriceOracle prices;

    GeneratedTraffic(long seed, Instant now) {
        this.random = new Random(seed);
        this.now = now;
    }

    /**
     * Events without {@code cost_usd} from now on, priced by the instance's price table, which
     * {@code prices} mirrors; plus a model no table prices (provider {@value #UNPRICED_PROVIDER}).
     */
    GeneratedTraffic withPricing(PriceOracle prices) {
        this.prices = prices;
        return this;
    }

    /** No repeated records from here on: what a service with dedup off must count as the oracle does. */
    GeneratedTraffic withoutRepeats() {
        this.repeats = false;
        return this;
    }

    static final String UNPRICED_PROVIDER = "acme";
    static final String UNPRICED_MODEL = "mystery-1";

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
            } else if (roll < 70 && repeats && !sentValid.isEmpty()) {
                records.add(new Generated(partition, sentValid.get(random.nextInt(sentValid.size())), null));
            } else {
                addValid(partition, orgs, ageMinutesForPartition.applyAsInt(partition));
            }
        }
        return this;
    }

    /**
     * Ages spread over two days, but never within half an hour of the 1 h or the 24 h edge (a
     * scrape comes minutes after the generator's {@code now}).
     */
    static int ageAvoidingTheEdge(Random random) {
        int pick = random.nextInt(10);
        if (pick == 0) {
            return random.nextInt(30);
        }
        return pick < 5 ? 90 + random.nextInt(23 * 60 - 90) : 25 * 60 + random.nextInt(22 * 60);
    }

    Random random() {
        return random;
    }

    private void addValid(int partition, int orgs, int ageMinutes) {
        String org = "org-" + random.nextInt(orgs);
        boolean unknownModel = prices != null && random.nextInt(10) == 0;
        String[] series = unknownModel ? new String[] {UNPRICED_PROVIDER, UNPRICED_MODEL}
                : MODELS[random.nextInt(MODELS.length)];
        boolean hasModel = random.nextInt(20) != 0; // ~5% without provider or model
        long in = random.nextInt(5000);
        long out = random.nextInt(2000);
        // Token parts in about half the events: cached and cache-write parts of the input, a
        // reasoning part of the output (sometimes all of it).
        long cached = 0;
        long write = 0;
        long reasoning = 0;
        boolean withParts = random.nextBoolean();
        if (withParts) {
            cached = random.nextInt((int) in + 1);
            write = random.nextInt((int) (in - cached) + 1);
            reasoning = random.nextInt(4) == 0 ? out : random.nextInt((int) out + 1);
        }
        BigDecimal cost = BigDecimal.valueOf(random.nextInt(5_000_000), 9).multiply(BigDecimal.valueOf(random.nextInt(50)));
        Instant time = now.minus(Duration.ofMinutes(ageMinutes)).minusMillis(random.nextInt(60_000));
        boolean costAbsent = prices != null && (unknownModel || random.nextInt(5) == 0);
        boolean unpriced = false;
        if (costAbsent) {
            java.util.Optional<BigDecimal> priced = hasModel
                    ? prices.costUsd(series[0], series[1], in - cached - write, cached, write, out, time)
                    : java.util.Optional.empty();
            unpriced = priced.isEmpty();
            // Scale 9 like every other cost here: the oracle's records compare BigDecimals by equals.
            cost = priced.orElse(BigDecimal.ZERO.setScale(9));
        }

        StringBuilder json = new StringBuilder("{\"type\":\"api_call\",\"event_id\":\"ev-").append(nextId++).append('"')
                .append(",\"org_id\":\"").append(IdSpellings.vary(random, org)).append('"');
        if (hasModel) {
            json.append(",\"provider\":\"").append(IdSpellings.vary(random, series[0])).append("\",\"model\":\"").append(IdSpellings.vary(random, series[1])).append('"');
        } else if (random.nextBoolean()) {
            json.append(",\"provider\":\"").append(series[0]).append('"');
        }
        json.append(",\"input_tokens\":").append(in).append(",\"output_tokens\":").append(out);
        if (withParts) {
            json.append(",\"cached_input_tokens\":").append(cached)
                    .append(",\"cache_write_input_tokens\":").append(write == 0 && random.nextBoolean() ? "null" : Long.toString(write))
                    .append(",\"reasoning_tokens\":").append(reasoning);
        }
        if (!costAbsent) {
            json.append(",\"cost_usd\":").append(random.nextBoolean() ? cost.toPlainString() : "\"" + cost.toPlainString() + "\"");
        } else if (random.nextBoolean()) {
            json.append(",\"cost_usd\":null");
        }
        json.append(",\"timestamp\":").append(random.nextBoolean() ? "\"" + time + "\"" : Long.toString(time.toEpochMilli()))
                .append(",\"extra\":{\"ignored\":true}}");
        byte[] value = json.toString().getBytes(StandardCharsets.UTF_8);
        records.add(new Generated(partition, value, null));
        sentValid.add(value);

        if (hasModel) {
            BigDecimal c = cost;
            String key = series[0] + "/" + series[1];
            totals.computeIfAbsent(org, o -> new TreeMap<>())
                    .merge(key, new SeriesTotals(1, in, out, c), (a, b) -> a.plus(in, out, c));
            parts.computeIfAbsent(org, o -> new TreeMap<>())
                    .merge(key, new SeriesParts(cached, write, reasoning, unpriced ? 1 : 0), SeriesParts::plus);
        }
        rolling24h.merge(org, time.isAfter(now.minus(Duration.ofHours(24))) ? cost : BigDecimal.ZERO, BigDecimal::add);
        rolling1h.merge(org, time.isAfter(now.minus(Duration.ofHours(1))) ? cost : BigDecimal.ZERO, BigDecimal::add);
        Instant monthStart = now.atZone(java.time.ZoneOffset.UTC).withDayOfMonth(1).toLocalDate()
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        monthToDate.merge(org, time.isBefore(monthStart) ? BigDecimal.ZERO : cost, BigDecimal::add);
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

    /** The oracle's token parts and unpriced events of one org, as "provider/model" → parts. */
    Map<String, SeriesParts> expectedParts(String org) {
        return parts.getOrDefault(org, Map.of());
    }

    Map<String, Integer> badCount() {
        return new HashMap<>(deadLettersByReason);
    }
}
