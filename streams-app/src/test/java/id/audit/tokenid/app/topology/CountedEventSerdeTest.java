package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.ApiCallEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CountedEventSerdeTest {


    @Test
    void roundTripsAFullEventIncludingUnicode() {
        ApiCallEvent event = new ApiCallEvent("e-\u00e9", "acme \uD83D\uDE80", "openai", "gpt-4o\n\"x\"",
                1, Long.MAX_VALUE, 123_456_789L, 1_700_000_000_000L);

        assertThat(CountedEventSerde.decode(CountedEventSerde.encode(event))).isEqualTo(event);
    }

    @Test
    void roundTripsAnEventWithoutOptionalFields() {
        ApiCallEvent event = new ApiCallEvent(null, "acme", null, null, 0, 0, 0, 5L);

        assertThat(CountedEventSerde.decode(CountedEventSerde.encode(event))).isEqualTo(event);
    }

    @Test
    void rejectsTruncatedBytes() {
        byte[] bytes = CountedEventSerde.encode(new ApiCallEvent("e", "acme", "p", "m", 1, 2, 3, 4));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> CountedEventSerde.decode(truncated))
                .isInstanceOf(SerializationException.class);
    }
}
