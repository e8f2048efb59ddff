package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.CostNanos;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UsageTotalsTest {

    @Test
    void tenTimesTenCentsIsExactlyOneDollar() {
        long dime = CostNanos.parse("0.1");
        UsageTotals totals = new UsageTotals();

        for (int i = 0; i < 10; i++) {
            totals.add(0, 0, dime);
        }

        assertThat(totals.costNanos()).isEqualTo(1_000_000_000L);
        assertThat(new BigDecimal(totals.costNanos(), 9)).isEqualByComparingTo("1");
        // The double sum a naive implementation would keep is not exact:
        double naive = 0;
        for (int i = 0; i < 10; i++) {
            naive += 0.1;
        }
        assertThat(naive).isNotEqualTo(1.0);
    }

    @Test
    void sumsRandomLargeValuesExactlyAgainstBigInteger() {
        Random random = new Random(3);
        UsageTotals totals = new UsageTotals();
        BigInteger in = BigInteger.ZERO;
        BigInteger out = BigInteger.ZERO;
        BigInteger cost = BigInteger.ZERO;

        for (int i = 0; i < 100_000; i++) {
            long a = random.nextLong() >>> 1;
            long b = random.nextInt(3) == 0 ? Long.MAX_VALUE : random.nextLong(1L << 53);
            long c = random.nextLong(CostNanos.MAX_NANOS + 1);
            totals.add(a, b, c);
            in = in.add(BigInteger.valueOf(a));
            out = out.add(BigInteger.valueOf(b));
            cost = cost.add(BigInteger.valueOf(c));
        }

        assertThat(totals.requests()).isEqualTo(100_000);
        assertThat(totals.inputTokens()).isEqualTo(in);
        assertThat(totals.outputTokens()).isEqualTo(out);
        assertThat(totals.costNanos()).isEqualTo(cost);
        assertThat(UsageTotals.fromBytes(totals.toBytes())).isEqualTo(totals);
    }

    @Test
    void keepsTheThirtyTwoByteFormatWhileEverySumFitsALong() {
        UsageTotals totals = new UsageTotals();
        totals.add(4, 5, 6_000_000_007L);
        totals.add(Long.MAX_VALUE - 4, 0, 0);

        byte[] stored = totals.toBytes();

        assertThat(stored).isEqualTo(ByteBuffer.allocate(32).putLong(2).putLong(Long.MAX_VALUE).putLong(5)
                .putLong(6_000_000_007L).array());
        assertThat(UsageTotals.fromBytes(stored)).isEqualTo(totals);
        assertThat(UsageTotals.fromBytes(null)).isEqualTo(new UsageTotals());
    }

    @Test
    void growsToTheFiftySixByteFormatBeyondALongAndReadsItBack() {
        UsageTotals totals = new UsageTotals();
        totals.add(Long.MAX_VALUE, 0, 0);
        totals.add(1, 0, 0);

        byte[] stored = totals.toBytes();

        assertThat(stored).hasSize(56);
        assertThat(UsageTotals.fromBytes(stored).inputTokens()).isEqualTo(BigInteger.ONE.shiftLeft(63));
    }

    @Test
    void rejectsStoredBytesOfAnyOtherSizeOrANegativeNarrowSum() {
        assertThatThrownBy(() -> UsageTotals.fromBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        byte[] negative = ByteBuffer.allocate(32).putLong(1).putLong(-1).putLong(0).putLong(0).array();
        assertThatThrownBy(() -> UsageTotals.fromBytes(negative)).isInstanceOf(IllegalArgumentException.class);
    }
}
