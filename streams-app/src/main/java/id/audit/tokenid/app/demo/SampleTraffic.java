package id.audit.tokenid.app.demo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic {@code api_call} events (SPEC §1) for the demo: a few orgs, providers and models
 * spelled in mixed case on purpose (the service must fold {@code OpenAI} and {@code openai}
 * into one series), about 5% of events without a model, about 2% bad records, costs priced
 * from a small sample price list, unique event ids and event times of now.
 */
public final class SampleTraffic {

    /** Orgs and their share of the traffic; {@code acme} is the org of the printed demo token. */
    static final List<String> ORGS = List.of("acme", "acme", "acme", "globex", "globex", "initech", "umbrella", "hooli");

    /** Sample list prices in USD per 1k input and per 1k output tokens (illustrative, not a quote). */
    static final List<Price> PRICES = List.of(
            new Price("openai", "gpt-4o", "0.0025", "0.01"),
            new Price("openai", "gpt-4o-mini", "0.00015", "0.0006"),
            new Price("anthropic", "claude-sonnet-4", "0.003", "0.015"),
            new Price("anthropic", "claude-haiku-3.5", "0.0008", "0.004"),
            new Price("google", "gemini-1.5-pro", "0.00125", "0.005"),
            new Price("mistral", "mistral-large", "0.002", "0.006"));

    /** How vendors spell their own names; lowercased, each is the same as the plain name. */
    private static final Map<String, String> BRAND_SPELLING = Map.of(
            "openai", "OpenAI", "gpt-4o", "GPT-4o", "gpt-4o-mini", "GPT-4o-mini",
            "anthropic", "Anthropic", "google", "Google", "mistral", "Mistral",
            "acme", "ACME", "globex", "Globex");

    /** The price of one model; costs are computed exactly with {@link BigDecimal}. */
    public record Price(String provider, String model, BigDecimal per1kInput, BigDecimal per1kOutput) {
        Price(String provider, String model, String per1kInput, String per1kOutput) {
            this(provider, model, new BigDecimal(per1kInput), new BigDecimal(per1kOutput));
        }

        public BigDecimal cost(long inputTokens, long outputTokens) {
            return per1kInput.multiply(BigDecimal.valueOf(inputTokens))
                    .add(per1kOutput.multiply(BigDecimal.valueOf(outputTokens)))
                    .movePointLeft(3)
                    .stripTrailingZeros();
        }
    }

    /** One record value to produce, keyed by the org as written, and whether it is a bad one. */
    public record Event(String key, byte[] value, boolean bad) {
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private final Random random;
    private final Clock clock;

    public SampleTraffic(Random random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    public Event next() {
        int roll = random.nextInt(100);
        if (roll < 2) {
            return bad();
        }
        return apiCall(roll < 7);
    }

    private Event apiCall(boolean withoutModel) {
        String org = ORGS.get(random.nextInt(ORGS.size()));
        Price price = PRICES.get(random.nextInt(PRICES.size()));
        long input = 20 + (long) Math.floor(Math.exp(random.nextDouble() * Math.log(8000)));
        long output = 5 + random.nextInt((int) Math.min(2000, input) + 1);
        StringBuilder json = new StringBuilder(256)
                .append("{\"type\":\"api_call\",\"event_id\":\"evt_").append(UUID.randomUUID()).append('"')
                .append(",\"org_id\":\"").append(mixedCase(org)).append('"');
        if (withoutModel) {
            // An event without a model still costs money: it counts in the org's rolling 24 h
            // spend, and in no per-model counter.
            if (random.nextBoolean()) {
                json.append(",\"provider\":\"").append(mixedCase(price.provider())).append('"');
            }
        } else {
            json.append(",\"provider\":\"").append(mixedCase(price.provider())).append('"')
                    .append(",\"model\":\"").append(mixedCase(price.model())).append('"');
        }
        json.append(",\"input_tokens\":").append(input)
                .append(",\"output_tokens\":").append(output);
        // Token parts in some calls: a prompt-cache hit on a quarter of the input, reasoning in a
        // third of the output (parts of the totals, never extra tokens).
        if (random.nextInt(3) == 0) {
            json.append(",\"cached_input_tokens\":").append(input / 4);
        }
        if (random.nextInt(4) == 0) {
            json.append(",\"reasoning_tokens\":").append(output / 3);
        }
        // One call in ten with a model carries no cost: the service prices it from its price
        // table (gpt-4o and gpt-4o-mini are in the shipped one) or counts it as unpriced.
        if (withoutModel || random.nextInt(10) != 0) {
            json.append(",\"cost_usd\":").append(price.cost(input, output).toPlainString());
        }
        json
                .append(",\"timestamp\":\"").append(OffsetDateTime.now(clock.withZone(ZoneOffset.UTC))).append('"')
                .append(",\"latency_ms\":").append(150 + random.nextInt(3000))
                .append('}');
        return new Event(org, json.toString().getBytes(StandardCharsets.UTF_8), false);
    }

    private Event bad() {
        String org = ORGS.get(random.nextInt(ORGS.size()));
        String value = random.nextBoolean()
                ? "api_call org=" + org + " tokens=12 (not JSON)"
                : "{\"type\":\"api_call\",\"event_id\":\"evt_" + UUID.randomUUID() + "\",\"org_id\":\"" + org
                        + "\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":-" + (1 + random.nextInt(500))
                        + ",\"output_tokens\":10,\"cost_usd\":0.001}";
        return new Event(org, value.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The same name as different producers spell it: {@code openai}, {@code OpenAI}, {@code OPENAI}. */
    private String mixedCase(String name) {
        return switch (random.nextInt(4)) {
            case 0 -> name.toUpperCase(Locale.ROOT);
            case 1 -> BRAND_SPELLING.getOrDefault(name, titleCase(name));
            default -> name;
        };
    }

    private static String titleCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean start = true;
        for (char c : name.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = !Character.isLetter(c);
        }
        return out.toString();
    }
}
