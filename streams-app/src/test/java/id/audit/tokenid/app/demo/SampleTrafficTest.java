package id.audit.tokenid.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleTrafficTest {

    private static final int EVENTS = 20_000;
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sample prices per 1k input and output tokens, written out here as the oracle. */
    private static final Map<String, BigDecimal[]> PRICES = Map.of(
            "openai/gpt-4o", prices("0.0025", "0.01"),
            "openai/gpt-4o-mini", prices("0.00015", "0.0006"),
            "anthropic/claude-sonnet-4", prices("0.003", "0.015"),
            "anthropic/claude-haiku-3.5", prices("0.0008", "0.004"),
            "google/gemini-1.5-pro", prices("0.00125", "0.005"),
            "mistral/mistral-large", prices("0.002", "0.006"));

    private final List<SampleTraffic.Event> events = generate(EVENTS);

    @Test
    void spellsTheSameOrgsProvidersAndModelsInMixedCase() {
        Set<String> providers = good().map(json -> json.path("provider").asText(null)).filter(p -> p != null)
                .collect(Collectors.toSet());
        Set<String> orgs = good().map(json -> json.get("org_id").asText()).collect(Collectors.toSet());
        Set<String> models = good().map(json -> json.path("model").asText(null)).filter(m -> m != null)
                .collect(Collectors.toSet());

        assertThat(providers).contains("openai", "OpenAI", "OPENAI", "anthropic", "Anthropic");
        assertThat(orgs).contains("acme", "ACME", "globex", "Globex", "initech");
        assertThat(models).contains("gpt-4o", "GPT-4o");
        assertThat(lowercased(orgs)).containsExactlyInAnyOrder("acme", "globex", "initech", "umbrella", "hooli");
        assertThat(lowercased(providers)).containsExactlyInAnyOrder("openai", "anthropic", "google", "mistral");
    }

    @Test
    void leavesTheModelOutOfAboutFivePercentOfEvents() {
        long good = good().count();
        long withoutModel = good().filter(json -> !json.has("model")).count();

        assertThat((double) withoutModel / good).isBetween(0.03, 0.07);
    }

    @Test
    void makesAboutTwoPercentBadRecordsThatAreNotJsonOrHaveNegativeTokens() {
        List<SampleTraffic.Event> bad = events.stream().filter(SampleTraffic.Event::bad).toList();

        assertThat((double) bad.size() / EVENTS).isBetween(0.01, 0.03);
        assertThat(bad).allSatisfy(event -> assertThat(parse(event)
                .map(json -> json.get("input_tokens").asLong() < 0).orElse(true)).as(event.text()).isTrue());
        assertThat(bad).anyMatch(event -> parse(event).isEmpty());
        assertThat(bad).anyMatch(event -> parse(event).isPresent());
    }

    @Test
    void pricesEachCallFromTheSamplePriceList() {
        List<JsonNode> withModel = good().filter(json -> json.has("model")).toList();
        List<JsonNode> priced = withModel.stream().filter(json -> json.has("cost_usd")).toList();

        // About one call in ten with a model leaves the cost to the service's price table.
        assertThat((double) priced.size() / withModel.size()).isBetween(0.85, 0.95);
        assertThat(priced).isNotEmpty().allSatisfy(json -> {
            BigDecimal[] price = PRICES.get((json.get("provider").asText() + "/" + json.get("model").asText())
                    .toLowerCase(Locale.ROOT));
            BigDecimal expected = price[0].multiply(new BigDecimal(json.get("input_tokens").asText()))
                    .add(price[1].multiply(new BigDecimal(json.get("output_tokens").asText())))
                    .divide(new BigDecimal(1000));
            assertThat(json.get("cost_usd").decimalValue()).as(json.toString()).isEqualByComparingTo(expected);
            assertThat(json.get("cost_usd").decimalValue().scale()).isLessThanOrEqualTo(9);
        });
    }

    @Test
    void givesEveryCallAUniqueEventIdAndTheTimeOfNow() {
        List<JsonNode> calls = good().toList();
        Set<String> ids = new HashSet<>();

        assertThat(calls).allSatisfy(json -> {
            assertThat(json.get("type").asText()).isEqualTo("api_call");
            assertThat(ids.add(json.get("event_id").asText())).as("unique %s", json.get("event_id")).isTrue();
            assertThat(OffsetDateTime.parse(json.get("timestamp").asText()).toInstant()).isEqualTo(NOW);
            assertThat(json.get("input_tokens").asLong()).isPositive();
            assertThat(json.get("output_tokens").asLong()).isPositive();
        });
    }

    private static List<SampleTraffic.Event> generate(int count) {
        SampleTraffic traffic = new SampleTraffic(new Random(42), Clock.fixed(NOW, ZoneOffset.UTC));
        List<SampleTraffic.Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(traffic.next());
        }
        return events;
    }

    private java.util.stream.Stream<JsonNode> good() {
        return events.stream().filter(event -> !event.bad()).map(event -> parse(event).orElseThrow());
    }

    private static Optional<JsonNode> parse(SampleTraffic.Event event) {
        try {
            return Optional.of(JSON.readTree(event.value()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> lowercased(Set<String> names) {
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static BigDecimal[] prices(String perInput, String perOutput) {
        return new BigDecimal[] {new BigDecimal(perInput), new BigDecimal(perOutput)};
    }
}
