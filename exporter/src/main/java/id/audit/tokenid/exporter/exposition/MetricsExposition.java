package id.audit.tokenid.exporter.exposition;

import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.TextRules;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns usage into the product's metrics (SPEC §2 and the README's metric table) as client_java
 * snapshots, so that every exposition format and its escaping come from the library. Counters
 * carry no created timestamps; series are ordered by the library (label names, then label
 * values), so the same usage always renders the same bytes.
 *
 * <p>Which series exist: every family per (provider, model) has a series for each of an org's
 * series, except the token parts and the unpriced count, which appear once non-zero; the
 * rolling, month-to-date and overflow families have one series for every org in the read, even
 * at 0; the budget gauges one for every org with a budget. A family without any series (no org
 * has a budget, say) is left out of the snapshots, so no writer is asked to render an empty
 * family.
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
    public static final String INPUT_TOKENS_TOTAL = "llm_input_tokens_total";
    public static final String OUTPUT_TOKENS_TOTAL = "llm_output_tokens_total";
    public static final String CACHED_INPUT_TOKENS_TOTAL = "llm_cached_input_tokens_total";
    public static final String CACHE_WRITE_INPUT_TOKENS_TOTAL = "llm_cache_write_input_tokens_total";
    public static final String REASONING_TOKENS_TOTAL = "llm_reasoning_tokens_total";
    public static final String COST_USD_TOTAL = "llm_cost_usd_total";
    public static final String UNPRICED_REQUESTS_TOTAL = "llm_unpriced_requests_total";
    public static final String COST_USD_ROLLING_24H = "llm_cost_usd_rolling_24h";
    public static final String COST_USD_ROLLING_1H = "llm_cost_usd_rolling_1h";
    public static final String COST_USD_MONTH_TO_DATE = "llm_cost_usd_month_to_date";
    public static final String SERIES_OVERFLOW_TOTAL = "llm_series_overflow_total";
    public static final String BUDGET_USD = "llm_budget_usd";
    public static final String BUDGET_REMAINING_USD = "llm_budget_remaining_usd";
    public static final String COST_USD_PROJECTED_MONTH = "llm_cost_usd_projected_month";

    /** The sample name of every family this class can render. */
    public static final List<String> FAMILIES = List.of(REQUESTS_TOTAL, TOKENS_TOTAL, INPUT_TOKENS_TOTAL,
            OUTPUT_TOKENS_TOTAL, CACHED_INPUT_TOKENS_TOTAL, CACHE_WRITE_INPUT_TOKENS_TOTAL, REASONING_TOKENS_TOTAL,
            COST_USD_TOTAL, UNPRICED_REQUESTS_TOTAL, SERIES_OVERFLOW_TOTAL, COST_USD_ROLLING_24H, COST_USD_ROLLING_1H,
            COST_USD_MONTH_TO_DATE, BUDGET_USD, BUDGET_REMAINING_USD, COST_USD_PROJECTED_MONTH);

    static final String REQUESTS_HELP =
            "LLM API calls counted for the organisation, by provider and model.";
    static final String TOKENS_HELP =
            "LLM tokens used by the organisation (input plus output), by provider and model.";
    static final String INPUT_TOKENS_HELP =
            "LLM input tokens used by the organisation, by provider and model; includes its cached and"
                    + " cache-write input tokens.";
    static final String OUTPUT_TOKENS_HELP =
            "LLM output tokens used by the organisation, by provider and model; includes its reasoning"
                    + " tokens.";
    static final String CACHED_INPUT_TOKENS_HELP =
            "The part of the organisation's LLM input tokens read from the provider's prompt cache, by"
                    + " provider and model; already counted in the input tokens, never in addition to them.";
    static final String CACHE_WRITE_INPUT_TOKENS_HELP =
            "The part of the organisation's LLM input tokens written to the provider's prompt cache, by"
                    + " provider and model; already counted in the input tokens, never in addition to them.";
    static final String REASONING_TOKENS_HELP =
            "The part of the organisation's LLM output tokens spent on reasoning, by provider and model;"
                    + " already counted in the output tokens, never in addition to them.";
    static final String COST_HELP =
            "Cost of the organisation's LLM API calls in US dollars, by provider and model.";
    static final String UNPRICED_HELP =
            "LLM API calls of the organisation that carried no cost and matched no price-table row, by"
                    + " provider and model; they add 0 to the cost, their tokens count.";
    static final String ROLLING_HELP =
            "Cost of the organisation's LLM API calls in US dollars over the 24 hours before the"
                    + " scrape.";
    static final String ROLLING_1H_HELP =
            "Cost of the organisation's LLM API calls in US dollars over the hour before the scrape.";
    static final String MONTH_TO_DATE_HELP =
            "Cost of the organisation's LLM API calls in US dollars in the current calendar month, in"
                    + " the time zone of its budget (UTC without one).";
    static final String OVERFLOW_HELP =
            "LLM API calls of the organisation counted in its overflow series (provider and model"
                    + " OVERFLOW) because the organisation had reached its limit of (provider, model) series.";
    static final String BUDGET_HELP =
            "The organisation's monthly LLM budget in US dollars.";
    static final String BUDGET_REMAINING_HELP =
            "The organisation's monthly LLM budget minus its month-to-date cost, in US dollars; negative"
                    + " once the budget is overspent.";
    static final String PROJECTED_HELP =
            "Projected cost of the organisation's LLM API calls in US dollars for the whole current month:"
                    + " month to date plus the last 24 hours' cost times the days (and part of a day) left in the"
                    + " month.";

    /** Cost is kept in integer nano-dollars; this many decimal places make dollars. */
    private static final int NANOS_SCALE = 9;

    private MetricsExposition() {
    }

    /**
     * The metric families for these orgs, each family only when it has a series (see the class
     * comment for which series exist).
     *
     * @throws IllegalArgumentException when an org or an org's (provider, model) repeats
     */
    public static MetricSnapshots snapshots(List<OrgUsage> orgs) {
        Counters requests = new Counters(REQUESTS_TOTAL, REQUESTS_HELP);
        Counters tokens = new Counters(TOKENS_TOTAL, TOKENS_HELP);
        Counters input = new Counters(INPUT_TOKENS_TOTAL, INPUT_TOKENS_HELP);
        Counters output = new Counters(OUTPUT_TOKENS_TOTAL, OUTPUT_TOKENS_HELP);
        Counters cached = new Counters(CACHED_INPUT_TOKENS_TOTAL, CACHED_INPUT_TOKENS_HELP);
        Counters cacheWrite = new Counters(CACHE_WRITE_INPUT_TOKENS_TOTAL, CACHE_WRITE_INPUT_TOKENS_HELP);
        Counters reasoning = new Counters(REASONING_TOKENS_TOTAL, REASONING_TOKENS_HELP);
        Counters cost = new Counters(COST_USD_TOTAL, COST_HELP);
        Counters unpriced = new Counters(UNPRICED_REQUESTS_TOTAL, UNPRICED_HELP);
        Counters overflow = new Counters(SERIES_OVERFLOW_TOTAL, OVERFLOW_HELP);
        Gauges rolling24h = new Gauges(COST_USD_ROLLING_24H, ROLLING_HELP);
        Gauges rolling1h = new Gauges(COST_USD_ROLLING_1H, ROLLING_1H_HELP);
        Gauges monthToDate = new Gauges(COST_USD_MONTH_TO_DATE, MONTH_TO_DATE_HELP);
        Gauges budget = new Gauges(BUDGET_USD, BUDGET_HELP);
        Gauges remaining = new Gauges(BUDGET_REMAINING_USD, BUDGET_REMAINING_HELP);
        Gauges projected = new Gauges(COST_USD_PROJECTED_MONTH, PROJECTED_HELP);
        Set<String> seenOrgs = new HashSet<>();
        for (OrgUsage org : orgs) {
            if (!seenOrgs.add(org.orgId())) {
                throw new IllegalArgumentException("an org appears twice in one usage read");
            }
            for (ModelUsage series : org.series()) {
                // The codec's one blank rule: a provider of U+3000 is not blank to the codec, so it
                // has a series here too. The overflow series is upper case, never blank.
                if (TextRules.isBlank(series.provider()) || TextRules.isBlank(series.model())) {
                    continue; // SPEC §1: such events count in the org-level gauges only
                }
                Labels labels = Labels.of("provider", series.provider(), "model", series.model(),
                        "org_id", org.orgId());
                requests.add(labels, series.requests());
                tokens.add(labels, series.totalTokens());
                input.add(labels, series.inputTokens());
                output.add(labels, series.outputTokens());
                cached.addNonZero(labels, series.cachedInputTokens());
                cacheWrite.addNonZero(labels, series.cacheWriteInputTokens());
                reasoning.addNonZero(labels, series.reasoningTokens());
                cost.add(labels, dollars(series.costNanos()));
                unpriced.addNonZero(labels, BigInteger.valueOf(series.unpricedRequests()));
            }
            Labels labels = Labels.of("org_id", org.orgId());
            rolling24h.add(labels, dollars(org.rolling24hCostNanos()));
            rolling1h.add(labels, dollars(org.rolling1hCostNanos()));
            monthToDate.add(labels, dollars(org.monthToDateCostNanos()));
            overflow.add(labels, org.overflowEvents());
            if (org.budget().isPresent()) {
                BudgetUsage orgBudget = org.budget().get();
                budget.add(labels, dollars(orgBudget.budgetNanos()));
                remaining.add(labels, dollars(org.budgetRemainingNanos().orElseThrow()));
                projected.add(labels, dollars(orgBudget.projectedMonthNanos()));
            }
        }
        List<MetricSnapshot> families = new ArrayList<>();
        for (Counters counters : List.of(requests, tokens, input, output, cached, cacheWrite, reasoning, cost,
                unpriced, overflow)) {
            counters.addTo(families);
        }
        for (Gauges gauges : List.of(rolling24h, rolling1h, monthToDate, budget, remaining, projected)) {
            gauges.addTo(families);
        }
        return new MetricSnapshots(families);
    }

    /** Exact nano-dollars to the nearest double of dollars; sums are never done in doubles. */
    static double dollars(BigInteger nanos) {
        return new BigDecimal(nanos, NANOS_SCALE).doubleValue();
    }

    /** One counter family being built. */
    private static final class Counters {
        private final CounterSnapshot.Builder builder;
        private boolean empty = true;

        Counters(String name, String help) {
            builder = CounterSnapshot.builder().name(name).help(help);
        }

        void add(Labels labels, long value) {
            add(labels, (double) value);
        }

        void add(Labels labels, BigInteger value) {
            add(labels, value.doubleValue());
        }

        /** Only a non-zero value makes a series: parts and counts that most series never have. */
        void addNonZero(Labels labels, BigInteger value) {
            if (value.signum() != 0) {
                add(labels, value);
            }
        }

        void add(Labels labels, double value) {
            if (value < 0) {
                throw new IllegalArgumentException("a counter value is negative");
            }
            builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            empty = false;
        }

        void addTo(List<MetricSnapshot> families) {
            if (!empty) {
                families.add(builder.build());
            }
        }
    }

    /** One gauge family being built; a gauge may be negative (a budget's remainder). */
    private static final class Gauges {
        private final GaugeSnapshot.Builder builder;
        private boolean empty = true;

        Gauges(String name, String help) {
            builder = GaugeSnapshot.builder().name(name).help(help);
        }

        void add(Labels labels, double value) {
            builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            empty = false;
        }

        void addTo(List<MetricSnapshot> families) {
            if (!empty) {
                families.add(builder.build());
            }
        }
    }
}
