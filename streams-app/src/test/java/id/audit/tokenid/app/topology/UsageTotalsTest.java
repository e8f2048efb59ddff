package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.ApiCallEvent;
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
    @Test
    void sumsTokenPartsAndCountsEventsWithoutACostAsUnpriced() {
        UsageTotals totals = new UsageTotals();

        totals.add(new ApiCallEvent("e1", "acme", "p", "m", 100, 50, 60, 30, 20, 7, true, 0));
        totals.add(new ApiCallEvent("e2", "acme", "p", "m", 10, 5, 1, 2, 3, 0, false, 0));
        totals.add(new ApiCallEvent("e3", "acme", "p", "m", 1, 1, 0, 0, 0, 0, true, 0));

        assertThat(totals.requests()).isEqualTo(3);
        assertThat(totals.unpricedRequests()).isEqualTo(1);
        assertThat(totals.inputTokens()).isEqualTo(111);
        assertThat(totals.outputTokens()).isEqualTo(56);
        assertThat(totals.cachedInputTokens()).isEqualTo(61);
        assertThat(totals.cacheWriteInputTokens()).isEqualTo(32);
        assertThat(totals.reasoningTokens()).isEqualTo(23);
        assertThat(totals.costNanos()).isEqualTo(7);
    }

    @Test
    void writesTheSixtyFourByteFormatOnceATokenPartOrAnUnpricedEventCounts() {
        UsageTotals withPart = new UsageTotals();
        withPart.add(new ApiCallEvent(null, "acme", "p", "m", 4, 5, 0, 0, 1, 6, true, 0));
        UsageTotals unpriced = new UsageTotals();
        unpriced.add(new ApiCallEvent(null, "acme", "p", "m", 4, 5, 0, 0, 0, 0, false, 0));

        byte[] stored = withPart.toBytes();

        assertThat(stored).isEqualTo(ByteBuffer.allocate(64).putLong(1).putLong(0).putLong(4).putLong(5)
                .putLong(0).putLong(0).putLong(1).putLong(6).array());
        assertThat(UsageTotals.fromBytes(stored)).isEqualTo(withPart);
        assertThat(unpriced.toBytes()).hasSize(64);
        assertThat(UsageTotals.fromBytes(unpriced.toBytes()).unpricedRequests()).isEqualTo(1);
    }

    @Test
    void growsToTheHundredTwelveByteFormatWhenASumWithPartsPassesALong() {
        UsageTotals totals = new UsageTotals();
        totals.add(new ApiCallEvent(null, "acme", "p", "m", 1L << 53, 1L << 53, 1L << 53, 0, 1L << 53, 0, true, 0));
        for (int i = 0; i < 1024; i++) {
            totals.add(new ApiCallEvent(null, "acme", "p", "m", 1L << 53, 0, 1L << 53, 0, 0, 0, false, 0));
        }

        byte[] stored = totals.toBytes();

        assertThat(stored).hasSize(112);
        UsageTotals read = UsageTotals.fromBytes(stored);
        assertThat(read).isEqualTo(totals);
        assertThat(read.cachedInputTokens()).isEqualTo(BigInteger.valueOf(1025).shiftLeft(53));
        assertThat(read.unpricedRequests()).isEqualTo(1024);
    }

    @Test
    void readsFiftySixByteValuesWrittenTheWayOfBeforeAsHavingNoPartsAndNothingUnpriced() {
        // requests, then (high, low) of input, output and cost, as the build before issue 11 wrote them
        byte[] old = ByteBuffer.allocate(56).putLong(3).putLong(1).putLong(5).putLong(0).putLong(6)
                .putLong(0).putLong(7).array();

        UsageTotals read = UsageTotals.fromBytes(old);

        assertThat(read.requests()).isEqualTo(3);
        assertThat(read.inputTokens()).isEqualTo(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(5)));
        assertThat(read.outputTokens()).isEqualTo(6);
        assertThat(read.costNanos()).isEqualTo(7);
        assertThat(read.cachedInputTokens()).isZero();
        assertThat(read.cacheWriteInputTokens()).isZero();
        assertThat(read.reasoningTokens()).isZero();
        assertThat(read.unpricedRequests()).isZero();
        assertThat(read.toBytes()).isEqualTo(old);
    }

    @Test
    void rejectsANegativeStoredUnpricedCount() {
        byte[] negative = ByteBuffer.allocate(64).putLong(1).putLong(-1).array();

        assertThatThrownBy(() -> UsageTotals.fromBytes(negative)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsageTotals.fromBytes(new byte[63])).isInstanceOf(IllegalArgumentException.class);
    }
}
