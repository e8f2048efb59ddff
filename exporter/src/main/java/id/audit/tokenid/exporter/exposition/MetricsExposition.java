package id.audit.tokenid.exporter.exposition;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.TextRules;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns usage into the product's metrics (SPEC §2) as client_java snapshots, so that every
 * exposition format and its escaping come from the library. Counters carry no created
 * timestamps; series are ordered by the library (label names, then label values), so the same
 * usage always renders the same bytes.
 *
 * <p>Sums arrive exact ({@link java.math.BigInteger}, up to 128 bits) and are added exactly
 * (input plus output tokens); only the final value becomes the sample's double, the one number
 * type of Prometheus's data model and of client_java's writers (the protobuf format has no
 * other). Below 2^53 that double is the exact value; above, it is the nearest double (relative
 * error under 1.2e-16), never an overflow or a failed scrape.
 */
public final class MetricsExposition {

    public static final String REQUESTS_TOTAL = "llm_requests_total";
    public static final String TOKENS_TOTAL = "llm_tokens_total";
    public static final String COST_USD_TOTAL = "llm_cost_usd_total";
    public static final String COST_USD_ROLLING_24H = "llm_cost_usd_rolling_24h";

    static final String REQUESTS_HELP =
            "LLM API calls counted for the organisation, by provider and model.";
    static final String TOKENS_HELP =
            "LLM tokens used by the organisation (input plus output), by provider and model.";
    static final String COST_HELP =
            "Cost of the organisation's LLM API calls in US dollars, by provider and model.";
    static final String ROLLING_HELP =
            "Cost of the organisation's LLM API calls in US dollars over the 24 hours before the"
                    + " scrape.";

    /** Cost is kept in integer nano-dollars; this many decimal places make dollars. */
    private static final int NANOS_SCALE = 9;

    private MetricsExposition() {
    }

    /**
     * The four metric families for these orgs. The rolling gauge has a series for every org in
     * the list, even at 0; counters have a series per (provider, model) with data.
     *
     * @throws IllegalArgumentException when an org or an org's (provider, model) repeats
     */
    public static MetricSnapshots snapshots(List<OrgUsage> orgs) {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name(REQUESTS_TOTAL).help(REQUESTS_HELP);
        CounterSnapshot.Builder tokens = CounterSnapshot.builder().name(TOKENS_TOTAL).help(TOKENS_HELP);
        CounterSnapshot.Builder cost = CounterSnapshot.builder().name(COST_USD_TOTAL).help(COST_HELP);
        GaugeSnapshot.Builder rolling = GaugeSnapshot.builder().name(COST_USD_ROLLING_24H).help(ROLLING_HELP);
        Set<String> seenOrgs = new HashSet<>();
        for (OrgUsage org : orgs) {
            if (!seenOrgs.add(org.orgId())) {
                throw new IllegalArgumentException("an org appears twice in one usage read");
            }
            for (ModelUsage series : org.series()) {
                // The codec's one blank rule: a provider of U+3000 is not blank to the codec, so it
                // has a series here too.
                if (TextRules.isBlank(series.provider()) || TextRules.isBlank(series.model())) {
                    continue; // SPEC §1: such events count in the rolling gauge only
                }
                Labels labels = Labels.of("provider", series.provider(), "model", series.model(),
                        "org_id", org.orgId());
                requests.dataPoint(counter(labels, series.requests()));
                tokens.dataPoint(counter(labels, series.totalTokens().doubleValue()));
                cost.dataPoint(counter(labels, dollars(series.costNanos())));
            }
            rolling.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("org_id", org.orgId()))
                    .value(dollars(org.rolling24hCostNanos()))
                    .build());
        }
        return MetricSnapshots.of(requests.build(), tokens.build(), cost.build(), rolling.build());
    }

    /** Exact nano-dollars to the nearest double of dollars; sums are never done in doubles. */
    static double dollars(BigInteger nanos) {
        return new BigDecimal(nanos, NANOS_SCALE).doubleValue();
    }

    private static CounterDataPointSnapshot counter(Labels labels, double value) {
        if (value < 0) {
            throw new IllegalArgumentException("a counter value is negative");
        }
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
