package id.audit.tokenid.exporter.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The presence rules and values of the issue 11 families (token breakdown, unpriced requests,
 * 1 h and month-to-date windows, series overflow, budgets), one rule per test; the golden files
 * show them all together.
 */
class SpendFamiliesTest {

    private final ExpositionEncoder encoder = new ExpositionEncoder();

    @Test
    void rendersInputAndOutputForEverySeriesButTokenPartsAndUnpricedOnlyOnceNonZero() {
        // given: one series without parts, one with only cached input tokens
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(
                new ModelUsage("anthropic", "claude", 1, big(10), big(20), big(0), big(0), big(0), big(5), 0),
                new ModelUsage("openai", "gpt-4o", 2, big(100), big(50), big(60), big(0), big(0), big(7), 0)),
                big(12)));

        // when
        String text = text(orgs);

        // then
        assertThat(text)
                .contains("llm_input_tokens_total{model=\"claude\",org_id=\"acme\",provider=\"anthropic\"} 10.0")
                .contains("llm_output_tokens_total{model=\"claude\",org_id=\"acme\",provider=\"anthropic\"} 20.0")
                .contains("llm_input_tokens_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 100.0")
                .contains("llm_output_tokens_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 50.0")
                .contains("llm_cached_input_tokens_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 60.0")
                .doesNotContain("llm_cached_input_tokens_total{model=\"claude\"")
                // parts are a part of their whole: the sum stays input plus output
                .contains("llm_tokens_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"openai\"} 150.0")
                // families without any series are not rendered at all, not even their HELP
                .doesNotContain(MetricsExposition.CACHE_WRITE_INPUT_TOKENS_TOTAL)
                .doesNotContain(MetricsExposition.REASONING_TOKENS_TOTAL)
                .doesNotContain(MetricsExposition.UNPRICED_REQUESTS_TOTAL);
    }

    @Test
    void rendersUnpricedRequestsBesideTheirTokensAndAZeroCost() {
        // given: three events without a cost and without a price-table row
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(
                new ModelUsage("newcorp", "brand-new", 3, big(30), big(9), big(0), big(0), big(0), big(0), 3)),
                big(0)));

        // when
        String text = text(orgs);

        // then
        String labels = "{model=\"brand-new\",org_id=\"acme\",provider=\"newcorp\"}";
        assertThat(text).contains("llm_unpriced_requests_total" + labels + " 3.0")
                .contains("llm_requests_total" + labels + " 3.0")
                .contains("llm_tokens_total" + labels + " 39.0")
                .contains("llm_cost_usd_total" + labels + " 0.0");
    }

    @Test
    void rendersTheOverflowSeriesLikeAnyOtherAndCountsItsEventsPerOrg() {
        // given
        List<OrgUsage> orgs = List.of(
                new OrgUsage("crowded", List.of(
                        new ModelUsage("openai", "gpt-4o", 2, 20, 10, 1_000_000_000L),
                        new ModelUsage(ModelUsage.OVERFLOW, ModelUsage.OVERFLOW, 9, 90, 45, 4_500_000_000L)),
                        5_500_000_000L),
                new OrgUsage("calm", List.of(new ModelUsage("openai", "gpt-4o", 1, 1, 1, 1)), 1));

        // when
        String text = text(orgs);

        // then
        String overflow = "{model=\"OVERFLOW\",org_id=\"crowded\",provider=\"OVERFLOW\"}";
        assertThat(text).contains("llm_requests_total" + overflow + " 9.0")
                .contains("llm_tokens_total" + overflow + " 135.0")
                .contains("llm_cost_usd_total" + overflow + " 4.5")
                .contains("llm_series_overflow_total{org_id=\"crowded\"} 9.0")
                .contains("llm_series_overflow_total{org_id=\"calm\"} 0.0");
    }

    @Test
    void rendersTheOneHourAndMonthToDateCostOfEveryOrg() {
        // given
        List<OrgUsage> orgs = List.of(
                new OrgUsage("acme", List.of(), big(3_000_000_000L), big(250_000_000L), big(41_100_000_000L),
                        Optional.empty()),
                new OrgUsage("idle", List.of(), 0));

        // when
        String text = text(orgs);

        // then
        assertThat(text).contains("llm_cost_usd_rolling_1h{org_id=\"acme\"} 0.25")
                .contains("llm_cost_usd_month_to_date{org_id=\"acme\"} 41.1")
                .contains("llm_cost_usd_rolling_24h{org_id=\"acme\"} 3.0")
                .contains("llm_cost_usd_rolling_1h{org_id=\"idle\"} 0.0")
                .contains("llm_cost_usd_month_to_date{org_id=\"idle\"} 0.0");
    }

    @Test
    void rendersBudgetGaugesOnlyForOrgsWithABudgetAndARemainderBelowZeroOnceOverspent() {
        // given: 0.30 USD spent of 0.10 (0.1 - 0.3 is -0.19999999999999998 in doubles), an
        // unspent budget of 0, and an org without a budget
        List<OrgUsage> orgs = List.of(
                new OrgUsage("overspent", List.of(), big(300_000_000L), big(0), big(300_000_000L),
                        Optional.of(new BudgetUsage(big(100_000_000L), big(900_000_000L)))),
                new OrgUsage("zero", List.of(), big(0), big(0), big(0),
                        Optional.of(new BudgetUsage(big(0), big(0)))),
                new OrgUsage("nobudget", List.of(), big(5), big(5), big(5), Optional.empty()));

        // when
        String text = text(orgs);

        // then
        assertThat(text).contains("llm_budget_usd{org_id=\"overspent\"} 0.1")
                .contains("llm_budget_remaining_usd{org_id=\"overspent\"} -0.2")
                .contains("llm_cost_usd_projected_month{org_id=\"overspent\"} 0.9")
                .contains("llm_budget_usd{org_id=\"zero\"} 0.0")
                .contains("llm_budget_remaining_usd{org_id=\"zero\"} 0.0")
                .contains("llm_cost_usd_projected_month{org_id=\"zero\"} 0.0")
                .doesNotContain("llm_budget_usd{org_id=\"nobudget\"}")
                .doesNotContain("llm_budget_remaining_usd{org_id=\"nobudget\"}")
                .doesNotContain("llm_cost_usd_projected_month{org_id=\"nobudget\"}")
                .contains("llm_cost_usd_month_to_date{org_id=\"nobudget\"} 5.0E-9");
    }

    @Test
    void leavesOutFamiliesWithoutSeriesInEveryFormat() throws IOException {
        // given: no budget, no token parts, no unpriced events anywhere
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 1, 1, 1, 1)), 1));
        var snapshots = MetricsExposition.snapshots(orgs);
        List<String> absent = List.of("llm_budget", "llm_cost_usd_projected_month", "llm_cached_input_tokens",
                "llm_cache_write_input_tokens", "llm_reasoning_tokens", "llm_unpriced_requests");

        // when
        String prometheus = new String(encoder.encode(snapshots, null, null).body(), StandardCharsets.UTF_8);
        String openMetrics = new String(encoder.encode(snapshots, ExpositionGoldenTest.OPENMETRICS, null).body(),
                StandardCharsets.UTF_8);
        var protobuf = ProtobufExposition.decode(encoder.encode(snapshots, ExpositionGoldenTest.PROTOBUF, null).body());

        // then
        assertThat(protobuf.keySet()).containsExactlyInAnyOrder("llm_requests_total", "llm_tokens_total",
                "llm_input_tokens_total", "llm_output_tokens_total", "llm_cost_usd_total",
                "llm_series_overflow_total", "llm_cost_usd_rolling_24h", "llm_cost_usd_rolling_1h",
                "llm_cost_usd_month_to_date");
        assertThat(protobuf).isEqualTo(ProtobufExposition.parseText(prometheus));
        for (String family : absent) {
            assertThat(prometheus).doesNotContain(family);
            assertThat(openMetrics).doesNotContain(family);
        }
        assertThat(openMetrics).endsWith("# EOF\n");
    }

    @Test
    void dropsSeriesWithBlankProviderOrModelFromEveryPerSeriesFamily() {
        // given
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(
                new ModelUsage(" ", "gpt-4o", 1, big(5), big(5), big(1), big(1), big(1), big(1), 1)),
                big(1), big(1), big(1), Optional.empty()));

        // when
        String text = text(orgs);

        // then
        assertThat(text).doesNotContain("provider=").contains("llm_cost_usd_rolling_1h{org_id=\"acme\"} 1.0E-9");
    }

    private String text(List<OrgUsage> orgs) {
        return new String(encoder.encode(MetricsExposition.snapshots(orgs), null, null).body(), StandardCharsets.UTF_8);
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }
}
