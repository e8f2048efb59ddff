package id.audit.tokenid.exporter.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UsageWireTest {

    private static final BigInteger LARGEST = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static final List<OrgUsage> HOSTILE = List.of(
            new OrgUsage("acme", List.of(
                    new ModelUsage("openai", "gpt-4o", 3, big(100), big(50), big(40), big(10), big(20),
                            big(1_234_500_000L), 1),
                    new ModelUsage("anthropic", "claude", 0, 0, 0, 0)),
                    big(7), big(3), big(12), Optional.of(new BudgetUsage(big(10_000_000_000L), big(99)))),
            new OrgUsage("evil \"org\" \\ with\nnewline\r\n%41 😀 & org=other", List.of(
                    new ModelUsage("p r%o\tv", "m".repeat(256), Long.MAX_VALUE, Long.MAX_VALUE, 0, Long.MAX_VALUE),
                    new ModelUsage("\u0000nul", "end", 1, 2, 3, 4),
                    new ModelUsage("series", "org x 1 2 3", 1, 1, 1, 1),
                    new ModelUsage(ModelUsage.OVERFLOW, ModelUsage.OVERFLOW, 5, big(5), big(5), big(0), big(0),
                            big(0), big(0), 5)), big(0)),
            new OrgUsage("empty", List.of(), big(0), big(0), big(0), Optional.of(new BudgetUsage(big(0), big(0)))));

    @Test
    void roundTripsUsageWithHostileStrings() throws Exception {
        // when
        byte[] encoded = UsageWire.encode(HOSTILE);

        // then
        assertThat(UsageWire.decode(encoded)).isEqualTo(HOSTILE);
        assertThat(UsageWire.decodeVersioned(encoded).version()).isEqualTo(2);
        assertThat(new String(encoded, StandardCharsets.US_ASCII)).startsWith("tokenid-usage 2\norgs 3\n")
                .endsWith("\nend\n").doesNotContain("😀");
    }

    @Test
    void writesVersion2WithEveryFigureInItsPlace() {
        // given
        List<OrgUsage> orgs = List.of(
                new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 3, big(100), big(50), big(40),
                        big(10), big(20), big(1_500), 1)), big(7), big(3), big(12),
                        Optional.of(new BudgetUsage(big(1_000), big(99)))),
                new OrgUsage("idle", List.of(), 0));

        // when
        String text = new String(UsageWire.encode(orgs), StandardCharsets.US_ASCII);

        // then
        assertThat(text).isEqualTo("""
                tokenid-usage 2
                orgs 2
                org acme 7 3 12 1000 99 1
                series openai gpt-4o 3 100 50 40 10 20 1500 1
                org idle 0 0 0 - - 0
                end
                """);
        assertThat(UsageWire.CONTENT_TYPE).endsWith("version=2");
    }

    @Test
    void roundTripsAnEmptyList() throws Exception {
        assertThat(UsageWire.decode(UsageWire.encode(List.of()))).isEmpty();
    }

    @Test
    void roundTripsRandomUsage() throws Exception {
        // given
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<OrgUsage> orgs = randomOrgs(random);

            // when / then
            assertThat(UsageWire.decode(UsageWire.encode(orgs))).isEqualTo(orgs);
        }
    }

    @Test
    void decodesVersion1WithTheNewFiguresAtZeroAndNoBudget() throws Exception {
        // given: what an instance of the previous release sends
        String body = """
                tokenid-usage 1
                orgs 2
                org acme 7 1
                series openai gpt-4o 3 100 50 1500
                org idle 0 0
                end
                """;

        // when
        UsageWire.Decoded decoded = UsageWire.decodeVersioned(body.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(decoded.version()).isEqualTo(1);
        assertThat(decoded.orgs()).containsExactly(
                new OrgUsage("acme", List.of(new ModelUsage("openai", "gpt-4o", 3, big(100), big(50), big(0),
                        big(0), big(0), big(1_500), 0)), big(7), big(0), big(0), Optional.empty()),
                new OrgUsage("idle", List.of(), big(0), big(0), big(0), Optional.empty()));
    }

    @Test
    void decodesRandomVersion1BodiesAsTheirVersion1Figures() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            // given: v1 carries only requests, input, output, cost and the 24 h cost
            List<OrgUsage> orgs = version1Figures(randomOrgs(random));

            // when / then
            assertThat(UsageWire.decode(encodeVersion1(orgs))).isEqualTo(orgs);
        }
    }

    @Test
    void acceptsOnlyCanonicalBodiesWhateverTheMutation() {
        // Property: a mutated body either fails to decode or is exactly the encoding of what it
        // decodes to (in its own version), so no two bodies mean the same usage.
        Random random = new Random(7);
        byte[][] valid = {UsageWire.encode(HOSTILE), encodeVersion1(version1Figures(HOSTILE))};
        String alphabet = "0123456789 -%\nAa.~";
        int accepted = 0;
        for (int i = 0; i < 4_000; i++) {
            byte[] body = valid[i % 2].clone();
            int at = random.nextInt(body.length);
            body = switch (random.nextInt(3)) {
                case 0 -> {
                    body[at] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
                    yield body;
                }
                case 1 -> concat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, at + 1, body.length));
                default -> concat(Arrays.copyOf(body, at + 1), Arrays.copyOfRange(body, at, body.length));
            };
            UsageWire.Decoded decoded;
            try {
                decoded = UsageWire.decodeVersioned(body);
            } catch (UsageWire.MalformedUsageException e) {
                continue;
            }
            accepted++;
            byte[] again = decoded.version() == 2 ? UsageWire.encode(decoded.orgs()) : encodeVersion1(decoded.orgs());
            if (!Arrays.equals(again, body)) {
                assertThat(new String(body, StandardCharsets.US_ASCII)).as("accepted, but not canonical")
                        .isEqualTo(new String(again, StandardCharsets.US_ASCII));
            }
        }
        assertThat(accepted).as("some mutations are valid usage (a digit changed)").isPositive();
    }

    @Test
    void rejectsEveryTruncationOfAValidBody() {
        for (byte[] encoded : List.of(UsageWire.encode(HOSTILE), encodeVersion1(version1Figures(HOSTILE)))) {
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThatThrownBy(() -> UsageWire.decode(truncated))
                        .as("truncated to %d bytes", length)
                        .isInstanceOf(UsageWire.MalformedUsageException.class);
            }
        }
    }

    @Test
    void rejectsABodyOverTheSizeLimit() {
        byte[] huge = new byte[UsageWire.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');

        assertThatThrownBy(() -> UsageWire.decode(huge)).isInstanceOf(UsageWire.MalformedUsageException.class)
                .hasMessageContaining("larger");
    }

    @Test
    void rejectsAbsurdCountsWithoutAllocatingForThem() {
        assertRejected("tokenid-usage 2\norgs 999999999\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 99999999999\nend\n");
        assertRejected("tokenid-usage 2\norgs 2\norg acme 0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 999999999\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 99999999999\nend\n");
        assertRejected("tokenid-usage 1\norgs 2\norg acme 0 0\nend\n");
    }

    @Test
    void rejectsUnknownVersionsAndLinesOfTheOtherVersion() {
        assertRejected("tokenid-usage 3\norgs 0\nend\n");
        assertRejected("tokenid-usage 0\norgs 0\nend\n");
        assertRejected("tokenid-usage 02\norgs 0\nend\n");
        assertRejected("tokenid-usage  2\norgs 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0\nend\n"); // a v1 org line in v2
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 0 0 - - 0\nend\n"); // a v2 org line in v1
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 1 1 1\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 1\nseries a b 1 1 1 0 0 0 1 0\nend\n");
    }

    @Test
    void rejectsNonCanonicalOrInvalidFields() {
        assertRejected("tokenid-usage 2\norgs 01\norg acme 0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme -1 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 +1 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 00 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 9223372036854775808 1 1 0 0 0 1 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 1 1 0 0 0 1 -1\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 1 1 -0 0 0 1 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 1 1 0 0 0 1 9223372036854775808\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg %61cme 0 0 0 - - 0\nend\n"); // 'a' needlessly escaped
        assertRejected("tokenid-usage 2\norgs 1\norg %c3%a9 0 0 0 - - 0\nend\n"); // lower-case hex
        assertRejected("tokenid-usage 2\norgs 1\norg %C3 0 0 0 - - 0\nend\n"); // not UTF-8
        assertRejected("tokenid-usage 2\norgs 1\norg ac%4 0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg ac/me 0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg  0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 0 \nend\n");
        assertRejected("tokenid-usage 2\norgs 0\nend\nextra\n");
        assertRejected("tokenid-usage 2\r\norgs 0\r\nend\r\n");
        assertRejected("tokenid-usage 2\norgs 0\nend");
        assertRejected("tokenid-usage 1\norgs 1\norg acme -1 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 0\nseries a b 9223372036854775808 1 1 1\nend\n");
    }

    @Test
    void rejectsHalfABudgetANegativeOneOrADashAnywhereElse() {
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 5 - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - 5 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 -5 5 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 -- -- 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 0- 0 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme - 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - -\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 1 1 - 0 0 1 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - -  0\nend\n");
    }

    @Test
    void roundTripsSumsBeyondALongUpToTheLargest128BitValue() throws Exception {
        // given: 1,125 events at 2^53 tokens, 10^18 nano-dollars each, and the 128-bit ceiling
        BigInteger tokens = BigInteger.ONE.shiftLeft(53).multiply(BigInteger.valueOf(1_125));
        BigInteger cost = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(1_125));
        List<OrgUsage> orgs = List.of(new OrgUsage("whale", List.of(
                new ModelUsage("openai", "gpt-4o", 1_125, tokens, tokens, cost),
                new ModelUsage("openai", "max", Long.MAX_VALUE, LARGEST, LARGEST, LARGEST, LARGEST, LARGEST,
                        LARGEST, Long.MAX_VALUE)),
                LARGEST, LARGEST, LARGEST, Optional.of(new BudgetUsage(LARGEST, LARGEST))));

        // when
        byte[] encoded = UsageWire.encode(orgs);

        // then
        String largest = LARGEST.toString();
        assertThat(UsageWire.decode(encoded)).isEqualTo(orgs);
        assertThat(new String(encoded, StandardCharsets.US_ASCII))
                .contains("series openai gpt-4o 1125 10133099161583616000 10133099161583616000 0 0 0 "
                        + "1125000000000000000000 0\n")
                .contains("org whale " + String.join(" ", largest, largest, largest, largest, largest) + " 2\n");
    }

    @Test
    void rejectsSumsWithTooManyDigitsOrBeyond128BitsBeforeParsingThem() {
        String twoTo128 = BigInteger.ONE.shiftLeft(128).toString();
        assertThat(twoTo128).hasSize(UsageWire.MAX_SUM_DIGITS);
        assertRejected("tokenid-usage 2\norgs 1\norg acme " + twoTo128 + " 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 " + twoTo128 + " 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 " + twoTo128 + " - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 " + twoTo128 + " 0 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 0 " + twoTo128 + " 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 1" + "0".repeat(39) + " 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme " + "9".repeat(100_000) + " 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b 1 0" + "1".repeat(20)
                + " 1 0 0 0 1 0\nend\n");
        for (int field = 3; field <= 8; field++) {
            String[] numbers = {"1", "1", "1", "0", "0", "0", "1", "0"};
            numbers[field - 3] = twoTo128;
            assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 1\nseries a b " + String.join(" ", numbers)
                    + "\nend\n");
        }
        assertRejected("tokenid-usage 1\norgs 1\norg acme " + twoTo128 + " 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 1\nseries a b 1 1 1 " + twoTo128 + "\nend\n");
    }

    @Test
    void refusesToEncodeASumBeyond128Bits() {
        BigInteger beyond = BigInteger.ONE.shiftLeft(128);
        List<List<OrgUsage>> tooLarge = List.of(
                List.of(new OrgUsage("acme", List.of(), beyond)),
                List.of(new OrgUsage("acme", List.of(), big(0), beyond, big(0), Optional.empty())),
                List.of(new OrgUsage("acme", List.of(), big(0), big(0), beyond, Optional.empty())),
                List.of(new OrgUsage("acme", List.of(), big(0), big(0), big(0),
                        Optional.of(new BudgetUsage(big(0), beyond)))),
                List.of(new OrgUsage("acme", List.of(new ModelUsage("a", "b", 1, big(1), big(1), beyond, big(0),
                        big(0), big(0), 0)), big(0))));

        assertThat(tooLarge).allSatisfy(orgs ->
                assertThatThrownBy(() -> UsageWire.encode(orgs)).isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void rejectsRepeatedOrgsAndSeries() {
        assertRejected("tokenid-usage 2\norgs 2\norg acme 0 0 0 - - 0\norg acme 0 0 0 - - 0\nend\n");
        assertRejected("tokenid-usage 2\norgs 1\norg acme 0 0 0 - - 2\nseries a b 1 1 1 0 0 0 1 0\n"
                + "series a b 1 1 1 0 0 0 1 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 2\norg acme 0 0\norg acme 0 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 2\nseries a b 1 1 1 1\nseries a b 1 1 1 1\nend\n");
    }

    @Test
    void refusesToEncodeEmptyOrNegativeValues() {
        assertThatThrownBy(() -> UsageWire.encode(List.of(new OrgUsage("", List.of(), 0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageWire.encode(List.of(new OrgUsage("acme", List.of(), -1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRejected(String body) {
        assertThatThrownBy(() -> UsageWire.decode(body.getBytes(StandardCharsets.UTF_8)))
                .as(body)
                .isInstanceOf(UsageWire.MalformedUsageException.class);
    }

    /**
     * Version 1 as the previous release wrote it, written here from its format (not by the code
     * under test), so the decoder is checked against the format, not against itself.
     */
    private static byte[] encodeVersion1(List<OrgUsage> orgs) {
        StringBuilder out = new StringBuilder("tokenid-usage 1\norgs ").append(orgs.size()).append('\n');
        for (OrgUsage org : orgs) {
            out.append("org ").append(UsageWire.encodeString(org.orgId())).append(' ')
                    .append(org.rolling24hCostNanos()).append(' ').append(org.series().size()).append('\n');
            for (ModelUsage s : org.series()) {
                out.append("series ").append(UsageWire.encodeString(s.provider())).append(' ')
                        .append(UsageWire.encodeString(s.model())).append(' ').append(s.requests()).append(' ')
                        .append(s.inputTokens()).append(' ').append(s.outputTokens()).append(' ')
                        .append(s.costNanos()).append('\n');
            }
        }
        return out.append("end\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The same usage with only what version 1 carries. */
    private static List<OrgUsage> version1Figures(List<OrgUsage> orgs) {
        return orgs.stream().map(org -> new OrgUsage(org.orgId(), org.series().stream()
                        .map(s -> new ModelUsage(s.provider(), s.model(), s.requests(), s.inputTokens(),
                                s.outputTokens(), s.costNanos()))
                        .toList(), org.rolling24hCostNanos()))
                .toList();
    }

    private static List<OrgUsage> randomOrgs(Random random) {
        List<OrgUsage> orgs = new ArrayList<>();
        int count = random.nextInt(30);
        for (int i = 0; i < count; i++) {
            List<ModelUsage> series = new ArrayList<>();
            int seriesCount = random.nextInt(5);
            for (int j = 0; j < seriesCount; j++) {
                series.add(new ModelUsage(randomString(random), randomString(random) + j, random.nextLong() >>> 1,
                        randomSum(random), randomSum(random), randomSum(random), randomSum(random), randomSum(random),
                        randomSum(random), random.nextLong() >>> 1));
            }
            Optional<BudgetUsage> budget = random.nextBoolean()
                    ? Optional.of(new BudgetUsage(randomSum(random), randomSum(random)))
                    : Optional.empty();
            orgs.add(new OrgUsage(randomString(random) + i, series, randomSum(random), randomSum(random),
                    randomSum(random), budget));
        }
        return orgs;
    }

    /** 0, small, long-sized or up to 128 bits, evenly. */
    private static BigInteger randomSum(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.valueOf(random.nextInt(1_000));
            case 2 -> BigInteger.valueOf(random.nextLong() >>> 1);
            default -> new BigInteger(128, random);
        };
    }

    private static String randomString(Random random) {
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(20);
        for (int i = 0; i < length; i++) {
            int codePoint;
            do {
                codePoint = random.nextInt(4) == 0 ? random.nextInt(0x1F600) : 0x20 + random.nextInt(0x5f);
            } while (Character.isSurrogate((char) codePoint) && codePoint < 0x10000);
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }
}
