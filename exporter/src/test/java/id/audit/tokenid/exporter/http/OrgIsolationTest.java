package id.audit.tokenid.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No request can read another org's data (SPEC §3): 200 orgs of seeded random usage, each
 * scraped with its own token, checked sample by sample against an oracle computed here.
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

    /** Expected samples, computed from the generated usage without the code under test. */
    private static Map<Sample, BigDecimal> oracle(List<OrgUsage> orgs) {
        Map<Sample, BigDecimal> expected = new HashMap<>();
        for (OrgUsage org : orgs) {
            for (ModelUsage s : org.series()) {
                expected.put(new Sample("llm_requests_total", s.provider(), s.model(), org.orgId()),
                        BigDecimal.valueOf(s.requests()));
                expected.put(new Sample("llm_tokens_total", s.provider(), s.model(), org.orgId()),
                        new BigDecimal(s.inputTokens()).add(new BigDecimal(s.outputTokens())));
                expected.put(new Sample("llm_cost_usd_total", s.provider(), s.model(), org.orgId()),
                        new BigDecimal(s.costNanos()).movePointLeft(9));
            }
            expected.put(new Sample("llm_cost_usd_rolling_24h", null, null, org.orgId()),
                    new BigDecimal(org.rolling24hCostNanos()).movePointLeft(9));
        }
        return normalised(expected);
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

    private static List<OrgUsage> randomOrgs(Random random, int count) {
        Map<String, OrgUsage> byId = new TreeMap<>();
        while (byId.size() < count) {
            String orgId = "org-" + letters(random, 12);
            List<ModelUsage> series = new ArrayList<>();
            for (String provider : PROVIDERS) {
                for (String model : MODELS) {
                    if (random.nextInt(8) == 0) {
                        long input = random.nextInt(1_000_000);
                        series.add(new ModelUsage(provider, model, 1 + random.nextInt(100_000), input,
                                random.nextInt(1_000_000), random.nextLong(100_000_000_000_000L)));
                    }
                }
            }
            byId.put(orgId, new OrgUsage(orgId, series, random.nextLong(100_000_000_000_000L)));
        }
        return new ArrayList<>(byId.values());
    }

    private static String letters(Random random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
