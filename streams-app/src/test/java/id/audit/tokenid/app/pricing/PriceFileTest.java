package id.audit.tokenid.app.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceFileTest {

    private static final String HEADER = "provider,model,valid_from,input,cached_input,cache_write_input,output\n";

    @TempDir
    Path dir;

    @Test
    void readsRowsBetweenCommentsAndBlankLinesWithQuotedFieldsAndExtraColumns() {
        List<PriceRow> rows = PriceFile.parse("test", """
                # a comment first
                provider, model, valid_from, input, cached_input, cache_write_input, output, source_url, note

                openai,gpt-4o,2024-08-06,2.50,1.25,,10,https://example.com,"a note, with a comma"
                  # an indented comment
                anthropic , "claude-sonnet-4-5*" ,2025-09-29, 3 ,0.30,3.75,15
                """);

        assertThat(rows).extracting(PriceRow::key)
                .containsExactly("openai|gpt-4o|2024-08-06", "anthropic|claude-sonnet-4-5*|2025-09-29");
        assertThat(rows.get(0).cacheWriteInput()).isEqualByComparingTo("2.50");
        assertThat(rows.get(1).cacheWriteInput()).isEqualByComparingTo("3.75");
    }

    @Test
    void anErrorNamesTheFileAndTheLine() {
        assertThatThrownBy(() -> PriceFile.parse("prices file x.csv", "# comment\n" + HEADER
                + "openai,a,2026-01-01,1,,,1\n"
                + "openai,b,2026-01-01,one,,,1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("prices file x.csv line 4: input price must be a plain decimal");
    }

    @Test
    void aSecondRowWithTheSameKeyIsAnErrorNamingBothLines() {
        assertThatThrownBy(() -> PriceFile.parse("f", HEADER
                + "openai,m,2026-01-01,1,,,1\n"
                + "OpenAI,M,2026-01-01,2,,,2\n"))
                .hasMessageContaining("f line 3")
                .hasMessageContaining("first on line 2");
    }

    @Test
    void aHeaderWithOtherColumnsIsAnError() {
        assertThatThrownBy(() -> PriceFile.parse("f", "provider,model,input,output\nopenai,m,1,1\n"))
                .hasMessageContaining("f line 1: the header must begin with provider,model,valid_from");
    }

    @Test
    void aFileWithoutAHeaderIsAnError() {
        assertThatThrownBy(() -> PriceFile.parse("f", "# only comments\n\n"))
                .hasMessageContaining("no header line");
    }

    @Test
    void aRowWithTooFewOrTooManyFieldsIsAnError() {
        assertThatThrownBy(() -> PriceFile.parse("f", HEADER + "openai,m,2026-01-01,1,,\n"))
                .hasMessageContaining("f line 2: expected 7..7 fields, found 6");
        assertThatThrownBy(() -> PriceFile.parse("f", HEADER + "openai,m,2026-01-01,1,,,1,extra\n"))
                .hasMessageContaining("found 8");
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThatThrownBy(() -> PriceFile.parse("f", HEADER + "openai,\"m,2026-01-01,1,,,1\n"))
                .hasMessageContaining("f line 2: a quoted field is not closed");
    }

    @Test
    void readsAFileFromDiskAndNamesItInErrors() throws Exception {
        Path good = Files.writeString(dir.resolve("good.csv"), HEADER + "openai,m,2026-01-01,1,,,1\n");
        Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + "openai,m,2026-13-01,1,,,1\n");

        assertThat(PriceFile.read(good)).hasSize(1);
        assertThatThrownBy(() -> PriceFile.read(bad))
                .hasMessageContaining("prices file " + bad + " line 2: valid_from");
        assertThatThrownBy(() -> PriceFile.read(dir.resolve("missing.csv")))
                .hasMessageContaining("cannot read prices file");
    }

    @Test
    void refusesAFileThatIsNotUtf8() {
        byte[] latin1 = (HEADER + "openai,mod\u00e8le,2026-01-01,1,,,1\n").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> PriceFile.parse("f", latin1)).hasMessageContaining("not UTF-8");
    }

    @Test
    void theShippedFileParsesAndPricesKnownModels() {
        PriceTable table = PriceTable.of(PriceFile.shipped());
        long december = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

        // 1M input tokens cost the input price per million, in nanos: 2.50 USD = 2,500,000,000.
        assertThat(nanos(table, "openai", "gpt-4o", 1_000_000, 0, december)).isEqualTo(2_500_000_000L);
        assertThat(nanos(table, "openai", "gpt-4.1-nano-2025-04-14", 0, 1_000_000, december))
                .isEqualTo(400_000_000L);
        assertThat(nanos(table, "anthropic", "claude-sonnet-4-5-20250929", 1_000_000, 1_000_000, december))
                .isEqualTo(18_000_000_000L);
        assertThat(nanos(table, "anthropic", "claude-haiku-4-5-20251001", 0, 1_000_000, december))
                .isEqualTo(5_000_000_000L);
        assertThat(nanos(table, "google", "gemini-2.5-flash", 1_000_000, 0, december)).isEqualTo(300_000_000L);
        // o3's price changed on 2025-06-10: an event of May is priced at the launch price.
        long may = Instant.parse("2025-05-01T00:00:00Z").toEpochMilli();
        assertThat(nanos(table, "openai", "o3", 0, 1_000_000, may)).isEqualTo(40_000_000_000L);
        assertThat(nanos(table, "openai", "o3", 0, 1_000_000, december)).isEqualTo(8_000_000_000L);
        // Prefix rows do not reach unrelated models.
        assertThat(table.rowFor("openai", "gpt-4o-mini-tts", december)).isEmpty();
    }

    @Test
    void everyShippedRowNamesItsSourceAndDate() throws Exception {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(PriceFile.SHIPPED)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<List<String>> rows = text.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
                .skip(1).map(PriceFile::fields).toList();

        assertThat(rows).hasSizeGreaterThan(20);
        for (List<String> row : rows) {
            assertThat(row).as("row %s", row).hasSize(10);
            assertThat(row.get(7)).as("source_url of %s", row).startsWith("https://");
            assertThat(row.get(8)).as("source_date of %s", row).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(row.get(9)).as("note of %s", row).isNotBlank();
        }
    }

    private static long nanos(PriceTable table, String provider, String model, long input, long output, long time) {
        ApiCallEvent event = new ApiCallEvent(null, "acme", provider, model, input, output, 0, 0, 0, 0, false, time);
        return ((PriceQuote.Priced) table.quote(event)).nanos();
    }
}
