package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeenIdIndexTest {

    private static long print(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return SeenIdIndex.fingerprint(bytes, 0, bytes.length);
    }

    @Test
    void findsEveryFiledFingerprintAfterGrowingAndNoneOfTheOthers() {
        SeenIdIndex index = new SeenIdIndex();
        for (int i = 0; i < 300_000; i++) {
            index.add(3_600_000L, print("ev-" + i), i / 100);
        }

        for (int i = 0; i < 300_000; i++) {
            assertThat(index.chunksOf(3_600_000L, print("ev-" + i))).containsExactly(i / 100);
        }
        int candidates = 0;
        for (int i = 300_000; i < 600_000; i++) {
            candidates += index.chunksOf(3_600_000L, print("ev-" + i)).length;
        }
        assertThat(candidates).isZero();
        assertThat(index.chunksOf(0L, print("ev-1"))).isEmpty();
        assertThat(index.size()).isEqualTo(300_000);
    }

    @Test
    void returnsEveryChunkAFingerprintWasFiledUnderIncludingZero() {
        SeenIdIndex index = new SeenIdIndex();
        index.add(0L, 0L, 4);
        index.add(0L, 1L, 5); // 0 is filed as 1: both are candidates of either
        index.add(0L, 42L, 6);
        index.add(0L, 42L, 9);

        assertThat(index.chunksOf(0L, 0L)).containsExactlyInAnyOrder(4, 5);
        assertThat(index.chunksOf(0L, 42L)).containsExactlyInAnyOrder(6, 9);
        assertThat(index.chunksOf(0L, 43L)).isEmpty();
    }

    @Test
    void numbersChunksPastTheHighestFiledOrReservedPerBucket() {
        SeenIdIndex index = new SeenIdIndex();
        assertThat(index.nextChunk(0L)).isZero();
        index.add(0L, 7L, 3);
        index.reserve(0L, 1);
        index.reserve(3_600_000L, 8);

        assertThat(index.nextChunk(0L)).isEqualTo(4);
        assertThat(index.nextChunk(3_600_000L)).isEqualTo(9);
    }

    @Test
    void dropsBucketsOlderThanAsked() {
        SeenIdIndex index = new SeenIdIndex();
        index.add(0L, 7L, 0);
        index.add(3_600_000L, 7L, 0);
        index.add(7_200_000L, 7L, 0);

        index.dropBefore(3_600_000L);

        assertThat(index.buckets()).isEqualTo(2);
        assertThat(index.chunksOf(0L, 7L)).isEmpty();
        assertThat(index.chunksOf(3_600_000L, 7L)).containsExactly(0);
    }
}
