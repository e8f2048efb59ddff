package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.CostNanos;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsageTotalsTest {

    @Test
    void tenTimesTenCentsIsExactlyOneDollar() {
        long dime = CostNanos.parse("0.1");
        UsageTotals totals = UsageTotals.ZERO;

        for (int i = 0; i < 10; i++) {
            totals = totals.plus(0, 0, dime);
        }

        assertThat(totals.costNanos()).isEqualTo(1_000_000_000L);
        assertThat(BigDecimal.valueOf(totals.costNanos(), 9)).isEqualByComparingTo("1");
        // The double sum a naive implementation would keep is not exact:
        double naive = 0;
        for (int i = 0; i < 10; i++) {
            naive += 0.1;
        }
        assertThat(naive).isNotEqualTo(1.0);
    }

    @Test
    void tenMillionNanoDollarsAreExactlyOneCent() {
        long nano = CostNanos.parse("0.000000001");
        UsageTotals totals = UsageTotals.ZERO;

        for (int i = 0; i < 10_000_000; i++) {
            totals = totals.plus(0, 0, nano);
        }

        assertThat(BigDecimal.valueOf(totals.costNanos(), 9)).isEqualByComparingTo("0.01");
        assertThat(totals.requests()).isEqualTo(10_000_000L);
    }

    @Test
    void detectsOverflowInsteadOfWrapping() {
        UsageTotals nearlyFull = new UsageTotals(1, Long.MAX_VALUE - 1, 0, Long.MAX_VALUE);

        assertThatThrownBy(() -> nearlyFull.plus(2, 0, 0)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> nearlyFull.plus(0, 0, 1)).isInstanceOf(ArithmeticException.class);
        assertThat(nearlyFull.plus(1, 0, 0).inputTokens()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void roundTripsThroughItsStoredBytes() {
        UsageTotals totals = new UsageTotals(3, 4, 5, 6_000_000_007L);

        assertThat(UsageTotals.fromBytes(totals.toBytes())).isEqualTo(totals);
        assertThat(UsageTotals.fromBytes(null)).isEqualTo(UsageTotals.ZERO);
    }
}
