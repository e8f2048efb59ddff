package id.audit.tokenid.exporter.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Exposition output against golden files. To regenerate them after a deliberate change, run
 * {@code mvn -o -pl exporter -am test -Dtest=ExpositionGoldenTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dgolden.update=true} (it writes the files, then fails against the copies already on the
 * classpath), run it again without the flag, and review the diff by eye.
 */
class ExpositionGoldenTest {

    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private final ExpositionEncoder encoder = new ExpositionEncoder();

    @Test
    void rendersPrometheusTextByteForByte() throws IOException {
        // given
        var snapshots = MetricsExposition.snapshots(GoldenUsage.orgs());

        // when
        ExpositionEncoder.Encoded encoded = encoder.encode(snapshots, null, null);

        // then
        assertThat(encoded.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(encoded.contentEncoding()).isEmpty();
        assertGolden("usage.prom", encoded.body());
    }

    @Test
    void rendersOpenMetricsByteForByteWhenAcceptAsksForIt() throws IOException {
        // given
        var snapshots = MetricsExposition.snapshots(GoldenUsage.orgs());

        // when
        ExpositionEncoder.Encoded encoded = encoder.encode(snapshots, OPENMETRICS, null);

        // then
        assertThat(encoded.contentType()).isEqualTo(OPENMETRICS);
        assertGolden("usage.om.txt", encoded.body());
    }

    @Test
    void rendersProtobufWhenAcceptAsksForIt() throws IOException {
        // given
        var snapshots = MetricsExposition.snapshots(GoldenUsage.orgs());

        // when
        ExpositionEncoder.Encoded encoded = encoder.encode(snapshots, PROTOBUF, null);

        // then
        assertThat(encoded.contentType()).startsWith("application/vnd.google.protobuf");
        assertThat(encoded.body()).isNotEmpty();
        // The same families, help, types, series and values as the text golden file.
        var golden = ProtobufExposition.parseText(new String(golden("usage.prom"), StandardCharsets.UTF_8));
        assertThat(golden).hasSize(MetricsExposition.FAMILIES.size());
        assertThat(golden.get("llm_requests_total").samples()).containsEntry(
                "llm_requests_total{model=model\nwith newline 🚀, org_id=evil \"org\" \\ with\nnewline 😀, "
                        + "provider=prov\"ider\\x}", 9.007199254740992E15);
        assertThat(ProtobufExposition.decode(encoded.body())).isEqualTo(golden);
    }

    @Test
    void gzipsWhenAcceptEncodingAllowsIt() throws IOException {
        // given
        var snapshots = MetricsExposition.snapshots(GoldenUsage.orgs());

        // when
        ExpositionEncoder.Encoded encoded = encoder.encode(snapshots, null, List.of("br, GZIP;q=0.5"));

        // then
        assertThat(encoded.contentEncoding()).contains("gzip");
        assertThat(gunzip(encoded.body())).isEqualTo(golden("usage.prom"));
    }

    @Test
    void doesNotGzipWhenGzipHasZeroQualityOrIsNotListed() {
        assertThat(ExpositionEncoder.allowsGzip(List.of("gzip;q=0"))).isFalse();
        assertThat(ExpositionEncoder.allowsGzip(List.of("gzip; q=0.000"))).isFalse();
        assertThat(ExpositionEncoder.allowsGzip(List.of("deflate, br"))).isFalse();
        assertThat(ExpositionEncoder.allowsGzip(null)).isFalse();
        assertThat(ExpositionEncoder.allowsGzip(List.of("identity", "gzip"))).isTrue();
    }

    @Test
    void rendersTheSameBytesWhateverTheOrderOfOrgsAndSeries() {
        // given
        List<OrgUsage> shuffled = new ArrayList<>();
        Random random = new Random(7);
        for (OrgUsage org : GoldenUsage.orgs()) {
            List<ModelUsage> series = new ArrayList<>(org.series());
            Collections.shuffle(series, random);
            shuffled.add(new OrgUsage(org.orgId(), series, org.rolling24hCostNanos(), org.rolling1hCostNanos(),
                    org.monthToDateCostNanos(), org.budget()));
        }
        Collections.shuffle(shuffled, random);

        // when
        byte[] body = encoder.encode(MetricsExposition.snapshots(shuffled), null, null).body();

        // then
        assertThat(body).isEqualTo(encoder.encode(MetricsExposition.snapshots(GoldenUsage.orgs()), null, null).body());
    }

    @Test
    void keepsTheWindowGaugesAndTheOverflowCounterOfAnOrgWithoutSeriesAtZero() {
        // given
        List<OrgUsage> orgs = List.of(new OrgUsage("new-org", List.of(), 0));

        // when
        String text = text(orgs);

        // then: no per-series family, no budget family, not even a HELP line of one
        assertThat(text).isEqualTo("""
                # HELP llm_cost_usd_month_to_date %s
                # TYPE llm_cost_usd_month_to_date gauge
                llm_cost_usd_month_to_date{org_id="new-org"} 0.0
                # HELP llm_cost_usd_rolling_1h %s
                # TYPE llm_cost_usd_rolling_1h gauge
                llm_cost_usd_rolling_1h{org_id="new-org"} 0.0
                # HELP llm_cost_usd_rolling_24h %s
                # TYPE llm_cost_usd_rolling_24h gauge
                llm_cost_usd_rolling_24h{org_id="new-org"} 0.0
                # HELP llm_series_overflow_total %s
                # TYPE llm_series_overflow_total counter
                llm_series_overflow_total{org_id="new-org"} 0.0
                """.formatted(MetricsExposition.MONTH_TO_DATE_HELP, MetricsExposition.ROLLING_1H_HELP,
                MetricsExposition.ROLLING_HELP, MetricsExposition.OVERFLOW_HELP));
    }

    @Test
    void dropsSeriesWithBlankProviderOrModelFromPerModelCounters() {
        // given
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(
                new ModelUsage(" ", "gpt-4o", 1, 1, 1, 1),
                new ModelUsage("openai", "", 1, 1, 1, 1)), 2));

        // when
        String text = text(orgs);

        // then
        assertThat(text).doesNotContain("llm_requests_total").doesNotContain("unknown")
                .contains("llm_cost_usd_rolling_24h{org_id=\"acme\"} 2.0E-9");
    }

    @Test
    void showsASeriesWhoseProviderIsBlankOnlyToJavaButNotToTheCodec() {
        // given: U+3000 is whitespace to String.isBlank, not to the codec's rule
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(
                new ModelUsage(GoldenUsage.IDEOGRAPHIC_SPACE, "gpt-4o", 1, 1, 1, 1)), 1));

        // when
        String text = text(orgs);

        // then
        assertThat(text).contains("llm_requests_total{model=\"gpt-4o\",org_id=\"acme\",provider=\"\u3000\"} 1.0");
    }

    @Test
    void rendersSumsBeyondALongWithoutOverflow() {
        // given: input + output = 2^64 + 2^63, which no long holds; cost 2^70 nano-dollars
        BigInteger input = BigInteger.ONE.shiftLeft(64);
        BigInteger output = BigInteger.ONE.shiftLeft(63);
        BigInteger cost = BigInteger.ONE.shiftLeft(70);
        List<OrgUsage> orgs = List.of(new OrgUsage("whale", List.of(
                new ModelUsage("openai", "gpt-4o", Long.MAX_VALUE, input, output, cost)), cost));

        // when
        String text = text(orgs);

        // then: the exact sums, as the nearest doubles
        double tokens = input.add(output).doubleValue();
        double dollars = new java.math.BigDecimal(cost, 9).doubleValue();
        assertThat(tokens).isEqualTo(0x1.8p64);
        assertThat(text)
                .contains("llm_tokens_total{model=\"gpt-4o\",org_id=\"whale\",provider=\"openai\"} " + tokens)
                .contains("llm_cost_usd_total{model=\"gpt-4o\",org_id=\"whale\",provider=\"openai\"} " + dollars)
                .contains("llm_cost_usd_rolling_24h{org_id=\"whale\"} " + dollars)
                .contains("llm_requests_total{model=\"gpt-4o\",org_id=\"whale\",provider=\"openai\"} "
                        + (double) Long.MAX_VALUE);
    }

    @Test
    void convertsNanoDollarsExactlyWithoutSummingDoubles() {
        assertThat(MetricsExposition.dollars(BigInteger.ONE)).isEqualTo(1e-9);
        assertThat(MetricsExposition.dollars(BigInteger.valueOf(100_000_000))).isEqualTo(0.1);
        // 0.1 + 0.2 != 0.3 in doubles
        assertThat(MetricsExposition.dollars(BigInteger.valueOf(300_000_000))).isEqualTo(0.3);
        assertThat(MetricsExposition.dollars(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(9.223372036854775807e9);
        // 2^128 - 1 nano-dollars, the largest sum the aggregation keeps
        assertThat(MetricsExposition.dollars(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)))
                .isEqualTo(3.402823669209385e29);
    }

    @Test
    void rejectsAnOrgThatAppearsTwice() {
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(), 0), new OrgUsage("acme", List.of(), 1));

        assertThatThrownBy(() -> MetricsExposition.snapshots(orgs)).isInstanceOf(IllegalArgumentException.class);
    }

    private String text(List<OrgUsage> orgs) {
        return new String(encoder.encode(MetricsExposition.snapshots(orgs), null, null).body(), StandardCharsets.UTF_8);
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = ExpositionGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static void assertGolden(String name, byte[] actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.write(Path.of("src/test/resources/golden", name), actual);
        }
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(golden(name), StandardCharsets.UTF_8));
        assertThat(actual).isEqualTo(golden(name));
    }
}
