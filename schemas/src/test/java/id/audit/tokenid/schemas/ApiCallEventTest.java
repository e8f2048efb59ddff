package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The record's own guards: whatever builds an event (the codec, a serde reading one back, the
 * pricer), a part never exceeds its whole and an event without a cost has cost 0.
 */
class ApiCallEventTest {

    private static final long MAX = 1L << 53;

    @Test
    void keepsTheOldConstructorAsACostPresentEventWithoutParts() {
        // when
        ApiCallEvent event = new ApiCallEvent("e", "acme", "p", "m", 10, 5, 7, 1_000L);

        // then
        assertThat(event).isEqualTo(new ApiCallEvent("e", "acme", "p", "m", 10, 5, 0, 0, 0, 7, true, 1_000L));
    }

    @Test
    void countsUncachedInputAsInputLessBothCacheParts() {
        assertThat(event(100, 60, 40, 0, 0).uncachedInputTokens()).isZero();
        assertThat(event(100, 60, 0, 0, 0).uncachedInputTokens()).isEqualTo(40);
        assertThat(event(MAX, MAX, 0, 0, 0).uncachedInputTokens()).isZero();
        assertThat(event(MAX, 0, 0, 0, 0).uncachedInputTokens()).isEqualTo(MAX);
    }

    @Test
    void refusesPartsOverTheirWhole() {
        assertThatThrownBy(() -> event(10, 11, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event(10, 0, 11, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event(10, 6, 5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event(0, 0, 0, 5, 6)).isInstanceOf(IllegalArgumentException.class);
        // a sum past long range must not wrap round to a small number
        assertThatThrownBy(() -> event(10, 5, Long.MAX_VALUE, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNegativePartsAndACostOnAnEventWithoutOne() {
        assertThatThrownBy(() -> event(10, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event(10, 0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> event(0, 0, 0, 5, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiCallEvent(null, "a", null, null, 0, 0, 0, 0, 0, 1, false, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pricesAnEventWithoutACostKeepingEverythingElse() {
        // given
        ApiCallEvent unpriced = new ApiCallEvent("e", "acme", "anthropic", "claude", 100, 20, 60, 30, 5, 0, false, 42L);

        // when
        ApiCallEvent priced = unpriced.priced(1_234L);

        // then
        assertThat(priced).isEqualTo(new ApiCallEvent("e", "acme", "anthropic", "claude", 100, 20, 60, 30, 5,
                1_234L, true, 42L));
    }

    @Test
    void movesAnEventInTimeKeepingItsPartsAndCostPresence() {
        // given
        ApiCallEvent unpriced = new ApiCallEvent(null, "acme", "p", "m", 100, 20, 60, 30, 5, 0, false,
                ApiCallEvent.NO_TIMESTAMP);

        // when
        ApiCallEvent moved = unpriced.at(9_000L);

        // then
        assertThat(moved).isEqualTo(new ApiCallEvent(null, "acme", "p", "m", 100, 20, 60, 30, 5, 0, false, 9_000L));
        assertThat(moved.hasTimestamp()).isTrue();
    }

    private static ApiCallEvent event(long input, long cached, long cacheWrite, long output, long reasoning) {
        return new ApiCallEvent(null, "acme", null, null, input, output, cached, cacheWrite, reasoning, 0, true,
                ApiCallEvent.NO_TIMESTAMP);
    }
}
