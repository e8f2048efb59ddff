package id.audit.tokenid.app.it;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The series lines an org's scrape must show, from the generator's oracle: every family. */
final class Oracle {

    /** Gauges over time windows: they move with the clock, counters do not. */
    static final List<String> WINDOW_GAUGES = List.of("llm_cost_usd_rolling_24h", "llm_cost_usd_rolling_1h",
            "llm_cost_usd_month_to_date");

    private Oracle() {
    }

    static Map<String, Double> expectedSamples(GeneratedTraffic traffic, String org) {
        Map<String, Double> samples = new TreeMap<>();
        Map<String, GeneratedTraffic.SeriesParts> parts = traffic.expectedParts(org);
        traffic.expectedSeries(org).forEach((providerModel, totals) -> {
            String[] pm = providerModel.split("/");
            // client_java writes labels sorted by name.
            String labels = "{model=\"" + pm[1] + "\",org_id=\"" + org + "\",provider=\"" + pm[0] + "\"}";
            samples.put("llm_requests_total" + labels, (double) totals.requests());
            samples.put("llm_tokens_total" + labels, (double) (totals.inputTokens() + totals.outputTokens()));
            samples.put("llm_input_tokens_total" + labels, (double) totals.inputTokens());
            samples.put("llm_output_tokens_total" + labels, (double) totals.outputTokens());
            samples.put("llm_cost_usd_total" + labels, totals.cost().doubleValue());
            GeneratedTraffic.SeriesParts p = parts.getOrDefault(providerModel, GeneratedTraffic.SeriesParts.NONE);
            // Present once non-zero.
            putIfPositive(samples, "llm_cached_input_tokens_total" + labels, p.cachedInputTokens());
            putIfPositive(samples, "llm_cache_write_input_tokens_total" + labels, p.cacheWriteInputTokens());
            putIfPositive(samples, "llm_reasoning_tokens_total" + labels, p.reasoningTokens());
            putIfPositive(samples, "llm_unpriced_requests_total" + labels, p.unpriced());
        });
        String orgLabel = "{org_id=\"" + org + "\"}";
        samples.put("llm_cost_usd_rolling_24h" + orgLabel, usd(traffic.rolling24h, org));
        samples.put("llm_cost_usd_rolling_1h" + orgLabel, usd(traffic.rolling1h, org));
        samples.put("llm_cost_usd_month_to_date" + orgLabel, usd(traffic.monthToDate, org));
        samples.put("llm_series_overflow_total" + orgLabel, 0.0);
        return samples;
    }

    /** The samples without the window gauges, for checks while the clock moves. */
    static Map<String, Double> withoutWindowGauges(Map<String, Double> samples) {
        Map<String, Double> counters = new TreeMap<>(samples);
        counters.keySet().removeIf(series -> WINDOW_GAUGES.stream().anyMatch(g -> series.startsWith(g + "{")));
        return counters;
    }

    private static double usd(Map<String, BigDecimal> byOrg, String org) {
        return byOrg.getOrDefault(org, BigDecimal.ZERO).doubleValue();
    }

    private static void putIfPositive(Map<String, Double> samples, String series, long value) {
        if (value > 0) {
            samples.put(series, (double) value);
        }
    }
}
