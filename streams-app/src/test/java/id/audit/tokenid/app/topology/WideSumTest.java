package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WideSumTest {

    @Test
    void carriesIntoTheHighWordAtEveryBoundary() {
        WideSum sum = new WideSum();
        BigInteger oracle = BigInteger.ZERO;

        for (int i = 0; i < 5; i++) {
            sum.add(Long.MAX_VALUE);
            oracle = oracle.add(BigInteger.valueOf(Long.MAX_VALUE));
            assertThat(sum.toBigInteger()).isEqualTo(oracle);
        }
        sum.add(3); // 5 * (2^63 - 1) + 3 = 2^65 + 2^63 - 2: crosses 2^64 and 2^65 on the way
        assertThat(sum.toBigInteger()).isEqualTo(oracle.add(BigInteger.valueOf(3)));
    }

    @Test
    void storesEightBytesWhileItFitsALongAndSixteenBeyond() {
        WideSum sum = new WideSum();
        sum.add(Long.MAX_VALUE);
        assertThat(sum.toBytes()).isEqualTo(ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array());

        sum.add(1);

        assertThat(sum.toBytes()).hasSize(16);
        assertThat(WideSum.fromBytes(sum.toBytes()).toBigInteger()).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(WideSum.fromBytes(null).toBigInteger()).isZero();
    }

    @Test
    void addsAnotherWideSumWithCarry() {
        WideSum a = WideSum.fromBytes(ByteBuffer.allocate(16).putLong(1).putLong(-1).array()); // 2^65 - 1
        WideSum b = new WideSum();
        b.add(1);

        a.add(b);

        assertThat(a.toBigInteger()).isEqualTo(BigInteger.ONE.shiftLeft(65));
    }

    @Test
    void rejectsNegativeAddendsAndMalformedBytes() {
        assertThatThrownBy(() -> new WideSum().add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WideSum.fromBytes(new byte[9])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WideSum.fromBytes(ByteBuffer.allocate(8).putLong(-5).array()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
