package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CostNanosTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "0.0, 0", "1, 1000000000", "1.5, 1500000000", "0.1, 100000000",
        "0.000000001, 1", "0.0000000005, 1", "0.00000000049, 0", "0.0000000015, 2",
        "0.0000000014999999999, 1", "999999999.9999999995, 1000000000000000000",
        "1000000000, 1000000000000000000", "1000000000.0000, 1000000000000000000",
        "123.456789012345678901234567890123456789, 123456789012"})
    void parsesPlainDecimalsExactlyRoundingHalfUp(String decimal, long nanos) {
        assertThat(CostNanos.parse(decimal)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "1e-9", "01", ".5", "5.", " 1", "1 ", "1,5", "1000000000.000000001",
        "1000000001", "10000000000", "0.12345678901234567890123456789012345678901", "\u0661", "NaN"})
    void refusesAnythingButThePlainDecimalForm(String decimal) {
        assertThatThrownBy(() -> CostNanos.parse(decimal)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 0.000000001", "1500000000, 1.5", "100000000, 0.1",
        "1000000000000000000, 1000000000", "-2500000000, -2.5", "123456789012, 123.456789012"})
    void formatsNanosAsAPlainDecimalWithoutTrailingZeros(long nanos, String decimal) {
        assertThat(CostNanos.format(nanos)).isEqualTo(decimal);
    }

    @Test
    void formatsTheExtremesOfLong() {
        assertThat(CostNanos.format(Long.MAX_VALUE)).isEqualTo("9223372036.854775807");
        assertThat(CostNanos.format(Long.MIN_VALUE)).isEqualTo("-9223372036.854775808");
    }

    @Test
    void agreesWithBigDecimalOnRandomDecimals() {
        // given
        long seed = new Random().nextLong();
        Random random = new Random(seed);

        for (int i = 0; i < 20_000; i++) {
            BigDecimal usd = new BigDecimal(random.nextInt(1_000_000_000))
                    .add(new BigDecimal(random.nextLong() >>> 1).movePointLeft(random.nextInt(25)))
                    .min(BigDecimal.valueOf(CostNanos.MAX_USD));
            String text = usd.toPlainString();
            if (text.indexOf('.') >= 0 && text.length() - text.indexOf('.') - 1 > 40) {
                continue;
            }

            // when
            long parsed = CostNanos.parse(text);
            long fromDecimal = CostNanos.fromDecimal(usd);

            // then
            long expected = usd.setScale(9, RoundingMode.HALF_UP).unscaledValue().longValueExact();
            assertThat(parsed).as("seed %d: %s", seed, text).isEqualTo(expected);
            assertThat(fromDecimal).as("seed %d: %s", seed, text).isEqualTo(expected);
            assertThat(new BigDecimal(CostNanos.format(expected))).isEqualByComparingTo(
                    BigDecimal.valueOf(expected, 9));
        }
    }

    @Test
    void readsJsonNumberTextInAnySyntaxLikeBigDecimalRoundedHalfUp() {
        // given
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        BigDecimal max = BigDecimal.valueOf(CostNanos.MAX_USD);

        for (int i = 0; i < 50_000; i++) {
            String text = randomJsonNumber(random);
            BigDecimal usd = new BigDecimal(text);

            // when
            long nanos = CostNanos.fromJsonNumber(text.toCharArray(), 0, text.length(), false);

            // then: the oracle is java.math, cut short only where it would divide by 10^huge
            long expected = usd.signum() == 0 ? 0
                    : usd.signum() < 0 || usd.compareTo(max) > 0 ? CostNanos.INVALID
                    : usd.compareTo(new BigDecimal("0.0000000005")) < 0 ? 0
                    : usd.setScale(9, RoundingMode.HALF_UP).unscaledValue().longValueExact();
            assertThat(nanos).as("seed %d: %s", seed, text).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-01", ".5", "5.", "1.e5", "1e", "1e+", "1e-", "1E--8", "0x10",
        "1 ", " 1", "NaN", "Infinity", "1,5", "1.5.5", "1e5e5", "\u0661"})
    void refusesTextThatIsNotAJsonNumber(String text) {
        assertThat(CostNanos.fromJsonNumber(text.toCharArray(), 0, text.length(), false)).isEqualTo(CostNanos.INVALID);
        assertThat(CostNanos.fromJsonNumber(text.toCharArray(), 0, text.length(), true)).isEqualTo(CostNanos.INVALID);
    }

    @Test
    void readsOnlyItsSliceOfTheBuffer() {
        // given: jackson hands out a shared buffer with an offset
        char[] buffer = "xx4E-8yy".toCharArray();

        // when / then
        assertThat(CostNanos.fromJsonNumber(buffer, 2, 4, true)).isEqualTo(40);
    }

    private static String randomJsonNumber(Random random) {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(10) == 0) {
            s.append('-');
        }
        int whole = random.nextInt(14);
        if (whole == 0 || random.nextInt(4) == 0) {
            s.append('0');
        } else {
            s.append((char) ('1' + random.nextInt(9)));
            for (int d = 1; d < whole; d++) {
                s.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextBoolean()) {
            s.append('.');
            int fraction = 1 + random.nextInt(30);
            for (int d = 0; d < fraction; d++) {
                s.append((char) ('0' + (random.nextInt(3) == 0 ? 0 : random.nextInt(10))));
            }
        }
        if (random.nextBoolean()) {
            s.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" : "-");
            int exponent = random.nextInt(8) == 0 ? random.nextInt(1_000_000_000) : random.nextInt(25);
            s.append(random.nextInt(5) == 0 ? "0" : "").append(exponent);
        }
        return s.toString();
    }

    @Test
    void convertsExtremeExponentsWithoutHugeArithmetic() {
        assertThat(CostNanos.fromDecimal(new BigDecimal("1e-999999999"))).isZero();
        assertThat(CostNanos.fromDecimal(new BigDecimal("-0e-999999999"))).isZero();
        assertThat(CostNanos.fromDecimal(new BigDecimal("1e999999999"))).isEqualTo(CostNanos.INVALID);
        assertThat(CostNanos.fromDecimal(new BigDecimal("-1e999999999"))).isEqualTo(CostNanos.INVALID);
        assertThat(CostNanos.fromDecimal(new BigDecimal("5.0e-10"))).isEqualTo(1);
    }
}
