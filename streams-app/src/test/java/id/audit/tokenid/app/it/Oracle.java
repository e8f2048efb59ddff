package id.audit.tokenid.app.it;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The series lines an org's scrape must show, from the generator's oracle. */
final class Oracle {

    private Oracle() {
    }

    static Map<String, Double> expectedSamples(GeneratedTraffic traffic, String org) {
        Map<String, Double> samples = new TreeMap<>();
        traffic.expectedSeries(org).forEach((providerModel, totals) -> {
            String[] pm = providerModel.split("/");
            // client_java writes labels sorted by name.
            String labels = "{model=\"" + pm[1] + "\",org_id=\"" + org + "\",provider=\"" + pm[0] + "\"}";
            samples.put("llm_requests_total" + labels, (double) totals.requests());
            samples.put("llm_tokens_total" + labels, (double) (totals.inputTokens() + totals.outputTokens()));
            samples.put("llm_cost_usd_total" + labels, totals.cost().doubleValue());
        });
        samples.put("llm_cost_usd_rolling_24h{org_id=\"" + org + "\"}",
                traffic.rolling24h.getOrDefault(org, BigDecimal.ZERO).doubleValue());
        return samples;
    }
}
