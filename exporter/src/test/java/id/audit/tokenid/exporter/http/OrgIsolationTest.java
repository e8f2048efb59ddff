package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.usage.BudgetUsage;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No request can read another org's data (SPEC §3): 200 orgs of seeded random usage, each
 * scraped with its own token, checked sample by sample (every family, budget gauges included)
 * against an oracle computed here.
 */
class OrgIsolationTest {

    private static final List<String> PROVIDERS = List.of("openai", "anthropic", "google", "mistral");
    private static final List<String> MODELS = List.of("gpt-4o", "claude \"3.5\"", "gemini\\pro", "large\nv2", "🦙");

    private final FakeTokens tokens = new FakeTokens();
    private final List<OrgUsage> orgs = randomOrgs(new Random(20240601), 200);
    private final Map<String, String> tokenByOrg = new LinkedHashMap<>();
    private MetricsServer server;

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "reader misbehaves: {0}")
    @ValueSource(booleans = {false, true})
    void servesEachOrgOnlyItsOwnSeries(boolean misbehavingReader) throws IOException {
        // given
        MapUsageReader data = new MapUsageReader(orgs);
        start(misbehavingReader ? data.misbehaving() : data);

        for (OrgUsage org : orgs) {
            // when
            HttpResponse<String> response = Http.get(server.port(), "/metrics",
                    "Authorization", Http.bearer(tokenByOrg.get(org.orgId())));

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            Map<Sample, BigDecimal> samples = parse(response.body());
            assertThat(samples.keySet()).extracting(Sample::orgId).containsOnly(org.orgId());
            assertThat(samples).isEqualTo(oracle(List.of(org)));
            for (OrgUsage other : orgs) {
                if (other != org) {
                    assertThat(response.body()).doesNotContain(other.orgId());
                }
            }
        }
    }

    @ParameterizedTest(name = "reader misbehaves: {0}")
    @ValueSource(booleans = {false, true})
    void servesAnAdminEveryOrg(boolean misbehavingReader) throws IOException {
        // given
        MapUsageReader data = new MapUsageReader(orgs);
        start(misbehavingReader ? data.misbehaving() : data);

        // when
        HttpResponse<String> response = Http.get(server.port(), "/metrics",
                "Authorization", Http.bearer(tokens.mint(Principal.admin())));

        // then
        assertThat(parse(response.body())).isEqualTo(oracle(orgs));
    }

    private void start(UsageReader reader) throws IOException {
        orgs.forEach(org -> tokenByOrg.put(org.orgId(), tokens.mintFor(org.orgId())));
        server = MetricsServer.builder().bindAddress("127.0.0.1").port(0).tokens(tokens)
                .usageReader(reader).localReader(reader).start();
    }

    /** One sample: metric name and labels, as read back from the exposition. */
    record Sample(String metric, String provider, String model, String orgId) {
    }

    /**
     * Expected samples, computed from the generated usage without the code under test: every
     * family of the README's metric table with its presence rule.
     */
    private static Map<Sample, BigDecimal> oracle(List<OrgUsage> orgs) {
        Map<Sample, BigDecimal> expected = new HashMap<>();
        for (OrgUsage org : orgs) {
            long overflowEvents = 0;
            for (ModelUsage s : org.series()) {
                Map<String, BigDecimal> values = new LinkedHashMap<>();
                values.put("llm_requests_total", BigDecimal.valueOf(s.requests()));
                values.put("llm_tokens_total", new BigDecimal(s.inputTokens()).add(new BigDecimal(s.outputTokens())));
                values.put("llm_input_tokens_total", new BigDecimal(s.inputTokens()));
                values.put("llm_output_tokens_total", new BigDecimal(s.outputTokens()));
                values.put("llm_cost_usd_total", new BigDecimal(s.costNanos()).movePointLeft(9));
                // present only once non-zero
                values.put("llm_cached_input_tokens_total", nonZero(new BigDecimal(s.cachedInputTokens())));
                values.put("llm_cache_write_input_tokens_total", nonZero(new BigDecimal(s.cacheWriteInputTokens())));
                values.put("llm_reasoning_tokens_total", nonZero(new BigDecimal(s.reasoningTokens())));
                values.put("llm_unpriced_requests_total", nonZero(BigDecimal.valueOf(s.unpricedRequests())));
                values.forEach((metric, value) -> {
                    if (value != null) {
                        expected.put(new Sample(metric, s.provider(), s.model(), org.orgId()), value);
                    }
                });
                if (s.provider().equals("OVERFLOW") && s.model().equals("OVERFLOW")) {
                    overflowEvents += s.requests();
                }
            }
            expected.put(new Sample("llm_cost_usd_rolling_24h", null, null, org.orgId()),
                    new BigDecimal(org.rolling24hCostNanos()).movePointLeft(9));
            expected.put(new Sample("llm_cost_usd_rolling_1h", null, null, org.orgId()),
                    new BigDecimal(org.rolling1hCostNanos()).movePointLeft(9));
            expected.put(new Sample("llm_cost_usd_month_to_date", null, null, org.orgId()),
                    new BigDecimal(org.monthToDateCostNanos()).movePointLeft(9));
            expected.put(new Sample("llm_series_overflow_total", null, null, org.orgId()),
                    BigDecimal.valueOf(overflowEvents));
            org.budget().ifPresent(budget -> {
                BigDecimal budgetUsd = new BigDecimal(budget.budgetNanos()).movePointLeft(9);
                BigDecimal monthToDate = new BigDecimal(org.monthToDateCostNanos()).movePointLeft(9);
                expected.put(new Sample("llm_budget_usd", null, null, org.orgId()), budgetUsd);
                expected.put(new Sample("llm_budget_remaining_usd", null, null, org.orgId()),
                        budgetUsd.subtract(monthToDate));
                expected.put(new Sample("llm_cost_usd_projected_month", null, null, org.orgId()),
                        new BigDecimal(budget.projectedMonthNanos()).movePointLeft(9));
            });
        }
        return normalised(expected);
    }

    private static BigDecimal nonZero(BigDecimal value) {
        return value.signum() == 0 ? null : value;
    }

    /** Parses text format 0.0.4 sample lines, unescaping label values by hand. */
    private static Map<Sample, BigDecimal> parse(String body) {
        Map<Sample, BigDecimal> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            int brace = line.indexOf('{');
            String metric = line.substring(0, brace);
            Map<String, String> labels = new TreeMap<>();
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String name = line.substring(i, equals);
                StringBuilder value = new StringBuilder();
                int j = equals + 2; // skip ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(name, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            String value = line.substring(i + 2);
            Sample sample = new Sample(metric, labels.get("provider"), labels.get("model"), labels.get("org_id"));
            assertThat(samples.put(sample, new BigDecimal(value))).as("duplicate %s", sample).isNull();
        }
        return normalised(samples);
    }

    /**
     * Values to 9 decimals. Generated costs stay below 1e14 nano-dollars (15 significant
     * digits), which a double's shortest decimal form always gives back exactly.
     */
    private static Map<Sample, BigDecimal> normalised(Map<Sample, BigDecimal> samples) {
        Map<Sample, BigDecimal> out = new HashMap<>();
        samples.forEach((sample, value) -> out.put(sample, value.setScale(9, RoundingMode.HALF_EVEN)));
        return out;
    }

    /**
     * Random usage with every figure: token parts, unpriced events and an overflow series on
     * some series, and a budget (sometimes overspent) on some orgs.
     */
    private static List<OrgUsage> randomOrgs(Random random, int count) {
        Map<String, OrgUsage> byId = new TreeMap<>();
        while (byId.size() < count) {
            String orgId = "org-" + letters(random, 12);
            List<ModelUsage> series = new ArrayList<>();
            for (String provider : PROVIDERS) {
                for (String model : MODELS) {
                    if (random.nextInt(8) == 0) {
                        series.add(randomSeries(random, provider, model));
                    }
                }
            }
            if (random.nextInt(5) == 0) {
                series.add(randomSeries(random, ModelUsage.OVERFLOW, ModelUsage.OVERFLOW));
            }
            BigInteger monthToDate = BigInteger.valueOf(random.nextLong(100_000_000_000_000L));
            Optional<BudgetUsage> budget = random.nextBoolean() ? Optional.empty()
                    : Optional.of(new BudgetUsage(BigInteger.valueOf(random.nextLong(100_000_000_000_000L)),
                            monthToDate.add(BigInteger.valueOf(random.nextLong(100_000_000_000_000L)))));
            byId.put(orgId, new OrgUsage(orgId, series, BigInteger.valueOf(random.nextLong(100_000_000_000_000L)),
                    BigInteger.valueOf(random.nextLong(100_000_000_000_000L)), monthToDate, budget));
        }
        return new ArrayList<>(byId.values());
    }

    private static ModelUsage randomSeries(Random random, String provider, String model) {
        long input = random.nextInt(1_000_000);
        long output = random.nextInt(1_000_000);
        long requests = 1 + random.nextInt(100_000);
        // each part is 0 half of the time, so both presence cases occur
        long cached = random.nextBoolean() ? 0 : random.nextLong(input / 2 + 1);
        long cacheWrite = random.nextBoolean() ? 0 : random.nextLong(input / 2 + 1);
        long reasoning = random.nextBoolean() ? 0 : random.nextLong(output + 1);
        long unpriced = random.nextBoolean() ? 0 : random.nextLong(requests + 1);
        return new ModelUsage(provider, model, requests, BigInteger.valueOf(input), BigInteger.valueOf(output),
                BigInteger.valueOf(cached), BigInteger.valueOf(cacheWrite), BigInteger.valueOf(reasoning),
                BigInteger.valueOf(random.nextLong(100_000_000_000_000L)), unpriced);
    }

    private static String letters(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
