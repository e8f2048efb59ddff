package id.audit.tokenid.app.it;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small price table for the integration tests, written as a prices file, and the test's own
 * reading of it (the oracle): per model the rows that apply, chosen by hand from the file's
 * rules, never by the service's {@code PriceTable}. Prices change at the start of today (UTC),
 * so traffic that spans two days is priced by two rows; gemini-pro has no row before today, so
 * its older events without cost are unpriced.
 */
final class TestPrices implements GeneratedTraffic.PriceOracle {

    /** One row: USD per million tokens from {@code validFrom} on. */
    private record Row(Instant validFrom, String input, String cached, String cacheWrite, String output) {
    }

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final Instant todayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    private final Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
    /** "provider/model" of the traffic → its rows, oldest first. gpt-4o is priced by the "gpt-4o*" prefix rows. */
    private final Map<String, List<Row>> rows = Map.of(
            "openai/gpt-4o", List.of(new Row(longAgo, "2.5", "1.25", "2.5", "10")),
            "openai/gpt-4o-mini", List.of(new Row(longAgo, "0.15", "0.075", "0.15", "0.6"),
                    new Row(todayStart, "0.2", "0.1", "0.2", "0.8")),
            "anthropic/claude-sonnet", List.of(new Row(longAgo, "3", "0.3", "3.75", "15")),
            "anthropic/claude-haiku", List.of(new Row(longAgo, "0.8", "0.08", "1", "4"),
                    new Row(todayStart, "1", "0.1", "1.25", "5")),
            "google/gemini-pro", List.of(new Row(todayStart, "1.25", "1.25", "1.25", "5")));

    /** The same table as a prices file (README "Prices" format). */
    Path write(Path dir) throws Exception {
        String header = "provider,model,valid_from,input,cached_input,cache_write_input,output,source_url,source_date,note\n";
        String body = String.join("\n",
                // A prefix row that gpt-4o-mini's exact rows beat, and a gpt-4 row no traffic model matches.
                "openai,gpt-4o*,2020-01-01,2.5,1.25,,10,test,2026-01-01,prefix",
                "openai,gpt-4,2020-01-01,99,,,99,test,2026-01-01,never matches gpt-4o",
                "openai,gpt-4o-mini,2020-01-01,0.15,0.075,,0.6,test,2026-01-01,",
                "openai,gpt-4o-mini," + today + ",0.2,0.1,,0.8,test,2026-01-01,",
                "anthropic,claude-sonnet,2020-01-01,3,0.3,3.75,15,test,2026-01-01,",
                "anthropic,claude-haiku,2020-01-01,0.8,0.08,1,4,test,2026-01-01,",
                "anthropic,claude-haiku," + today + ",1,0.1,1.25,5,test,2026-01-01,",
                "google,gemini-pro," + today + ",1.25,,,5,test,2026-01-01,") + "\n";
        Path file = Files.createTempFile(dir, "prices", ".csv");
        Files.writeString(file, header + body);
        return file;
    }

    @Override
    public Optional<BigDecimal> costUsd(String provider, String model, long uncachedIn, long cachedIn,
                                        long cacheWriteIn, long out, Instant eventTime) {
        Row row = null;
        for (Row candidate : rows.getOrDefault(provider + "/" + model, List.of())) {
            if (!candidate.validFrom().isAfter(eventTime)) {
                row = candidate;
            }
        }
        if (row == null) {
            return Optional.empty();
        }
        // USD per million tokens → nano-dollars: × 1e9 / 1e6 = × 1000, rounded half-even once.
        BigDecimal nanos = new BigDecimal(row.input()).multiply(BigDecimal.valueOf(uncachedIn))
                .add(new BigDecimal(row.cached()).multiply(BigDecimal.valueOf(cachedIn)))
                .add(new BigDecimal(row.cacheWrite()).multiply(BigDecimal.valueOf(cacheWriteIn)))
                .add(new BigDecimal(row.output()).multiply(BigDecimal.valueOf(out)))
                .multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_EVEN);
        return Optional.of(nanos.movePointLeft(9));
    }
}
