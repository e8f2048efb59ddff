package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The judge of OwnerCrashIntegrationTest's scrapes, on scrapes made up here. */
class ScrapeObservationTest {

    private static final String COUNTER = "llm_requests_total{model=\"m\",org_id=\"o\",provider=\"p\"}";
    private static final String GAUGE = "llm_cost_usd_rolling_24h{org_id=\"o\"}";

    @Test
    void acceptsSeriesThatStayOrGrowAcross503s() {
        List<ScrapeObservation> scrapes = List.of(
                ok(Map.of(COUNTER, 1.0, GAUGE, 0.5)),
                new ScrapeObservation(503, true, false, Map.of()),
                ok(Map.of(COUNTER, 1.0, GAUGE, 0.7, "llm_tokens_total{}", 3.0)));

        assertThat(ScrapeObservation.decreases(scrapes)).isEmpty();
    }

    @Test
    void reportsACounterOrTheRollingGaugeThatGoesDown() {
        List<ScrapeObservation> scrapes = List.of(
                ok(Map.of(COUNTER, 2.0, GAUGE, 0.5)),
                ok(Map.of(COUNTER, 1.0, GAUGE, 0.4)));

        assertThat(ScrapeObservation.decreases(scrapes)).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains(COUNTER, "2.0 -> 1.0"))
                .anySatisfy(line -> assertThat(line).contains(GAUGE, "0.5 -> 0.4"));
    }

    @Test
    void reportsASeriesThatDisappearsEvenWhenItComesBackLater() {
        List<ScrapeObservation> scrapes = List.of(
                ok(Map.of(COUNTER, 2.0, GAUGE, 0.5)),
                ok(Map.of(GAUGE, 0.5)),
                ok(Map.of(COUNTER, 2.0, GAUGE, 0.5)));

        assertThat(ScrapeObservation.decreases(scrapes)).singleElement()
                .satisfies(line -> assertThat(line).contains("scrape 2", COUNTER, "disappeared"));
    }

    private static ScrapeObservation ok(Map<String, Double> samples) {
        return new ScrapeObservation(200, false, false, samples);
    }
}
