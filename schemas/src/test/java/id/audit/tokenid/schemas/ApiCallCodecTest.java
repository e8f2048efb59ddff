package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiCallCodecTest {

    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two chars

    @Nested
    class Decoding {

        @Test
        void decodesEveryFieldOfAFullEvent() {
            // given
            String json = """
                    {"type": "api_call", "event_id": "evt-1", "org_id": "acme", "provider": "openai",
                     "model": "gpt-4o", "input_tokens": 1200, "output_tokens": 350, "cached_input_tokens": 1000,
                     "cache_write_input_tokens": 150, "reasoning_tokens": 300,
                     "cost_usd": 0.00123, "timestamp": "2025-03-14T09:26:53.589Z"}""";

            // when
            DecodeResult result = decode(json);

            // then
            assertThat(result).isEqualTo(new ApiCallEvent("evt-1", "acme", "openai", "gpt-4o", 1200, 350,
                    1000, 150, 300, 1_230_000, true, Instant.parse("2025-03-14T09:26:53.589Z").toEpochMilli()));
        }

        @Test
        void appliesDefaultsForAbsentOptionalFields() {
            // given
            String json = "{\"org_id\": \"acme\"}";

            // when
            ApiCallEvent event = event(json);

            // then: no token parts, and no cost (left to the price table), which is not a cost of 0
            assertThat(event).isEqualTo(new ApiCallEvent(null, "acme", null, null, 0, 0, 0, 0, 0, 0, false,
                    ApiCallEvent.NO_TIMESTAMP));
            assertThat(event.costPresent()).isFalse();
            assertThat(event.hasModel()).isFalse();
            assertThat(event.hasTimestamp()).isFalse();
        }

        @Test
        void ignoresUnknownFieldsOfAnyShape() {
            // given
            String json = "{\"org_id\": \"acme\", \"extra\": {\"a\": [1, {\"b\": null}], \"c\": 1e999}, \"z\": -1}";

            // when
            DecodeResult result = decode(json);

            // then
            assertThat(result).isInstanceOf(ApiCallEvent.class);
        }

        @Test
        void isSafeToCallFromManyThreads() {
            // given
            Set<DecodeResult> results = ConcurrentHashMap.newKeySet();

            // when
            IntStream.range(0, 10_000).parallel().forEach(i ->
                    results.add(decode("{\"org_id\": \"org-" + (i % 10) + "\", \"input_tokens\": " + (i % 10) + "}")));

            // then
            assertThat(results).hasSize(10).allSatisfy(r -> {
                ApiCallEvent event = (ApiCallEvent) r;
                assertThat(event.orgId()).isEqualTo("org-" + event.inputTokens());
            });
        }
    }

    @Nested
    class Normalisation {

        @Test
        void trimsAndLowercasesOrgProviderAndModel() {
            // given
            String json = "{\"org_id\": \"  ACME Corp\\t\", \"provider\": \" OpenAI \", \"model\": \"GPT-4o \"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.orgId()).isEqualTo("acme corp");
            assertThat(event.provider()).isEqualTo("openai");
            assertThat(event.model()).isEqualTo("gpt-4o");
            assertThat(event.hasModel()).isTrue();
        }

        @Test
        void lowercasesWithTheRootLocaleWhateverTheDefaultLocale() {
            // given: in a Turkish locale "I" would lowercase to a dotless i
            String json = "{\"org_id\": \"ISTANBUL\"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.orgId()).isEqualTo("istanbul");
        }

        @Test
        void turnsBlankProviderAndModelIntoAbsent() {
            // given
            String json = "{\"org_id\": \"acme\", \"provider\": \"  \", \"model\": \"\"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.provider()).isNull();
            assertThat(event.model()).isNull();
            assertThat(event.hasModel()).isFalse();
        }

        @Test
        void hasNoModelSeriesWhenOnlyOneOfProviderAndModelIsPresent() {
            // given
            String onlyProvider = "{\"org_id\": \"acme\", \"provider\": \"openai\"}";
            String onlyModel = "{\"org_id\": \"acme\", \"model\": \"gpt-4o\"}";

            // when
            ApiCallEvent withProvider = event(onlyProvider);
            ApiCallEvent withModel = event(onlyModel);

            // then
            assertThat(withProvider.hasModel()).isFalse();
            assertThat(withModel.hasModel()).isFalse();
        }

        @Test
        void keepsEventIdExactlyAsSent() {
            // given
            String json = "{\"org_id\": \"acme\", \"event_id\": \" Evt-1 \"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.eventId()).isEqualTo(" Evt-1 ");
        }

        @Test
        void trimsControlCharactersButNotANoBreakSpace() {
            // given: String.trim semantics, as the schema's [^\u0000-\u0020] pattern
            String json = "{\"org_id\": \"\\u0001a\\u001f\", \"provider\": \"\\u00a0\"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.orgId()).isEqualTo("a");
            assertThat(event.provider()).isEqualTo("\u00a0");
        }
    }

    @Nested
    class EventType {

        @Test
        void countsAnEventWithoutType() {
            assertThat(decode("{\"org_id\": \"acme\"}")).isInstanceOf(ApiCallEvent.class);
        }

        @Test
        void countsAnEventOfTypeApiCall() {
            assertThat(decode("{\"type\": \"api_call\", \"org_id\": \"acme\"}")).isInstanceOf(ApiCallEvent.class);
        }

        @Test
        void ignoresOtherEventTypesWithoutCheckingTheirFields() {
            // given
            String json = "{\"org_id\": 5, \"cost_usd\": -1, \"type\": \"user_signup\"}";

            // when
            DecodeResult result = decode(json);

            // then
            assertThat(result).isEqualTo(new Ignored("user_signup"));
        }

        @Test
        void treatsTypeCaseSensitivelyAndEmptyTypeAsAnotherType() {
            assertThat(decode("{\"type\": \"API_CALL\", \"org_id\": \"acme\"}")).isEqualTo(new Ignored("API_CALL"));
            assertThat(decode("{\"type\": \"\", \"org_id\": \"acme\"}")).isEqualTo(new Ignored(""));
        }

        @Test
        void cutsAnIgnoredTypeTo64CharsWithoutSplittingASurrogatePair() {
            // given
            String longType = "t".repeat(63) + EMOJI + "tail";

            // when
            DecodeResult result = decode("{\"type\": \"" + longType + "\"}");

            // then
            assertThat(result).isEqualTo(new Ignored("t".repeat(63)));
            assertThat(new Ignored("x".repeat(100)).type()).hasSize(Ignored.MAX_TYPE_CHARS);
        }

        @Test
        void rejectsATypeThatIsNotAStringOrNull() {
            assertThat(reason("{\"type\": 1, \"org_id\": \"acme\"}")).isEqualTo(RejectReason.INVALID_TYPE);
            assertThat(reason("{\"type\": false, \"org_id\": \"acme\"}")).isEqualTo(RejectReason.INVALID_TYPE);
        }

        @Test
        void countsAnEventWithNullTypeAsAnApiCall() {
            assertThat(decode("{\"type\": null, \"org_id\": \"acme\"}")).isInstanceOf(ApiCallEvent.class);
            assertThat(reason("{\"type\": null, \"cost_usd\": 1}")).isEqualTo(RejectReason.MISSING_ORG_ID);
        }

        @Test
        void stillRejectsMalformedJsonOfAnotherType() {
            assertThat(reason("{\"type\": \"other\", \"a\": 1, \"a\": 2}")).isEqualTo(RejectReason.DUPLICATE_KEY);
            assertThat(reason("{\"type\": \"other\"")).isEqualTo(RejectReason.NOT_JSON);
        }
    }

    @Nested
    class Tokens {

        @ParameterizedTest
        @ValueSource(strings = {"0", "-0", "0.0", "-0.0", "0e7"})
        void readsEveryFormOfZero(String zero) {
            assertThat(event("{\"org_id\": \"a\", \"input_tokens\": " + zero + "}").inputTokens()).isZero();
        }

        @Test
        void acceptsIntegralNumbersInAnySyntaxAsJsonSchemaDoes() {
            assertThat(event("{\"org_id\": \"a\", \"input_tokens\": 1.0}").inputTokens()).isEqualTo(1);
            assertThat(event("{\"org_id\": \"a\", \"input_tokens\": 1e2}").inputTokens()).isEqualTo(100);
            assertThat(event("{\"org_id\": \"a\", \"output_tokens\": 120e-1}").outputTokens()).isEqualTo(12);
        }

        @Test
        void acceptsTwoToTheFiftyThirdAndRejectsOneMore() {
            assertThat(event("{\"org_id\": \"a\", \"input_tokens\": 9007199254740992}").inputTokens())
                    .isEqualTo(1L << 53);
            assertThat(event("{\"org_id\": \"a\", \"output_tokens\": 9.007199254740992e15}").outputTokens())
                    .isEqualTo(1L << 53);
            assertThat(reason("{\"org_id\": \"a\", \"input_tokens\": 9007199254740993}"))
                    .isEqualTo(RejectReason.INVALID_TOKENS);
            assertThat(reason("{\"org_id\": \"a\", \"input_tokens\": 9007199254740992.5}"))
                    .isEqualTo(RejectReason.INVALID_TOKENS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "1.5", "0.5e0", "5e-1", "\"5\"", "true", "[1]", "{\"n\": 1}",
            "18446744073709551621", "1.8446744073709551621e19", "-1.8446744073709551611e19",
            "1e999999999", "1e-999999999", "1e-9999999999", "1e9999999999", "-1e9999999999"})
        void rejectsTokenCountsThatAreNotWholeNumbersInRange(String tokens) {
            assertThat(reason("{\"org_id\": \"a\", \"output_tokens\": " + tokens + "}"))
                    .isEqualTo(RejectReason.INVALID_TOKENS);
        }
    }

    @Nested
    class TokenParts {

        static final String[] PARTS = {"cached_input_tokens", "cache_write_input_tokens", "reasoning_tokens"};

        @Test
        void readsEachPartBesideItsWhole() {
            // given
            String json = """
                    {"org_id": "a", "input_tokens": 1000, "cached_input_tokens": 700, "cache_write_input_tokens": 200,
                     "output_tokens": 80, "reasoning_tokens": 30}""";

            // when
            ApiCallEvent event = event(json);

            // then: parts of their wholes, never added to them
            assertThat(event.inputTokens()).isEqualTo(1000);
            assertThat(event.outputTokens()).isEqualTo(80);
            assertThat(event.cachedInputTokens()).isEqualTo(700);
            assertThat(event.cacheWriteInputTokens()).isEqualTo(200);
            assertThat(event.reasoningTokens()).isEqualTo(30);
            assertThat(event.uncachedInputTokens()).isEqualTo(100);
        }

        @Test
        void readsAbsentAndNullPartsAsZero() {
            // given
            String absent = "{\"org_id\": \"a\", \"input_tokens\": 10, \"output_tokens\": 5}";
            String nulls = "{\"org_id\": \"a\", \"input_tokens\": 10, \"output_tokens\": 5, \"cached_input_tokens\": null,"
                    + " \"cache_write_input_tokens\": null, \"reasoning_tokens\": null}";

            // when
            ApiCallEvent fromAbsent = event(absent);
            ApiCallEvent fromNulls = event(nulls);

            // then
            assertThat(fromAbsent).isEqualTo(fromNulls);
            assertThat(fromAbsent.cachedInputTokens()).isZero();
            assertThat(fromAbsent.cacheWriteInputTokens()).isZero();
            assertThat(fromAbsent.reasoningTokens()).isZero();
            assertThat(fromAbsent.uncachedInputTokens()).isEqualTo(10);
        }

        @Test
        void acceptsPartsThatAddUpExactlyToTheirWhole() {
            // given
            String json = """
                    {"org_id": "a", "input_tokens": 100, "cached_input_tokens": 60, "cache_write_input_tokens": 40,
                     "output_tokens": 7, "reasoning_tokens": 7}""";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.uncachedInputTokens()).isZero();
            assertThat(event.reasoningTokens()).isEqualTo(event.outputTokens());
        }

        @Test
        void acceptsZeroPartsWithoutTheirWholes() {
            assertThat(event("{\"org_id\": \"a\", \"cached_input_tokens\": 0, \"cache_write_input_tokens\": -0,"
                    + " \"reasoning_tokens\": 0.0}")).isEqualTo(event("{\"org_id\": \"a\"}"));
        }

        @Test
        void readsPartsInEveryIntegralSyntax() {
            // when
            ApiCallEvent event = event("{\"org_id\": \"a\", \"input_tokens\": 1e3, \"cached_input_tokens\": 5.0e2,"
                    + " \"cache_write_input_tokens\": 120e-1, \"output_tokens\": 9, \"reasoning_tokens\": 9.000}");

            // then
            assertThat(event.cachedInputTokens()).isEqualTo(500);
            assertThat(event.cacheWriteInputTokens()).isEqualTo(12);
            assertThat(event.reasoningTokens()).isEqualTo(9);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cached_input_tokens", "cache_write_input_tokens", "reasoning_tokens"})
        void acceptsTwoToTheFiftyThirdAndRejectsOneMore(String part) {
            // given: wholes at 2^53 too, so that only the part's own bound can reject
            String wholes = "{\"org_id\": \"a\", \"input_tokens\": 9007199254740992, \"output_tokens\": 9007199254740992, ";

            // when
            ApiCallEvent atMax = event(wholes + "\"" + part + "\": 9007199254740992}");
            Rejected aboveMax = rejected(wholes + "\"" + part + "\": 9007199254740993}");

            // then
            assertThat(List.of(atMax.cachedInputTokens(), atMax.cacheWriteInputTokens(), atMax.reasoningTokens()))
                    .containsOnlyOnce(1L << 53);
            assertThat(aboveMax.reason()).isEqualTo(RejectReason.INVALID_TOKENS);
            assertThat(aboveMax.detail()).startsWith(part + " ");
        }

        static Stream<Arguments> badPartValues() {
            return Stream.of(PARTS).flatMap(part -> Stream.of("-1", "1.5", "5e-1", "\"5\"", "true", "[1]", "{\"n\": 1}",
                    "18446744073709551621", "-1.8446744073709551611e19", "1e999999999", "1e-9999999999")
                    .map(value -> Arguments.of(part, value)));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("badPartValues")
        void rejectsPartsThatAreNotWholeNumbersInRange(String part, String value) {
            // given: wholes large enough that the parts rule could not be what rejects
            String json = "{\"org_id\": \"a\", \"input_tokens\": 9007199254740992, \"output_tokens\": 9007199254740992, \""
                    + part + "\": " + value + "}";

            // when
            Rejected rejected = rejected(json);

            // then
            assertThat(rejected.reason()).isEqualTo(RejectReason.INVALID_TOKENS);
            assertThat(rejected.detail()).startsWith(part + " ");
        }

        @Test
        void rejectsCachedPlusCacheWriteAboveInputNamingAllThree() {
            // when
            Rejected rejected = rejected("{\"org_id\": \"a\", \"input_tokens\": 100, \"cached_input_tokens\": 60,"
                    + " \"cache_write_input_tokens\": 41}");

            // then
            assertThat(rejected.reason()).isEqualTo(RejectReason.TOKEN_PARTS_EXCEED_TOTAL);
            assertThat(rejected.reason().label()).isEqualTo("token_parts_exceed_total");
            assertThat(rejected.detail()).isEqualTo(
                    "cached_input_tokens (60) plus cache_write_input_tokens (41) exceed input_tokens (100)");
        }

        @Test
        void rejectsEitherInputPartAloneAboveInput() {
            assertThat(rejected("{\"org_id\": \"a\", \"input_tokens\": 10, \"cached_input_tokens\": 11}").detail())
                    .isEqualTo("cached_input_tokens (11) plus cache_write_input_tokens (0) exceed input_tokens (10)");
            assertThat(rejected("{\"org_id\": \"a\", \"input_tokens\": 10, \"cache_write_input_tokens\": 11}").detail())
                    .isEqualTo("cached_input_tokens (0) plus cache_write_input_tokens (11) exceed input_tokens (10)");
        }

        @Test
        void rejectsReasoningAboveOutputNamingBoth() {
            // when
            Rejected rejected = rejected("{\"org_id\": \"a\", \"output_tokens\": 50, \"reasoning_tokens\": 51}");

            // then
            assertThat(rejected.reason()).isEqualTo(RejectReason.TOKEN_PARTS_EXCEED_TOTAL);
            assertThat(rejected.detail()).isEqualTo("reasoning_tokens (51) exceed output_tokens (50)");
        }

        @Test
        void countsAnAbsentOrNullWholeAsZero() {
            assertThat(rejected("{\"org_id\": \"a\", \"cached_input_tokens\": 1}").detail())
                    .isEqualTo("cached_input_tokens (1) plus cache_write_input_tokens (0) exceed input_tokens (0)");
            assertThat(rejected("{\"org_id\": \"a\", \"output_tokens\": null, \"reasoning_tokens\": 1}").detail())
                    .isEqualTo("reasoning_tokens (1) exceed output_tokens (0)");
        }

        @Test
        void addsTwoPartsAtTwoToTheFiftyThirdWithoutOverflow() {
            // given: each part at the bound, their sum 2^54 beyond it
            String json = "{\"org_id\": \"a\", \"input_tokens\": 9007199254740992, \"cached_input_tokens\": 9007199254740992,"
                    + " \"cache_write_input_tokens\": 9007199254740992}";

            // when / then
            assertThat(rejected(json).reason()).isEqualTo(RejectReason.TOKEN_PARTS_EXCEED_TOTAL);
            assertThat(event(json.replace("\"cache_write_input_tokens\": 9007199254740992", "\"cache_write_input_tokens\": 0"))
                    .uncachedInputTokens()).isZero();
        }

        @Test
        void checksInputPartsBeforeTheReasoningPart() {
            assertThat(rejected("{\"org_id\": \"a\", \"reasoning_tokens\": 2, \"cached_input_tokens\": 1}").detail())
                    .startsWith("cached_input_tokens (1)");
        }

        @Test
        void reportsEveryFieldRuleBeforeThePartsRule() {
            // given: parts over their whole, and another rule broken after them in document order
            String overWhole = "{\"input_tokens\": 1, \"cached_input_tokens\": 5, ";

            // when / then
            assertThat(reason(overWhole + "\"org_id\": \"a\", \"cost_usd\": -1}")).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason(overWhole + "\"org_id\": \"a\", \"timestamp\": \"now\"}"))
                    .isEqualTo(RejectReason.INVALID_TIMESTAMP);
            assertThat(reason(overWhole + "\"org_id\": \"a\", \"reasoning_tokens\": \"5\"}"))
                    .isEqualTo(RejectReason.INVALID_TOKENS);
            assertThat(reason(overWhole + "\"provider\": \"p\"}")).isEqualTo(RejectReason.MISSING_ORG_ID);
            assertThat(reason(overWhole + "\"org_id\": \"a\", \"x\": 1, \"x\": 2}")).isEqualTo(RejectReason.DUPLICATE_KEY);
        }

        @Test
        void ignoresPartsOfAnotherEventType() {
            assertThat(decode("{\"type\": \"billing\", \"input_tokens\": 1, \"cached_input_tokens\": 5}"))
                    .isEqualTo(new Ignored("billing"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"cached_input_tokens", "cache_write_input_tokens", "reasoning_tokens"})
        void rejectsAPartThatRepeatsEvenWithNullOrTheSameValue(String part) {
            for (String values : new String[] {"1, \"%s\": 1", "null, \"%s\": 1", "1, \"%s\": null"}) {
                // given
                String json = ("{\"org_id\": \"a\", \"input_tokens\": 9, \"output_tokens\": 9, \"%s\": " + values + "}")
                        .formatted(part, part);

                // when
                Rejected rejected = rejected(json);

                // then
                assertThat(rejected.reason()).as(json).isEqualTo(RejectReason.DUPLICATE_KEY);
                assertThat(rejected.detail()).isEqualTo("member name \"" + part + "\" appears twice in one object");
            }
        }
    }

    @Nested
    class CostPresence {

        @Test
        void leavesAnAbsentCostToThePriceTable() {
            // when
            ApiCallEvent event = event("{\"org_id\": \"a\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"input_tokens\": 10}");

            // then
            assertThat(event.costPresent()).isFalse();
            assertThat(event.costNanos()).isZero();
        }

        @Test
        void readsANullCostAsAnAbsentOne() {
            assertThat(event(costJson("null"))).isEqualTo(event("{\"org_id\": \"a\"}"))
                    .satisfies(e -> assertThat(e.costPresent()).isFalse());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-0", "0.0", "-0.0", "0e5", "\"0\"", "\"0E-8\"", "\"-0.0\"", "1e-999999999",
            "0.00000000049"})
        void keepsAZeroCostAsAPresentCostOfZero(String zero) {
            // when
            ApiCallEvent event = event(costJson(zero));

            // then: free, not to be priced
            assertThat(event.costPresent()).isTrue();
            assertThat(event.costNanos()).isZero();
        }

        @Test
        void marksAPositiveCostPresent() {
            assertThat(event(costJson("\"0.5\""))).satisfies(e -> {
                assertThat(e.costPresent()).isTrue();
                assertThat(e.costNanos()).isEqualTo(500_000_000L);
            });
        }

        @Test
        void rejectsARepeatedCostEvenWhenOneIsNull() {
            assertThat(reason("{\"org_id\": \"a\", \"cost_usd\": null, \"cost_usd\": 1}")).isEqualTo(RejectReason.DUPLICATE_KEY);
            assertThat(reason("{\"org_id\": \"a\", \"cost_usd\": 0, \"cost_usd\": null}")).isEqualTo(RejectReason.DUPLICATE_KEY);
        }
    }

    @Nested
    class Cost {

        @Test
        void readsADecimalStringAndANumberToTheSameExactNanos() {
            assertThat(cost("\"0.1\"")).isEqualTo(100_000_000L);
            assertThat(cost("0.1")).isEqualTo(100_000_000L);
            assertThat(cost("3")).isEqualTo(3_000_000_000L);
            assertThat(cost("\"42\"")).isEqualTo(42_000_000_000L);
        }

        @Test
        void readsExponentNotationInTheNumberForm() {
            assertThat(cost("1e-9")).isEqualTo(1);
            assertThat(cost("1.5E+3")).isEqualTo(1_500_000_000_000L);
            assertThat(cost("1.25e-4")).isEqualTo(125_000);
        }

        @Test
        void roundsTheTenthFractionDigitHalfUp() {
            assertThat(cost("0.0000000015")).isEqualTo(2);
            assertThat(cost("0.00000000149999")).isEqualTo(1);
            assertThat(cost("0.0000000005")).isEqualTo(1);
            assertThat(cost("0.00000000049")).isZero();
            assertThat(cost("5e-10")).isEqualTo(1);
            assertThat(cost("4.9e-10")).isZero();
            assertThat(cost("\"0.0000000025\"")).isEqualTo(3);
        }

        @Test
        void acceptsTheMaximumOfOneBillionDollarsAndNothingAbove() {
            assertThat(cost("1000000000")).isEqualTo(CostNanos.MAX_NANOS);
            assertThat(cost("1e9")).isEqualTo(CostNanos.MAX_NANOS);
            assertThat(cost("\"1000000000.000\"")).isEqualTo(CostNanos.MAX_NANOS);
            assertThat(cost("999999999.9999999999")).isEqualTo(CostNanos.MAX_NANOS);
            assertThat(reason(costJson("1000000000.0000000001"))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason(costJson("\"1000000000.1\""))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason(costJson("1e999999999"))).isEqualTo(RejectReason.INVALID_COST);
        }

        @Test
        void readsNegativeZeroAndVanishinglySmallCostsAsZero() {
            assertThat(cost("-0.0")).isZero();
            assertThat(cost("-0")).isZero();
            assertThat(cost("1e-999999999")).isZero();
            assertThat(cost("0e-999999999")).isZero();
        }

        @Test
        void judgesNumbersBeyondBigDecimalByTheirExactValue() {
            // given: exponents java.math.BigDecimal cannot hold; JSON Schema still has a verdict
            String tinyPositive = "1e-9999999999";
            String zero = "0.0e+9999999999";

            // when / then
            assertThat(cost(tinyPositive)).isZero();
            assertThat(cost(zero)).isZero();
            assertThat(event("{\"org_id\": \"a\", \"input_tokens\": " + zero + "}").inputTokens()).isZero();
            assertThat(timestamp(zero)).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"-0.000000001", "-1", "\"-1\"", "\"-4E-8\"", "\"01\"", "\".5\"", "\"5.\"",
            "\" 1\"", "\"1 \"", "\"+1\"", "\"\"", "\"abc\"", "\"0.5\\n\"", "\"\\uff11\"", "\"NaN\"",
            "\"Infinity\"", "\"1e\"", "\"1e+\"", "\"1.e5\"", "\"1E--8\"", "\"0x10\"", "\"1_000\"", "\"4e-8 \"",
            "10000000000", "99999999999999999999999", "\"10000000000\"", "\"1.000000001E+9\"", "\"1E10\"",
            "true", "{}", "[0.1]", "1e9999999999", "-1e-9999999999", "\"1e999999999\"", "\"1e9999999999\""})
        void rejectsCostsOutsideTheContract(String cost) {
            assertThat(reason(costJson(cost))).isEqualTo(RejectReason.INVALID_COST);
        }

        @Test
        void acceptsAnyNumberOfFractionDigitsInTheStringFormUpToTheLiteralLimit() {
            assertThat(cost("\"0.12345678901234567890123456789012345678901\"")).isEqualTo(123_456_789);
            assertThat(cost("\"0." + "0".repeat(9) + "5" + "0".repeat(988) + "\"")).isEqualTo(1); // 1000 chars
            assertThat(reason(costJson("\"0." + "0".repeat(9) + "5" + "0".repeat(989) + "\"")))
                    .isEqualTo(RejectReason.INVALID_COST); // 1001 chars
        }

        @ParameterizedTest
        @CsvSource({
            // what Java's BigDecimal.toString() and Python's str(Decimal) print
            "4E-8, 40", "1.23E-7, 123", "0E-8, 0", "1.5E+3, 1500000000000", "1E+9, 1000000000000000000",
            "0.00000004, 40",
            // every JSON number syntax
            "4e-8, 40", "1e2, 100000000000", "1E2, 100000000000", "1e+2, 100000000000", "1.5e+3, 1500000000000",
            "0.000000001, 1", "2.5e-9, 3", "2.4999e-9, 2", "5e-10, 1", "4.9e-10, 0",
            "12345678.9e-5, 123456789000", "1234567890e-1, 123456789000000000", "1e-08, 10", "1E+09, 1000000000000000000",
            "0.1e+1, 1000000000", "123e0, 123000000000", "7e-0, 7000000000",
            // every zero is 0; too small for a nano-dollar rounds to 0
            "-0, 0", "-0.0, 0", "-0e5, 0", "0e999999999, 0", "-0.000E-3, 0", "1e-999999999, 0", "1e-9999999999, 0"})
        void readsACostStringInAnyJsonNumberSyntaxExactlyAsTheNumber(String text, long nanos) {
            assertThat(cost("\"" + text + "\"")).as("string %s", text).isEqualTo(nanos);
            assertThat(cost(text)).as("the same text as a number").isEqualTo(nanos);
        }

        @Test
        void refusesTheTwoNotationsTheStringFormBoundsEvenInRange() {
            // given: in range as numbers, but a regular expression cannot weigh them (see the schema)
            String elevenDigitsBeforeThePoint = "12345678901e-5";
            String nonZeroWithExponentAbove9 = "0.01e10";

            // when / then
            assertThat(cost(elevenDigitsBeforeThePoint)).isEqualTo(123_456_789_010_000L);
            assertThat(cost(nonZeroWithExponentAbove9)).isEqualTo(100_000_000_000_000_000L);
            assertThat(reason(costJson("\"" + elevenDigitsBeforeThePoint + "\""))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason(costJson("\"" + nonZeroWithExponentAbove9 + "\""))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(cost("\"0e10\"")).isZero();
        }

        @Test
        void decidesHugeExponentsAndLongLiteralsWithoutScalingByThem() {
            // given: work a BigDecimal would do in 10^999999999 steps or megabytes
            String[] hostile = {"\"1e-999999999\"", "\"9e999999999\"", "\"0." + "0".repeat(900) + "1e+999999999\"",
                "\"" + "9".repeat(10) + "." + "9".repeat(900) + "e-99999999999999999999\"",
                "1e-999999999", "9e999999999", "0." + "0".repeat(900) + "1e+999999999"};

            // when / then: each is decided (a BigDecimal scaled by these exponents would not
            // finish); the codec only compares exponents, so the work is linear in the text
            assertThat(cost(hostile[0])).isZero();
            assertThat(reason(costJson(hostile[1]))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason(costJson(hostile[2]))).isEqualTo(RejectReason.INVALID_COST);
            assertThat(cost(hostile[3])).isZero();
            assertThat(reason(costJson(hostile[6]))).isEqualTo(RejectReason.INVALID_COST);
        }
    }

    @Nested
    class Timestamp {

        @Test
        void readsAnIsoDateTimeWithOffsetToEpochMillis() {
            // given
            String iso = "2024-05-01T12:34:56.789+02:00";

            // when
            long millis = event("{\"org_id\": \"a\", \"timestamp\": \"" + iso + "\"}").timestampMillis();

            // then
            assertThat(millis).isEqualTo(OffsetDateTime.parse(iso).toInstant().toEpochMilli());
        }

        @Test
        void takesEpochMillisAsTheyAre() {
            assertThat(timestamp("1741944413589")).isEqualTo(1_741_944_413_589L);
            assertThat(timestamp("0")).isZero();
            assertThat(timestamp("1.7e12")).isEqualTo(1_700_000_000_000L);
            assertThat(timestamp("253402300799999")).isEqualTo(253_402_300_799_999L);
        }

        @Test
        void truncatesDigitsBelowTheMillisecond() {
            assertThat(timestamp("\"1970-01-01T00:00:00.123999999Z\"")).isEqualTo(123);
            assertThat(timestamp("\"1970-01-01T00:00:00.5Z\"")).isEqualTo(500);
        }

        @Test
        void acceptsLeapDaysAndOffsetsUpToEighteenHours() {
            assertThat(timestamp("\"2000-02-29T00:00:00+18:00\"")).isEqualTo(
                    OffsetDateTime.parse("2000-02-29T00:00:00+18:00").toInstant().toEpochMilli());
            assertThat(timestamp("\"2024-02-29T23:59:59.999999999-00:00\"")).isEqualTo(
                    Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli());
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "253402300800000", "1.5", "\"1741944413589\"", "\"2025-03-14T09:26:53\"",
            "\"2024-02-30T00:00:00Z\"", "\"1900-02-29T00:00:00Z\"", "\"2023-04-31T00:00:00Z\"",
            "\"2016-12-31T23:59:60Z\"", "\"2025-03-14t09:26:53Z\"", "\"2025-03-14T09:26:53z\"",
            "\"2025-03-14 09:26:53Z\"", "\"2025-03-14T24:00:00Z\"", "\"2025-03-14T09:26:53+18:01\"",
            "\"2025-03-14T09:26:53+0200\"", "\"2025-03-14T09:26:53.Z\"", "\"2025-03-14T09:26:53.1234567890Z\"",
            "\"2025-03-14T09:26:53Z\\n\"", "\"+10000-01-01T00:00:00Z\"", "{}"})
        void rejectsTimestampsOutsideTheContract(String timestamp) {
            assertThat(reason("{\"org_id\": \"a\", \"timestamp\": " + timestamp + "}"))
                    .isEqualTo(RejectReason.INVALID_TIMESTAMP);
        }
    }

    @Nested
    class Lengths {

        @Test
        void countsOrgIdLengthInCodePoints() {
            assertThat(event("{\"org_id\": \"" + EMOJI.repeat(128) + "\"}").orgId()).isEqualTo(EMOJI.repeat(128));
            assertThat(reason("{\"org_id\": \"" + EMOJI.repeat(129) + "\"}")).isEqualTo(RejectReason.INVALID_ORG_ID);
            assertThat(event("{\"org_id\": \"" + "a".repeat(128) + "\"}").orgId()).hasSize(128);
            assertThat(reason("{\"org_id\": \"" + "a".repeat(129) + "\"}")).isEqualTo(RejectReason.INVALID_ORG_ID);
        }

        @Test
        void countsASurrogatePairAsOneCodePoint() {
            assertThat(event("{\"org_id\": \"" + "a".repeat(127) + "\\ud83d\\ude00\"}").orgId()).hasSize(129);
        }

        @Test
        void bindsEventIdToOneTo128CodePoints() {
            assertThat(event("{\"org_id\": \"a\", \"event_id\": \"e\"}").eventId()).isEqualTo("e");
            assertThat(event("{\"org_id\": \"a\", \"event_id\": \"" + EMOJI.repeat(128) + "\"}").eventId())
                    .isEqualTo(EMOJI.repeat(128));
            assertThat(reason("{\"org_id\": \"a\", \"event_id\": \"\"}")).isEqualTo(RejectReason.INVALID_EVENT_ID);
            assertThat(reason("{\"org_id\": \"a\", \"event_id\": \"" + "e".repeat(129) + "\"}"))
                    .isEqualTo(RejectReason.INVALID_EVENT_ID);
        }

        @Test
        void bindsProviderTo128AndModelTo256CodePoints() {
            assertThat(event("{\"org_id\": \"a\", \"provider\": \"" + EMOJI.repeat(128) + "\"}").provider()).isNotNull();
            assertThat(reason("{\"org_id\": \"a\", \"provider\": \"" + EMOJI.repeat(129) + "\"}"))
                    .isEqualTo(RejectReason.INVALID_PROVIDER);
            assertThat(event("{\"org_id\": \"a\", \"model\": \"" + "M".repeat(256) + "\"}").model()).isEqualTo("m".repeat(256));
            assertThat(reason("{\"org_id\": \"a\", \"model\": \"" + "m".repeat(257) + "\"}"))
                    .isEqualTo(RejectReason.INVALID_MODEL);
        }

        @Test
        void checksLengthsOnTheRawValueBeforeTrimming() {
            assertThat(reason("{\"org_id\": \" " + "a".repeat(128) + "\"}")).isEqualTo(RejectReason.INVALID_ORG_ID);
        }
    }

    @Nested
    class NullMeansAbsent {

        @Test
        void readsNullInEveryOptionalFieldAsTheFieldLeftOut() {
            // given
            String json = """
                    {"type": null, "event_id": null, "org_id": "acme", "provider": null, "model": null,
                     "input_tokens": null, "output_tokens": null, "cached_input_tokens": null,
                     "cache_write_input_tokens": null, "reasoning_tokens": null, "cost_usd": null, "timestamp": null}""";

            // when
            DecodeResult result = decode(json);

            // then
            assertThat(result).isEqualTo(decode("{\"org_id\": \"acme\"}"));
            assertThat(((ApiCallEvent) result).costPresent()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"type", "event_id", "provider", "model", "input_tokens", "output_tokens",
            "cached_input_tokens", "cache_write_input_tokens", "reasoning_tokens", "cost_usd", "timestamp"})
        void readsNullInOneOptionalFieldAsThatFieldLeftOut(String field) {
            assertThat(decode("{\"org_id\": \"acme\", \"" + field + "\": null, \"input_tokens\": 3}".replace(
                    field.equals("input_tokens") ? ", \"input_tokens\": 3" : "\u0000", "")))
                    .isInstanceOf(ApiCallEvent.class);
        }

        @Test
        void readsANullOrgIdAsAMissingOrgId() {
            assertThat(reason("{\"org_id\": null}")).isEqualTo(RejectReason.MISSING_ORG_ID);
            assertThat(reason("{\"org_id\": null, \"provider\": \"openai\"}")).isEqualTo(RejectReason.MISSING_ORG_ID);
        }

        @Test
        void stillRejectsANullFieldThatRepeats() {
            assertThat(reason("{\"org_id\": \"a\", \"model\": null, \"model\": \"m\"}"))
                    .isEqualTo(RejectReason.DUPLICATE_KEY);
        }
    }

    @Nested
    class Unicode {

        @ParameterizedTest
        @CsvSource({
            "org_id, INVALID_ORG_ID", "event_id, INVALID_EVENT_ID", "provider, INVALID_PROVIDER",
            "model, INVALID_MODEL"})
        void rejectsIdsThatAreNotValidUnicode(String field, RejectReason expected) {
            for (String lone : new String[] {"\\ud800", "a\\ud83d", "\\ude00b", "\\ude00\\ud83d", "x\\udbff\\udbffx"}) {
                // given
                String json = ("{\"org_id\": \"acme\", \"" + field + "\": \"" + lone + "\"}")
                        .replace("{\"org_id\": \"acme\", \"org_id\"", "{\"org_id\"");

                // when
                DecodeResult result = decode(json);

                // then
                assertThat(result).as(json).isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(expected);
                    assertThat(r.detail()).isEqualTo(field + " is not valid Unicode: lone surrogate");
                });
            }
        }

        @Test
        void keepsAValidSurrogatePairWhetherEscapedOrRaw() {
            assertThat(event("{\"org_id\": \"\\ud83d\\ude00\", \"provider\": \"" + EMOJI + "\"}"))
                    .satisfies(e -> {
                        assertThat(e.orgId()).isEqualTo(EMOJI);
                        assertThat(e.provider()).isEqualTo(EMOJI);
                    });
        }

        @Test
        void rejectsSurrogatesEncodedInUtf8AsNotJsonNeverAsReplacementCharacters() {
            // given: CESU-8 / "WTF-8" bytes of a lone surrogate and of an encoded pair, in org_id
            byte[] lone = bytes("{\"org_id\": \"a", 0xED, 0xA0, 0x80, "\"}");
            byte[] pair = bytes("{\"org_id\": \"a", 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, "\"}");

            // when / then
            assertThat(((Rejected) ApiCallCodec.decode(lone)).reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(((Rejected) ApiCallCodec.decode(pair)).reason()).isEqualTo(RejectReason.NOT_JSON);
        }

        @Test
        void neverTreatsAnIdeographicSpaceAsBlank() {
            // given: U+3000 is whitespace to String.isBlank and Character.isWhitespace, not to TextRules
            String json = "{\"org_id\": \"\\u3000\", \"provider\": \"\\u3000\", \"model\": \" \\u3000\\t\"}";

            // when
            ApiCallEvent event = event(json);

            // then
            assertThat(event.orgId()).isEqualTo("\u3000");
            assertThat(event.provider()).isEqualTo("\u3000");
            assertThat(event.model()).isEqualTo("\u3000");
            assertThat(event.hasModel()).isTrue();
            assertThat(TextRules.isBlank("\u3000")).isFalse();
        }

        private static byte[] bytes(Object... parts) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Object part : parts) {
                if (part instanceof String s) {
                    out.writeBytes(utf8(s));
                } else {
                    out.write((Integer) part);
                }
            }
            return out.toByteArray();
        }
    }

    @Nested
    class Rejections {

        static Stream<Arguments> oneExamplePerReason() {
            return Stream.of(
                    Arguments.of(RejectReason.EMPTY, new byte[0]),
                    Arguments.of(RejectReason.EMPTY, null),
                    Arguments.of(RejectReason.TOO_LARGE, padded(ApiCallCodec.MAX_RECORD_BYTES + 1)),
                    Arguments.of(RejectReason.NOT_JSON, utf8("org_id=acme")),
                    Arguments.of(RejectReason.NOT_JSON, utf8("   ")),
                    Arguments.of(RejectReason.NOT_JSON, utf8("{\"org_id\": \"acme\"")),
                    Arguments.of(RejectReason.NOT_JSON, utf8("{\"org_id\": \"acme\"} {}")),
                    Arguments.of(RejectReason.NOT_JSON, bytes(0xEF, 0xBB, 0xBF, '{', '}')),
                    Arguments.of(RejectReason.NOT_JSON, bytes('{', '"', 'a', '"', ':', '"', 0xC0, 0x80, '"', '}')),
                    Arguments.of(RejectReason.NOT_JSON, "{\"org_id\":\"a\"}".getBytes(StandardCharsets.UTF_16LE)),
                    Arguments.of(RejectReason.NOT_JSON, utf8("{\"org_id\": \"a\", \"d\": " + "[".repeat(64) + "]".repeat(64) + "}")),
                    Arguments.of(RejectReason.NOT_JSON, utf8("{\"org_id\": \"a\", \"n\": 1" + "0".repeat(1000) + "}")),
                    Arguments.of(RejectReason.NOT_OBJECT, utf8("[{\"org_id\": \"acme\"}]")),
                    Arguments.of(RejectReason.NOT_OBJECT, utf8("null")),
                    Arguments.of(RejectReason.DUPLICATE_KEY, utf8("{\"org_id\": \"a\", \"org_id\": \"b\"}")),
                    Arguments.of(RejectReason.DUPLICATE_KEY, utf8("{\"org_id\": \"a\", \"x\": 1, \"x\": 1}")),
                    Arguments.of(RejectReason.DUPLICATE_KEY, utf8("{\"org_id\": \"a\", \"x\": [{\"y\": 1, \"z\": 2, \"y\": 3}]}")),
                    Arguments.of(RejectReason.DUPLICATE_KEY, utf8("{\"org_id\": {\"y\": 1, \"y\": 3}}")),
                    Arguments.of(RejectReason.INVALID_TYPE, utf8("{\"type\": [\"api_call\"], \"org_id\": \"a\"}")),
                    Arguments.of(RejectReason.MISSING_ORG_ID, utf8("{\"provider\": \"openai\"}")),
                    Arguments.of(RejectReason.INVALID_ORG_ID, utf8("{\"org_id\": \" \\t\\n \"}")),
                    Arguments.of(RejectReason.INVALID_ORG_ID, utf8("{\"org_id\": \"\"}")),
                    Arguments.of(RejectReason.MISSING_ORG_ID, utf8("{\"org_id\": null}")),
                    Arguments.of(RejectReason.INVALID_ORG_ID, utf8("{\"org_id\": \"\\ud800\"}")),
                    Arguments.of(RejectReason.INVALID_EVENT_ID, utf8("{\"org_id\": \"a\", \"event_id\": 7}")),
                    Arguments.of(RejectReason.INVALID_PROVIDER, utf8("{\"org_id\": \"a\", \"provider\": false}")),
                    Arguments.of(RejectReason.INVALID_MODEL, utf8("{\"org_id\": \"a\", \"model\": 4}")),
                    Arguments.of(RejectReason.INVALID_TOKENS, utf8("{\"org_id\": \"a\", \"input_tokens\": -1}")),
                    Arguments.of(RejectReason.INVALID_TOKENS, utf8("{\"org_id\": \"a\", \"reasoning_tokens\": 0.5}")),
                    Arguments.of(RejectReason.TOKEN_PARTS_EXCEED_TOTAL,
                            utf8("{\"org_id\": \"a\", \"input_tokens\": 1, \"cached_input_tokens\": 2}")),
                    Arguments.of(RejectReason.TOKEN_PARTS_EXCEED_TOTAL,
                            utf8("{\"org_id\": \"a\", \"output_tokens\": 1, \"reasoning_tokens\": 2}")),
                    Arguments.of(RejectReason.INVALID_COST, utf8("{\"org_id\": \"a\", \"cost_usd\": -0.01}")),
                    Arguments.of(RejectReason.INVALID_TIMESTAMP, utf8("{\"org_id\": \"a\", \"timestamp\": \"now\"}")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("oneExamplePerReason")
        void rejectsWithTheReasonThatNamesTheBrokenRule(RejectReason expected, byte[] value) {
            // when
            DecodeResult result = ApiCallCodec.decode(value);

            // then
            assertThat(result).isInstanceOfSatisfying(Rejected.class, r -> {
                assertThat(r.reason()).isEqualTo(expected);
                assertThat(r.detail()).isNotBlank().hasSizeLessThanOrEqualTo(Rejected.MAX_DETAIL_CHARS);
            });
        }

        @Test
        void hasAnExampleForEveryReason() {
            // given
            Set<RejectReason> covered = EnumSet.noneOf(RejectReason.class);

            // when
            oneExamplePerReason().forEach(a -> covered.add((RejectReason) a.get()[0]));

            // then
            assertThat(covered).containsExactlyInAnyOrder(RejectReason.values());
        }

        @Test
        void keepsLabelsStableLowercaseAndUnique() {
            // when
            List<String> labels = Arrays.stream(RejectReason.values()).map(RejectReason::label).toList();

            // then: these are header values and metric labels; changing one breaks dashboards
            assertThat(labels).containsExactly("empty", "too_large", "not_json", "not_object", "duplicate_key",
                    "invalid_type", "missing_org_id", "invalid_org_id", "invalid_event_id", "invalid_provider",
                    "invalid_model", "invalid_tokens", "token_parts_exceed_total", "invalid_cost", "invalid_timestamp");
        }

        @Test
        void reportsTheFirstBrokenFieldInDocumentOrder() {
            assertThat(reason("{\"cost_usd\": -1, \"org_id\": 5}")).isEqualTo(RejectReason.INVALID_COST);
            assertThat(reason("{\"org_id\": 5, \"cost_usd\": -1}")).isEqualTo(RejectReason.INVALID_ORG_ID);
        }

        @Test
        void acceptsARecordOfExactlyTheMaximumSize() {
            assertThat(ApiCallCodec.decode(padded(ApiCallCodec.MAX_RECORD_BYTES))).isInstanceOf(ApiCallEvent.class);
        }

        @Test
        void quotesOnlyAFewDozenCharsOfInputInTheDetail() {
            // given: a huge value with a control character early on
            String hostile = "\\u001b[31m" + "x".repeat(5000);

            // when
            Rejected rejected = (Rejected) decode("{\"org_id\": \"a\", \"cost_usd\": \"" + hostile + "\"}");

            // then
            assertThat(rejected.detail()).hasSizeLessThanOrEqualTo(Rejected.MAX_DETAIL_CHARS)
                    .doesNotContain("\u001b").doesNotContain("x".repeat(40));
        }

        @Test
        void boundsJacksonsParseMessagesToo() {
            // given
            String json = "{\"org_id\": \"a\", \"n\": " + "t".repeat(5000) + "}";

            // when
            Rejected rejected = (Rejected) decode(json);

            // then
            assertThat(rejected.reason()).isEqualTo(RejectReason.NOT_JSON);
            assertThat(rejected.detail()).hasSizeLessThanOrEqualTo(Rejected.MAX_DETAIL_CHARS)
                    .doesNotContain("t".repeat(40));
        }

        private static byte[] padded(int size) {
            String head = "{\"org_id\": \"acme\", \"pad\": \"";
            String tail = "\"}";
            return utf8(head + "p".repeat(size - head.length() - tail.length()) + tail);
        }

        private static byte[] bytes(int... values) {
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (byte) values[i];
            }
            return out;
        }
    }

    private static long cost(String json) {
        return event(costJson(json)).costNanos();
    }

    private static String costJson(String cost) {
        return "{\"org_id\": \"a\", \"cost_usd\": " + cost + "}";
    }

    private static long timestamp(String json) {
        return event("{\"org_id\": \"a\", \"timestamp\": " + json + "}").timestampMillis();
    }

    private static ApiCallEvent event(String json) {
        DecodeResult result = decode(json);
        assertThat(result).isInstanceOf(ApiCallEvent.class);
        return (ApiCallEvent) result;
    }

    private static RejectReason reason(String json) {
        return rejected(json).reason();
    }

    private static Rejected rejected(String json) {
        DecodeResult result = decode(json);
        assertThat(result).isInstanceOf(Rejected.class);
        return (Rejected) result;
    }

    private static DecodeResult decode(String json) {
        return ApiCallCodec.decode(utf8(json));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
