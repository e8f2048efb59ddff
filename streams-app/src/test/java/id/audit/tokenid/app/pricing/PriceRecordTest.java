package id.audit.tokenid.app.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PriceRecordTest {

    private static PriceRecord.Parsed parse(String key, String json) {
        return PriceRecord.parse(key, json.getBytes(StandardCharsets.UTF_8));
    }

    private static PriceRow valid(String key, String json) {
        PriceRecord.Parsed parsed = parse(key, json);
        assertThat(parsed).isInstanceOf(PriceRecord.Valid.class);
        return ((PriceRecord.Valid) parsed).row();
    }

    @Test
    void readsPricesGivenAsStringsOrNumbersExactly() {
        PriceRow row = valid("openai|gpt-4o|2024-08-06",
                "{\"input\": \"2.50\", \"cached_input\": 1.25, \"output\": 10.000000001}");

        assertThat(row.input()).isEqualByComparingTo("2.5");
        assertThat(row.cachedInput()).isEqualByComparingTo("1.25");
        assertThat(row.cacheWriteInput()).as("absent: the input price").isEqualByComparingTo("2.5");
        assertThat(row.output()).isEqualByComparingTo("10.000000001");
    }

    @Test
    void aNullCachePriceIsTheInputPriceAndPeoplesFieldsAreAllowed() {
        PriceRow row = valid("anthropic|claude-x*|2026-01-01", "{\"input\": \"3\", \"cached_input\": null,"
                + " \"cache_write_input\": \"3.75\", \"output\": \"15\", \"provider\": \"anthropic\","
                + " \"model\": \"claude-x*\", \"valid_from\": \"2026-01-01\", \"source_url\": \"https://x\","
                + " \"source_date\": \"2026-12-01\", \"note\": \"n\"}");

        assertThat(row.cachedInput()).isEqualByComparingTo("3");
        assertThat(row.cacheWriteInput()).isEqualByComparingTo("3.75");
    }

    @Test
    void theJsonOfARowReadsBackAsTheSameRow() {
        PriceRow row = PriceRow.parse("openai", "m*", "2026-02-03", "0.000000001", "0.5", "", "100000");

        assertThat(valid(row.key(), PriceRecord.toJson(row))).isEqualTo(row);
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenAI|gpt-4o|2024-08-06", "openai| gpt-4o|2024-08-06", "openai|gpt-4o",
            "openai|gpt-4o|2024-08-06|x", "openai|gpt-4o|2024-8-6", "openai|gpt-4o|2024-02-30", "|gpt-4o|2024-08-06",
            "openai|g*t|2024-08-06"})
    void aKeyThatIsNotARowsKeyIsRefused(String key) {
        assertThat(PriceRecord.keyProblem(key)).isNotNull();
        assertThat(parse(key, "{\"input\": 1, \"output\": 1}")).isInstanceOf(PriceRecord.Invalid.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON               | {oops",
            "an array               | [1]",
            "a misspelt field       | {\"input\": 1, \"output\": 1, \"cached_imput\": 0.1}",
            "no output              | {\"input\": 1}",
            "a negative price       | {\"input\": -1, \"output\": 1}",
            "ten decimals           | {\"input\": \"0.0000000001\", \"output\": 1}",
            "a huge exponent        | {\"input\": 1e999999999, \"output\": 1}",
            "a tiny exponent        | {\"input\": 1e-999999999, \"output\": 1}",
            "a boolean price        | {\"input\": true, \"output\": 1}",
            "another model          | {\"input\": 1, \"output\": 1, \"model\": \"other\"}",
            "another date           | {\"input\": 1, \"output\": 1, \"valid_from\": \"2026-01-02\"}",
    })
    void aValueThatIsNotAPriceRowIsInvalid(String what, String json) {
        assertThat(parse("openai|m|2026-01-01", json)).as(what).isInstanceOf(PriceRecord.Invalid.class);
    }

    @Test
    void aValueOverFourKilobytesIsInvalid() {
        String big = "{\"input\": 1, \"output\": 1, \"note\": \"" + "x".repeat(4096) + "\"}";

        assertThat(parse("openai|m|2026-01-01", big)).isInstanceOf(PriceRecord.Invalid.class);
    }
}
