package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The schema is the contract and the codec must accept exactly what it accepts: every example
 * file and thousands of generated variations get the same verdict from both, and every valid
 * api_call decodes to the values an independent oracle computes from the parsed JSON.
 *
 * <p>Variations are seeded; a failure prints the seed. Rerun one with
 * {@code -Dagreement.seed=<seed> -Dagreement.cases=<n>}.
 */
class SchemaAgreementTest {

    private static final String EXAMPLES = "schemas/examples/";
    private static final long[] DEFAULT_SEEDS = {20250314L, 7L, 0x5EEDL};
    private static final int DEFAULT_CASES_PER_SEED = 1500;
    private static final ReferenceValidator REFERENCE = new ReferenceValidator();

    @Test
    void schemaIsAValidDraft202012Schema() throws IOException {
        // given
        var metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiCallCodec.SCHEMA_RESOURCE)) {
            schema = REFERENCE.mapper().readTree(in);
        }

        // when
        var errors = metaSchema.validate(schema);

        // then
        assertThat(errors).isEmpty();
        assertThat(schema.get("$id").asText()).startsWith("https://");
    }

    @TestFactory
    Stream<DynamicTest> everyValidExampleIsValidForSchemaAndCodec() {
        List<Path> files = examples("valid");
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            // given
            byte[] value = Files.readAllBytes(file);

            // when
            ReferenceValidator.Verdict verdict = REFERENCE.judge(value);
            DecodeResult decoded = ApiCallCodec.decode(value);

            // then
            assertThat(verdict.valid()).as("schema verdict: %s", verdict.why()).isTrue();
            assertThat(decoded).isNotInstanceOf(Rejected.class);
            assertMatchesOracle(decoded, verdict.instance(), file.toString());
        }));
    }

    /**
     * Invalid examples sit in a folder named after the {@link RejectReason#label()} the codec
     * must give them, so a rejection for the wrong reason fails too.
     */
    @TestFactory
    Stream<DynamicTest> everyInvalidExampleIsInvalidForSchemaAndRejectedForItsFoldersReason() {
        List<Path> files = examples("invalid");
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        return files.stream().map(file -> DynamicTest.dynamicTest(
                file.getParent().getFileName() + "/" + file.getFileName(), () -> {
            // given
            byte[] value = Files.readAllBytes(file);
            String expectedLabel = file.getParent().getFileName().toString();

            // when
            ReferenceValidator.Verdict verdict = REFERENCE.judge(value);
            DecodeResult decoded = ApiCallCodec.decode(value);

            // then
            assertThat(verdict.valid()).as("schema verdict").isFalse();
            assertThat(decoded).isInstanceOfSatisfying(Rejected.class,
                    r -> assertThat(r.reason().label()).as(r.detail()).isEqualTo(expectedLabel));
        }));
    }

    @Test
    void invalidExamplesAreFiledOnlyUnderReasonLabels() throws IOException {
        // given
        Path root = examplesDir("invalid");
        List<String> labels = java.util.Arrays.stream(RejectReason.values()).map(RejectReason::label).toList();

        // when
        List<String> folders;
        try (Stream<Path> entries = Files.list(root)) {
            folders = entries.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "" : " (a file)")).toList();
        }

        // then: a loose file or a misspelt folder would escape the reason check
        assertThat(labels).containsAll(folders);
    }

    @Test
    void generatedVariationsGetTheSameVerdictFromSchemaAndCodec() {
        // given
        long[] seeds = Long.getLong("agreement.seed") == null ? DEFAULT_SEEDS
                : new long[] {Long.getLong("agreement.seed")};
        int casesPerSeed = Integer.getInteger("agreement.cases", DEFAULT_CASES_PER_SEED);
        List<String> disagreements = new ArrayList<>();
        int[] outcomes = new int[3]; // counted, ignored, rejected
        int partsOverWhole = 0;
        int partsAtWhole = 0;

        for (long seed : seeds) {
            EventVariations variations = new EventVariations(new Random(seed));
            for (int i = 0; i < casesPerSeed; i++) {
                byte[] value = variations.next();

                // when
                ReferenceValidator.Verdict verdict = REFERENCE.judge(value);
                DecodeResult decoded = ApiCallCodec.decode(value);

                // then (collected, to report every disagreement of the run at once)
                outcomes[decoded instanceof ApiCallEvent ? 0 : decoded instanceof Ignored ? 1 : 2]++;
                if (decoded instanceof Rejected r && r.reason() == RejectReason.TOKEN_PARTS_EXCEED_TOTAL) {
                    partsOverWhole++;
                } else if (decoded instanceof ApiCallEvent e && (e.reasoningTokens() == e.outputTokens() && e.outputTokens() > 0
                        || e.cachedInputTokens() + e.cacheWriteInputTokens() == e.inputTokens() && e.inputTokens() > 0)) {
                    partsAtWhole++;
                }
                String problem = disagreement(decoded, verdict);
                if (problem != null && disagreements.size() < 20) {
                    disagreements.add("seed " + seed + " case " + i + ": " + problem + "\n    input: "
                            + printable(value) + "\n    schema: " + verdict.why());
                }
            }
        }

        System.out.printf("agreement: seeds %s, %d counted (%d with a token part at its whole), %d ignored,"
                + " %d rejected (%d for token parts over their whole)%n", java.util.Arrays.toString(seeds),
                outcomes[0], partsAtWhole, outcomes[1], outcomes[2], partsOverWhole);
        assertThat(disagreements).as("disagreements (seeds %s)", java.util.Arrays.toString(seeds)).isEmpty();
        int total = outcomes[0] + outcomes[1] + outcomes[2];
        assertThat(total).isGreaterThanOrEqualTo(Math.min(3000, seeds.length * casesPerSeed));
        // The generator must exercise all three outcomes, not only rejections.
        assertThat(outcomes[0]).as("counted").isGreaterThan(total / 10);
        assertThat(outcomes[1]).as("ignored").isGreaterThan(total / 50);
        assertThat(outcomes[2]).as("rejected").isGreaterThan(total / 4);
        // ... and both sides of the one rule across fields, which the schema leaves to $comment.
        assertThat(partsOverWhole).as("rejected for token parts").isGreaterThan(total / 100);
        assertThat(partsAtWhole).as("counted with a part at its whole").isGreaterThan(total / 100);
    }

    /**
     * Cost strings on a grid of mantissas, exponents and signs around every edge of the string
     * form: the codec and the schema's pattern agree on each, an accepted string decodes to the
     * oracle's nanos and to the same nanos as the number with the same text, and a string is
     * refused where the number is accepted only for the two notations the schema documents.
     */
    @Test
    void costStringsAgreeWithTheSchemaAndWithTheNumberOfTheSameText() {
        // given
        String[] mantissas = {"0", "0.0", "0.000", "1", "4", "9", "1.5", "0.5", "0.05", "0.000000001", "12", "10",
            "100", "1.0", "99999999", "100000000", "100000000.5", "999999999", "999999999.9999999995",
            "1000000000", "1000000000.0", "1000000000.5", "1234567890", "9999999999", "10000000000",
            "12345678901", "100000000000"};
        String[] exponents = {"", "e0", "E+0", "e-0", "e00", "e1", "E+1", "e2", "e+3", "e4", "e5", "e6", "e7", "E8",
            "e9", "e+09", "e10", "e11", "e-1", "e-2", "e-5", "E-8", "e-9", "e-10", "e-11", "e-18", "e-19", "e-20",
            "e-999999999", "e999999999"};
        List<String> problems = new ArrayList<>();
        int acceptedStrings = 0;

        for (String sign : new String[] {"", "-"}) {
            for (String mantissa : mantissas) {
                for (String exponent : exponents) {
                    String text = sign + mantissa + exponent;
                    byte[] asString = utf8("{\"org_id\": \"a\", \"cost_usd\": \"" + text + "\"}");
                    byte[] asNumber = utf8("{\"org_id\": \"a\", \"cost_usd\": " + text + "}");

                    // when
                    ReferenceValidator.Verdict stringVerdict = REFERENCE.judge(asString);
                    DecodeResult stringDecoded = ApiCallCodec.decode(asString);
                    ReferenceValidator.Verdict numberVerdict = REFERENCE.judge(asNumber);
                    DecodeResult numberDecoded = ApiCallCodec.decode(asNumber);

                    // then (collected)
                    String problem = disagreement(stringDecoded, stringVerdict);
                    if (problem == null) {
                        problem = disagreement(numberDecoded, numberVerdict);
                    }
                    if (problem == null && stringVerdict.valid()) {
                        acceptedStrings++;
                        if (!numberDecoded.equals(stringDecoded)) {
                            problem = "string " + stringDecoded + " but number " + numberDecoded;
                        }
                    }
                    if (problem == null && numberVerdict.valid() && !stringVerdict.valid()
                            && !isDocumentedStringBound(mantissa, exponent)) {
                        problem = "number accepted, string refused";
                    }
                    if (problem != null) {
                        problems.add(text + ": " + problem);
                    }
                }
            }
        }

        assertThat(problems).isEmpty();
        assertThat(acceptedStrings).isGreaterThan(300);
    }

    /** More than 10 digits before the point, or a positive exponent above 9 (see the schema). */
    private static boolean isDocumentedStringBound(String mantissa, String exponent) {
        int point = mantissa.indexOf('.');
        int wholeDigits = point < 0 ? mantissa.length() : point;
        boolean positiveExponent = !exponent.isEmpty() && !exponent.contains("-")
                && new BigDecimal(exponent.substring(1).replace("+", "")).compareTo(BigDecimal.valueOf(9)) > 0;
        return wholeDigits > 10 || positiveExponent;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Null when codec and reference agree, and the decoded values match the oracle. */
    private static String disagreement(DecodeResult decoded, ReferenceValidator.Verdict verdict) {
        boolean codecValid = !(decoded instanceof Rejected);
        if (codecValid != verdict.valid()) {
            return "codec says " + decoded + ", schema says " + (verdict.valid() ? "valid" : "invalid");
        }
        if (!codecValid) {
            return null;
        }
        try {
            assertMatchesOracle(decoded, verdict.instance(), "");
            return null;
        } catch (AssertionError e) {
            return "values differ: " + e.getMessage();
        }
    }

    /**
     * Checks a decoded event against values computed here from the reference's parsed tree,
     * with java.math and java.time, never with the codec's own helpers.
     */
    private static void assertMatchesOracle(DecodeResult decoded, JsonNode json, String what) {
        JsonNode type = present(json, "type");
        if (type != null && !type.textValue().equals("api_call")) {
            String expected = type.textValue();
            if (expected.length() > 64) {
                expected = expected.substring(0, Character.isHighSurrogate(expected.charAt(63)) ? 63 : 64);
            }
            assertThat(decoded).as(what).isEqualTo(new Ignored(expected));
            return;
        }
        assertThat(decoded).as(what).isInstanceOf(ApiCallEvent.class);
        ApiCallEvent event = (ApiCallEvent) decoded;
        ApiCallEvent expected = new ApiCallEvent(
                present(json, "event_id") != null ? json.get("event_id").textValue() : null,
                json.get("org_id").textValue().trim().toLowerCase(Locale.ROOT),
                blankToNull(present(json, "provider")),
                blankToNull(present(json, "model")),
                tokens(json, "input_tokens"),
                tokens(json, "output_tokens"),
                tokens(json, "cached_input_tokens"),
                tokens(json, "cache_write_input_tokens"),
                tokens(json, "reasoning_tokens"),
                present(json, "cost_usd") != null ? nanos(json.get("cost_usd")) : 0,
                // Absent and null alike leave the cost to the price table; any present value, 0 too, is the cost.
                present(json, "cost_usd") != null,
                present(json, "timestamp") != null ? millis(json.get("timestamp")) : ApiCallEvent.NO_TIMESTAMP);
        assertThat(event).as(what).isEqualTo(expected);
    }

    /** The member, or null when it is absent or JSON null (the contract's "absent"). */
    private static JsonNode present(JsonNode json, String name) {
        JsonNode member = json.get(name);
        return member == null || member.isNull() ? null : member;
    }

    private static long tokens(JsonNode json, String name) {
        JsonNode count = present(json, name);
        return count != null ? count.decimalValue().longValueExact() : 0;
    }

    private static String blankToNull(JsonNode text) {
        if (text == null || text.textValue().trim().isEmpty()) {
            return null;
        }
        return text.textValue().trim().toLowerCase(Locale.ROOT);
    }

    private static long nanos(JsonNode cost) {
        BigDecimal usd = cost.isTextual() ? new BigDecimal(cost.textValue()) : cost.decimalValue();
        if (usd.compareTo(new BigDecimal("0.0000000005")) < 0) {
            return 0; // HALF_UP to 1e-9; also spares setScale a 10^huge division
        }
        return usd.setScale(9, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }

    private static long millis(JsonNode timestamp) {
        return timestamp.isTextual()
                ? OffsetDateTime.parse(timestamp.textValue()).toInstant().toEpochMilli()
                : timestamp.decimalValue().longValueExact();
    }

    private static List<Path> examples(String kind) {
        try (Stream<Path> files = Files.walk(examplesDir(kind))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path examplesDir(String kind) {
        try {
            return Path.of(SchemaAgreementTest.class.getClassLoader().getResource(EXAMPLES + kind).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(400).forEach(cp -> {
            if (cp < 0x20 || cp == 0xFFFD || (cp >= 0x7F && cp < 0xA0)) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out + (text.length() > 400 ? "..." : "") + " (" + value.length + " bytes)";
    }
}
