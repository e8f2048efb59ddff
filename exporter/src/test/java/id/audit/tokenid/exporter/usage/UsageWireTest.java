package id.audit.tokenid.exporter.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UsageWireTest {

    private static final List<OrgUsage> HOSTILE = List.of(
            new OrgUsage("acme", List.of(
                    new ModelUsage("openai", "gpt-4o", 3, 100, 50, 1_234_500_000L),
                    new ModelUsage("anthropic", "claude", 0, 0, 0, 0)), 7),
            new OrgUsage("evil \"org\" \\ with\nnewline\r\n%41 😀 & org=other", List.of(
                    new ModelUsage("p r%o\tv", "m".repeat(256), Long.MAX_VALUE, Long.MAX_VALUE, 0, Long.MAX_VALUE),
                    new ModelUsage("\u0000nul", "end", 1, 2, 3, 4),
                    new ModelUsage("series", "org x 1 2 3", 1, 1, 1, 1)), 0),
            new OrgUsage("empty", List.of(), 0));

    @Test
    void roundTripsUsageWithHostileStrings() throws Exception {
        // when
        byte[] encoded = UsageWire.encode(HOSTILE);

        // then
        assertThat(UsageWire.decode(encoded)).isEqualTo(HOSTILE);
        assertThat(new String(encoded, StandardCharsets.US_ASCII)).startsWith("tokenid-usage 1\norgs 3\n")
                .endsWith("\nend\n").doesNotContain("😀");
    }

    @Test
    void roundTripsAnEmptyList() throws Exception {
        assertThat(UsageWire.decode(UsageWire.encode(List.of()))).isEmpty();
    }

    @Test
    void roundTripsRandomUsage() throws Exception {
        // given
        Random random = new Random(42);
        List<OrgUsage> orgs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<ModelUsage> series = new ArrayList<>();
            for (int j = 0; j < random.nextInt(5); j++) {
                series.add(new ModelUsage(randomString(random), randomString(random) + j,
                        random.nextLong() >>> 1, random.nextLong() >>> 1, random.nextLong() >>> 1, random.nextLong() >>> 1));
            }
            orgs.add(new OrgUsage(randomString(random) + i, series, random.nextLong() >>> 1));
        }

        // when / then
        assertThat(UsageWire.decode(UsageWire.encode(orgs))).isEqualTo(orgs);
    }

    @Test
    void rejectsEveryTruncationOfAValidBody() {
        byte[] encoded = UsageWire.encode(HOSTILE);
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> UsageWire.decode(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(UsageWire.MalformedUsageException.class);
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
        assertRejected("tokenid-usage 1\norgs 999999999\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 99999999999\nend\n");
        assertRejected("tokenid-usage 1\norgs 2\norg acme 0 0\nend\n");
    }

    @Test
    void rejectsNonCanonicalOrInvalidFields() {
        assertRejected("tokenid-usage 2\norgs 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 01\norg acme 0 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme -1 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme +1 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 0\nseries a b 9223372036854775808 1 1 1\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg %61cme 0 0\nend\n"); // 'a' needlessly escaped
        assertRejected("tokenid-usage 1\norgs 1\norg %c3%a9 0 0\nend\n"); // lower-case hex
        assertRejected("tokenid-usage 1\norgs 1\norg %C3 0 0\nend\n"); // not UTF-8
        assertRejected("tokenid-usage 1\norgs 1\norg ac%4 0 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg ac/me 0 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg  0 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 0 \nend\n");
        assertRejected("tokenid-usage 1\norgs 0\nend\nextra\n");
        assertRejected("tokenid-usage 1\r\norgs 0\r\nend\r\n");
        assertRejected("tokenid-usage 1\norgs 0\nend");
    }

    @Test
    void roundTripsSumsBeyondALongUpToTheLargest128BitValue() throws Exception {
        // given: 1,125 events at 2^53 tokens, 10^18 nano-dollars each, and the 128-bit ceiling
        BigInteger tokens = BigInteger.ONE.shiftLeft(53).multiply(BigInteger.valueOf(1_125));
        BigInteger cost = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(1_125));
        BigInteger largest = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        List<OrgUsage> orgs = List.of(new OrgUsage("whale", List.of(
                new ModelUsage("openai", "gpt-4o", 1_125, tokens, tokens, cost),
                new ModelUsage("openai", "max", Long.MAX_VALUE, largest, largest, largest)), largest));

        // when
        byte[] encoded = UsageWire.encode(orgs);

        // then
        assertThat(UsageWire.decode(encoded)).isEqualTo(orgs);
        assertThat(new String(encoded, StandardCharsets.US_ASCII))
                .contains("series openai gpt-4o 1125 10133099161583616000 10133099161583616000 "
                        + "1125000000000000000000\n")
                .contains("org whale 340282366920938463463374607431768211455 2\n");
    }

    @Test
    void rejectsSumsWithTooManyDigitsOrBeyond128BitsBeforeParsingThem() {
        String twoTo128 = BigInteger.ONE.shiftLeft(128).toString();
        assertThat(twoTo128).hasSize(UsageWire.MAX_SUM_DIGITS);
        assertRejected("tokenid-usage 1\norgs 1\norg acme " + twoTo128 + " 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 1" + "0".repeat(39) + " 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme " + "9".repeat(100_000) + " 0\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 1\nseries a b 1 0" + "1".repeat(20) + " 1 1\nend\n");
        assertRejected("tokenid-usage 1\norgs 1\norg acme 0 1\nseries a b 1 1 1 " + twoTo128 + "\nend\n");
    }

    @Test
    void refusesToEncodeASumBeyond128Bits() {
        List<OrgUsage> orgs = List.of(new OrgUsage("acme", List.of(), BigInteger.ONE.shiftLeft(128)));

        assertThatThrownBy(() -> UsageWire.encode(orgs)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsRepeatedOrgsAndSeries() {
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
}
