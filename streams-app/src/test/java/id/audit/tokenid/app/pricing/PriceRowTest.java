package id.audit.tokenid.app.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceRowTest {

    @Test
    void normalisesProviderAndModelLikeTheCodec() {
        PriceRow row = PriceRow.parse(" OpenAI ", "GPT-4o*", "2026-01-01", "2.50", "1.25", "", "10");

        assertThat(row.key()).isEqualTo("openai|gpt-4o*|2026-01-01");
        assertThat(row.input()).isEqualTo(new BigDecimal("2.5"));
        assertThat(row.output()).isEqualTo(new BigDecimal("10"));
    }

    @Test
    void keepsNineDigitsAfterThePointAndTheLargestPrice() {
        PriceRow row = PriceRow.parse("p", "m", "2026-01-01", "0.000000001", "", "", "100000");

        assertThat(row.input()).isEqualByComparingTo("0.000000001");
        assertThat(row.output()).isEqualByComparingTo("100000");
    }

    @Test
    void validFromIsMidnightUtc() {
        PriceRow row = PriceRow.parse("p", "m", "2026-06-01", "1", "", "", "1");

        assertThat(row.validFromMillis()).isEqualTo(java.time.Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "price above 100000           | p | m     | 2026-01-01 | 100000.000000001 | output",
            "ten digits after the point   | p | m     | 2026-01-01 | 0.0000000001     | input",
            "negative price               | p | m     | 2026-01-01 | -1               | input",
            "exponent                     | p | m     | 2026-01-01 | 1e3              | input",
            "comma decimal                | p | m     | 2026-01-01 | 2,5              | input",
            "star inside the pattern      | p | g*t   | 2026-01-01 | 1                | '*'",
            "two stars                    | p | g**   | 2026-01-01 | 1                | '*'",
            "bar in the model             | p | a|b   | 2026-01-01 | 1                | '|'",
            "not a date                   | p | m     | 2026-02-30 | 1                | valid_from",
            "date in another form         | p | m     | 01/02/2026 | 1                | valid_from",
            "blank provider               | '' | m    | 2026-01-01 | 1                | provider",
    })
    void refusesARowThatIsNotAPrice(String what, String provider, String model, String date, String price,
                                    String named) {
        String output = what.startsWith("price above") ? price : "1";
        String input = what.startsWith("price above") ? "1" : price;
        assertThatThrownBy(() -> PriceRow.parse(provider, model, date, input, "", "", output))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void refusesAProviderThatIsNotNormalisedWhenBuiltDirectly() {
        assertThatThrownBy(() -> new PriceRow("OpenAI", "m", LocalDate.of(2026, 1, 1), BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower case");
    }

    @Test
    void refusesAModelLongerThanAnEventsModelCanBe() {
        String tooLong = "m".repeat(258);
        assertThatThrownBy(() -> PriceRow.parse("p", tooLong, "2026-01-01", "1", "", "", "1"))
                .hasMessageContaining("at most 257");
        assertThat(PriceRow.parse("p", "m".repeat(256) + "*", "2026-01-01", "1", "", "", "1").isPrefix()).isTrue();
    }
}
