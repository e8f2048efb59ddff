package id.audit.tokenid.app.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The budgets topic's contract, rule by rule (expected nanos written out, never computed by the code). */
class BudgetRecordTest {

    static Stream<Arguments> exactAmounts() {
        return Stream.of(
                Arguments.of("\"1000\"", "1000000000000"),
                Arguments.of("1000", "1000000000000"),
                Arguments.of("\"2500.50\"", "2500500000000"),
                Arguments.of("2500.50", "2500500000000"),
                Arguments.of("\"0.1\"", "100000000"),              // 0.1 has no exact double: read as text
                Arguments.of("0.1", "100000000"),
                Arguments.of("\"0.000000001\"", "1"),
                Arguments.of("\"0\"", "0"),
                Arguments.of("0", "0"),
                Arguments.of("\"0.0\"", "0"),
                Arguments.of("\"1.123456789\"", "1123456789"),
                Arguments.of("\"999999999999.999999999\"", "999999999999999999999"),
                Arguments.of("\"1000000000000\"", "1000000000000000000000"),
                Arguments.of("1000000000000.000000000", "1000000000000000000000"));
    }

    @ParameterizedTest
    @MethodSource("exactAmounts")
    void readsMonthlyUsdExactlyAsAStringOrANumber(String monthly, String expectedNanos) {
        BudgetRecord.Value value = parse("{\"monthly_usd\": " + monthly + "}");

        assertThat(value).isEqualTo(new BudgetRecord.Budget(
                new OrgBudget(new BigInteger(expectedNanos), OrgBudget.DEFAULT_ZONE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"-1\"", "-1", "-0", "\"-0\"", "\"+1\"", "\"1e3\"", "1e3", "1E3", "1.5e2", "\"1E3\"",
            "\".5\"", "\"1.\"", "\" 1\"", "\"1 \"", "\"01\"", "\"00\"", "\"1,5\"", "\"\"", "\"\u0661\"", "\"0x10\"",
            "\"NaN\"", "\"Infinity\"", "\"1_000\""})
    void refusesAnythingButAPlainDecimal(String monthly) {
        assertRejected("{\"monthly_usd\": " + monthly + "}", "monthly_usd", "plain decimal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1.1234567891\"", "\"1.0000000000\"", "1.0000000000", "\"0.0000000001\""})
    void refusesMoreThanNineDecimalsEvenTrailingZeros(String monthly) {
        assertRejected("{\"monthly_usd\": " + monthly + "}", "monthly_usd", "at most 9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1000000000000.000000001\"", "\"1000000000001\"", "10000000000000",
            "\"99999999999999999999999999999\""})
    void refusesMoreThanTenToTheTwelveUsd(String monthly) {
        assertRejected("{\"monthly_usd\": " + monthly + "}", "monthly_usd", "at most 1000000000000 USD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "null", "{}", "[1000]"})
    void refusesAMonthlyUsdThatIsNeitherStringNorNumber(String monthly) {
        assertRejected("{\"monthly_usd\": " + monthly + "}", "monthly_usd", "must be a JSON string or number");
    }

    @Test
    void refusesAValueWithoutMonthlyUsd() {
        assertRejected("{\"time_zone\": \"Europe/Berlin\"}", "monthly_usd", "is missing");
    }

    @Test
    void readsATimeZoneRegionAndDefaultsToUtc() {
        assertThat(budget("{\"monthly_usd\": \"1\", \"time_zone\": \"Europe/Berlin\"}").zone())
                .isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(budget("{\"monthly_usd\": \"1\", \"time_zone\": \"America/St_Johns\"}").zone())
                .isEqualTo(ZoneId.of("America/St_Johns"));
        assertThat(budget("{\"monthly_usd\": \"1\", \"time_zone\": \"UTC\"}").zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(budget("{\"monthly_usd\": \"1\"}").zone()).isEqualTo(OrgBudget.DEFAULT_ZONE);
        assertThat(budget("{\"monthly_usd\": \"1\", \"time_zone\": null}").zone()).isEqualTo(OrgBudget.DEFAULT_ZONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+01:00", "Z", "UTC+01:00", "GMT+1", "Mars/Olympus_Mons", "", " Europe/Berlin",
            "Europe/Berlin\u0000"})
    void refusesATimeZoneThatIsNoRegionId(String zone) {
        assertRejected("{\"monthly_usd\": \"1\", \"time_zone\": \"" + zone.replace("\u0000", "\\u0000") + "\"}",
                "time_zone", "region id");
    }

    @Test
    void suggestsTheSpellingOfAZoneWrittenInTheWrongCase() {
        assertRejected("{\"monthly_usd\": \"1\", \"time_zone\": \"europe/berlin\"}", "time_zone",
                "did you mean Europe/Berlin?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "{}", "[\"Europe/Berlin\"]"})
    void refusesATimeZoneThatIsNotAString(String zone) {
        assertRejected("{\"monthly_usd\": \"1\", \"time_zone\": " + zone + "}", "time_zone", "must be a JSON string");
    }

    @Test
    void refusesUnknownMembersSoThatAMisspeltZoneIsNotSilentlyUtc() {
        assertRejected("{\"monthly_usd\": \"1\", \"timezone\": \"Europe/Berlin\"}", "", "unknown member \"timezone\"");
        assertRejected("{\"monthly_usd\": \"1\", \"note\": null}", "", "unknown member");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"monthly_usd\": \"1\", \"monthly_usd\": \"2\"}",   // which one? refused, as the codec refuses it
            "{\"monthly_usd\": \"1\"} {}",
            "{\"monthly_usd\": \"1\"}x",
            "{\"monthly_usd\": \"1\"",
            "[{\"monthly_usd\": \"1\"}]",
            "\"1000\"",
            "1000",
            "not json",
            ""})
    void refusesAnythingButOneJsonObject(String json) {
        assertThat(parse(json)).isInstanceOfSatisfying(BudgetRecord.Rejected.class,
                rejected -> assertThat(rejected.member()).isEmpty());
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] value = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(BudgetRecord.parseValue(value)).isInstanceOf(BudgetRecord.Rejected.class);
    }

    @Test
    void boundsTheValueAt1024Bytes() {
        String head = "{\"monthly_usd\": \"1\"}";
        byte[] atLimit = (head + " ".repeat(BudgetRecord.MAX_VALUE_BYTES - head.length())).getBytes(StandardCharsets.UTF_8);
        byte[] over = Arrays.copyOf(atLimit, atLimit.length + 1);
        over[over.length - 1] = ' ';

        assertThat(BudgetRecord.parseValue(atLimit)).isInstanceOf(BudgetRecord.Budget.class);
        assertThat(BudgetRecord.parseValue(over)).isInstanceOfSatisfying(BudgetRecord.Rejected.class,
                rejected -> assertThat(rejected.problem()).isEqualTo("is 1025 bytes; at most 1024"));
    }

    @Test
    void aMissingValueIsNoBudget() {
        assertThat(BudgetRecord.parseValue(null)).isInstanceOf(BudgetRecord.Rejected.class);
    }

    @Test
    void writesTheValueItReads() {
        String json = BudgetRecord.toJson("2500.50", "Europe/Berlin");

        assertThat(json).isEqualTo("{\"monthly_usd\":\"2500.50\",\"time_zone\":\"Europe/Berlin\"}");
        assertThat(BudgetRecord.toJson("1", null)).isEqualTo("{\"monthly_usd\":\"1\"}");
        assertThat(budget(json)).isEqualTo(new OrgBudget(new BigInteger("2500500000000"), ZoneId.of("Europe/Berlin")));
    }

    @Test
    void escapesWhatItWritesSoThatABadArgumentStaysOneRejectedMember() {
        String json = BudgetRecord.toJson("1\", \"x\": \"2", null);

        assertRejected(json, "monthly_usd", "plain decimal");
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("acme", "acme"),
                Arguments.of(" ACME ", "acme"),
                Arguments.of("\tAcMe\t", "acme"),
                Arguments.of("AC\u3000ME", "ac\u3000me"),        // U+3000 is not blank: kept
                Arguments.of(" \t ", null),
                Arguments.of("", null),
                Arguments.of("x".repeat(128), "x".repeat(128)),
                Arguments.of("x".repeat(129), null));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void readsTheKeyByTheCodecsOrgIdRule(String key, String expected) {
        assertThat(BudgetRecord.orgOf(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void refusesAKeyThatIsNotUtf8OrMissing() {
        assertThat(BudgetRecord.orgOf(new byte[] {'a', (byte) 0xFF, 'b'})).isNull();
        assertThat(BudgetRecord.orgOf(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80})).isNull(); // a surrogate
        assertThat(BudgetRecord.orgOf(null)).isNull();
    }

    @Test
    void showsRecordTextOnOneShortLine() {
        assertThat(BudgetRecord.shown("a\nb")).isEqualTo("\"a\\nb\"");
        assertThat(BudgetRecord.shown("y".repeat(100))).isEqualTo("\"" + "y".repeat(40) + "...\"");
    }

    private static OrgBudget budget(String json) {
        BudgetRecord.Value value = parse(json);
        assertThat(value).isInstanceOf(BudgetRecord.Budget.class);
        return ((BudgetRecord.Budget) value).budget();
    }

    private static void assertRejected(String json, String member, String problemFragment) {
        assertThat(parse(json)).as(json).isInstanceOfSatisfying(BudgetRecord.Rejected.class, rejected -> {
            assertThat(rejected.member()).isEqualTo(member);
            assertThat(rejected.problem()).contains(problemFragment);
        });
    }

    private static BudgetRecord.Value parse(String json) {
        return BudgetRecord.parseValue(json.getBytes(StandardCharsets.UTF_8));
    }
}
