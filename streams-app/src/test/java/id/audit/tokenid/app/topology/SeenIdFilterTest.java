package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class SeenIdFilterTest {

    private static Bytes key(String org, int id) {
        return StoreKeys.eventId(org, "ev-" + id);
    }

    @Test
    void neverForgetsAKeyItWasGivenInItsBucket() {
        SeenIdFilter filter = new SeenIdFilter();
        for (int i = 0; i < 200_000; i++) {
            filter.add(3_600_000L, key("acme", i));
        }

        for (int i = 0; i < 200_000; i++) {
            assertThat(filter.mightContain(3_600_000L, key("acme", i))).isTrue();
        }
    }

    @Test
    void answersNoForNearlyAllNewKeysAndForOtherBuckets() {
        SeenIdFilter filter = new SeenIdFilter();
        for (int i = 0; i < 200_000; i++) {
            filter.add(0L, key("acme", i));
        }

        int maybes = 0;
        for (int i = 200_000; i < 400_000; i++) {
            maybes += filter.mightContain(0L, key("acme", i)) ? 1 : 0;
        }
        assertThat(maybes).isLessThan(200); // under 0.1%
        assertThat(filter.mightContain(3_600_000L, key("acme", 1))).isFalse();
    }

    @Test
    void dropsBucketsOlderThanAsked() {
        SeenIdFilter filter = new SeenIdFilter();
        filter.add(0L, key("acme", 1));
        filter.add(3_600_000L, key("acme", 1));
        filter.add(7_200_000L, key("acme", 1));

        filter.dropBefore(3_600_000L);

        assertThat(filter.buckets()).isEqualTo(2);
        assertThat(filter.mightContain(0L, key("acme", 1))).isFalse();
        assertThat(filter.mightContain(3_600_000L, key("acme", 1))).isTrue();
    }

    @Test
    void hashesSpreadKeysThatDifferInOneByte() {
        long a = SeenIdFilter.hash("acme/ev-1".getBytes(StandardCharsets.UTF_8));
        long b = SeenIdFilter.hash("acme/ev-2".getBytes(StandardCharsets.UTF_8));

        assertThat(Long.bitCount(a ^ b)).isGreaterThan(16);
    }
}
