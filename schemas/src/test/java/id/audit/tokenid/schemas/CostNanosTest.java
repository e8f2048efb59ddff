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
    void convertsExtremeExponentsWithoutHugeArithmetic() {
        assertThat(CostNanos.fromDecimal(new BigDecimal("1e-999999999"))).isZero();
        assertThat(CostNanos.fromDecimal(new BigDecimal("-0e-999999999"))).isZero();
        assertThat(CostNanos.fromDecimal(new BigDecimal("1e999999999"))).isEqualTo(CostNanos.INVALID);
        assertThat(CostNanos.fromDecimal(new BigDecimal("-1e999999999"))).isEqualTo(CostNanos.INVALID);
        assertThat(CostNanos.fromDecimal(new BigDecimal("5.0e-10"))).isEqualTo(1);
    }
}
