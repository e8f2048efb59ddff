package id.audit.tokenid.app.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    /** 2^53: the largest token count an event may carry. */
    private static final long MAX_TOKENS = 9_007_199_254_740_992L;
    private static final long MARCH = Instant.parse("2026-03-15T12:00:00Z").toEpochMilli();

    private static PriceRow row(String provider, String pattern, String validFrom, String input, String cached,
                                String write, String output) {
        return PriceRow.parse(provider, pattern, validFrom, input, cached, write, output);
    }

    private static PriceRow row(String pattern, String validFrom, String input) {
        return row("openai", pattern, validFrom, input, "", "", input);
    }

    private static String patternAt(PriceTable table, String model, long time) {
        return table.rowFor("openai", model, time).map(PriceRow::pattern).orElse(null);
    }

    private static ApiCallEvent event(String model, long input, long output, long cached, long write, long reasoning,
                                      long time) {
        return new ApiCallEvent(null, "acme", "openai", model, input, output, cached, write, reasoning, 0, false, time);
    }

    @Test
    void anExactModelNameWinsOverEveryPrefix() {
        PriceTable table = PriceTable.of(List.of(row("*", "2026-01-01", "1"), row("gpt-4o*", "2026-01-01", "2"),
                row("gpt-4o-mini", "2026-01-01", "3")));

        assertThat(patternAt(table, "gpt-4o-mini", MARCH)).isEqualTo("gpt-4o-mini");
    }

    @Test
    void theLongestMatchingPrefixWinsOverShorterOnes() {
        PriceTable table = PriceTable.of(List.of(row("*", "2026-01-01", "1"), row("gpt-4*", "2026-01-01", "2"),
                row("gpt-4o*", "2026-01-01", "3"), row("gpt-4o-mini-x*", "2026-01-01", "4")));

        assertThat(patternAt(table, "gpt-4o-mini-2024", MARCH)).isEqualTo("gpt-4o*");
        assertThat(patternAt(table, "gpt-4.1", MARCH)).isEqualTo("gpt-4*");
        assertThat(patternAt(table, "o3", MARCH)).isEqualTo("*");
    }

    @Test
    void aPrefixIncludesTheModelThatIsExactlyThePrefix() {
        PriceTable table = PriceTable.of(List.of(row("gpt-4.1-nano*", "2026-01-01", "1")));

        assertThat(patternAt(table, "gpt-4.1-nano", MARCH)).isEqualTo("gpt-4.1-nano*");
        assertThat(patternAt(table, "gpt-4.1-nan", MARCH)).isNull();
    }

    @Test
    void anExactPatternIsNotAPrefix() {
        PriceTable table = PriceTable.of(List.of(row("gpt-4", "2026-01-01", "1")));

        assertThat(patternAt(table, "gpt-4o", MARCH)).isNull();
        assertThat(patternAt(table, "gpt-4", MARCH)).isEqualTo("gpt-4");
    }

    @Test
    void rowsOfAnotherProviderNeverMatch() {
        PriceTable table = PriceTable.of(List.of(row("azure", "gpt-4o", "2026-01-01", "1", "", "", "1")));

        assertThat(table.rowFor("openai", "gpt-4o", MARCH)).isEmpty();
        assertThat(table.rowFor("azure", "gpt-4o", MARCH)).isPresent();
    }

    @Test
    void aRowValidFromALaterDateIsNotUsedForEarlierEvents() {
        PriceRow january = row("m", "2026-01-01", "1");
        PriceRow june = row("m", "2026-06-01", "2");
        PriceTable table = PriceTable.of(List.of(june, january));

        assertThat(table.rowFor("openai", "m", Instant.parse("2025-12-31T12:00:00Z").toEpochMilli())).isEmpty();
        assertThat(table.rowFor("openai", "m", MARCH)).contains(january);
        assertThat(table.rowFor("openai", "m", Instant.parse("2026-07-01T00:00:00Z").toEpochMilli())).contains(june);
    }

    @Test
    void validFromStartsAtMidnightUtcOfItsDay() {
        PriceRow january = row("m", "2026-01-01", "1");
        PriceRow june = row("m", "2026-06-01", "2");
        PriceTable table = PriceTable.of(List.of(january, june));
        long midnight = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

        assertThat(table.rowFor("openai", "m", midnight - 1)).contains(january);
        assertThat(table.rowFor("openai", "m", midnight)).contains(june);
    }

    @Test
    void aMoreSpecificRowNotYetValidLeavesTheEventToALessSpecificOne() {
        PriceRow family = row("gpt-5*", "2026-01-01", "1");
        PriceRow exactLater = row("gpt-5-mini", "2026-06-01", "2");
        PriceTable table = PriceTable.of(List.of(family, exactLater));

        assertThat(table.rowFor("openai", "gpt-5-mini", MARCH)).contains(family);
        assertThat(table.rowFor("openai", "gpt-5-mini", Instant.parse("2026-06-02T00:00:00Z").toEpochMilli()))
                .contains(exactLater);
    }

    @Test
    void theMostSpecificPatternWinsEvenOverALaterValidFromOfALessSpecificOne() {
        PriceRow exactOld = row("gpt-5-mini", "2026-01-01", "1");
        PriceRow familyNew = row("gpt-5*", "2026-03-01", "2");
        PriceTable table = PriceTable.of(List.of(exactOld, familyNew));

        assertThat(table.rowFor("openai", "gpt-5-mini", MARCH)).contains(exactOld);
    }

    @Test
    void ofTwoRowsWithTheSameKeyTheLaterWins() {
        PriceRow file = row("m", "2026-01-01", "1");
        PriceRow topic = row("m", "2026-01-01", "7");
        PriceTable table = PriceTable.of(List.of(file, topic));

        assertThat(table.rowFor("openai", "m", MARCH)).contains(topic);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void eachTokenKindIsPricedAtItsOwnRateAndReasoningAtTheOutputRate() {
        // 1,000 input of which 200 cached and 100 written to the cache; 500 output of which 300 reasoning.
        PriceRow prices = row("anthropic", "m", "2026-01-01", "3", "0.30", "3.75", "15");
        ApiCallEvent event = event("m", 1000, 500, 200, 100, 300, MARCH);

        // 700·3 + 200·0.30 + 100·3.75 + 500·15 = 2100 + 60 + 375 + 7500 = 10035 USD per million
        // tokens, × 1000 nanos per USD-per-million = 10,035,000 nanos.
        assertThat(PriceTable.costNanos(prices, event)).isEqualTo(BigInteger.valueOf(10_035_000));
    }

    @Test
    void anEmptyCachedOrCacheWritePriceIsTheInputPrice() {
        PriceRow prices = row("openai", "m", "2026-01-01", "2.5", "", " ", "10");

        assertThat(prices.cachedInput()).isEqualByComparingTo("2.5");
        assertThat(prices.cacheWriteInput()).isEqualByComparingTo("2.5");
        assertThat(PriceTable.costNanos(prices, event("m", 1000, 0, 400, 600, 0, MARCH)))
                .isEqualTo(BigInteger.valueOf(2_500_000));
    }

    @Test
    void roundsHalfEvenOnceAtTheEnd() {
        // 0.0005 USD per million tokens is half a nano-dollar per token.
        PriceRow half = row("openai", "m", "2026-01-01", "0.0005", "", "", "0.0005");

        assertThat(PriceTable.costNanos(half, event("m", 1, 0, 0, 0, 0, MARCH))).isEqualTo(0); // 0.5 -> 0
        assertThat(PriceTable.costNanos(half, event("m", 3, 0, 0, 0, 0, MARCH))).isEqualTo(2); // 1.5 -> 2
        assertThat(PriceTable.costNanos(half, event("m", 5, 0, 0, 0, 0, MARCH))).isEqualTo(2); // 2.5 -> 2
        // Rounded once: 1 input + 1 output are 0.5 + 0.5 = 1, not round(0.5) + round(0.5) = 0.
        assertThat(PriceTable.costNanos(half, event("m", 1, 1, 0, 0, 0, MARCH))).isEqualTo(1);
    }

    @Test
    void hugeTokenCountsStayExact() {
        PriceRow prices = row("openai", "m", "2026-01-01", "0.123456789", "0.000000001", "99999.999999999",
                "0.000000007");
        long cached = MAX_TOKENS / 3;
        long write = 1;
        ApiCallEvent event = event("m", MAX_TOKENS - 1, MAX_TOKENS - 7, cached, write, MAX_TOKENS - 7, MARCH);

        BigInteger expected = oracleNanos(
                new long[] {MAX_TOKENS - 1 - cached - write, cached, write, MAX_TOKENS - 7},
                new long[] {123_456_789L, 1L, 99_999_999_999_999L, 7L});
        assertThat(PriceTable.costNanos(prices, event)).isEqualTo(expected);
    }

    @Test
    void aCostAboveTheMaximumOfOneEventIsOutOfRange() {
        PriceTable table = PriceTable.of(List.of(row("openai", "m", "2026-01-01", "100000", "", "", "100000")));

        PriceQuote quote = table.quote(event("m", MAX_TOKENS, MAX_TOKENS, 0, 0, 0, MARCH));

        assertThat(quote).isInstanceOf(PriceQuote.OutOfRange.class);
        assertThat(((PriceQuote.OutOfRange) quote).nanos())
                .isEqualTo(BigInteger.valueOf(MAX_TOKENS).multiply(BigInteger.valueOf(200_000_000L)));
    }

    @Test
    void aCostOfExactlyTheMaximumIsPriced() {
        // 10^15 tokens at 1 USD per million = 10^9 USD = MAX_NANOS.
        PriceTable table = PriceTable.of(List.of(row("m", "2026-01-01", "1")));

        assertThat(table.quote(event("m", 1_000_000_000_000_000L, 0, 0, 0, 0, MARCH)))
                .isEqualTo(new PriceQuote.Priced(CostNanos.MAX_NANOS, table.rowFor("openai", "m", MARCH).get()));
        assertThat(table.quote(event("m", 1_000_000_000_000_001L, 0, 0, 0, 0, MARCH)))
                .isInstanceOf(PriceQuote.OutOfRange.class);
    }

    @Test
    void anEventWithoutProviderOrModelHasNoRow() {
        PriceTable table = PriceTable.of(List.of(row("*", "2026-01-01", "1")));
        ApiCallEvent noModel = new ApiCallEvent(null, "acme", "openai", null, 5, 5, 0, 0, 0, 0, false, MARCH);

        assertThat(table.quote(noModel)).isEqualTo(PriceQuote.NO_ROW);
        assertThat(table.rowFor("openai", "anything", MARCH)).map(PriceRow::pattern).isEqualTo(Optional.of("*"));
    }

    /**
     * The cost in nanos from prices given in units of 10^-9 USD per million tokens: tokens × units ×
     * 1000 / 10^9 = tokens × units / 10^6, rounded half-even by hand.
     */
    private static BigInteger oracleNanos(long[] tokens, long[] pricesInBillionths) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < tokens.length; i++) {
            sum = sum.add(BigInteger.valueOf(tokens[i]).multiply(BigInteger.valueOf(pricesInBillionths[i])));
        }
        BigInteger[] qr = sum.divideAndRemainder(BigInteger.valueOf(1_000_000));
        int twice = qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(1_000_000));
        boolean up = twice > 0 || (twice == 0 && qr[0].testBit(0));
        return up ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
