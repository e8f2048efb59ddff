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
    void decodesAnEventInPlaceInsideALargerArray() {
        ApiCallEvent event = new ApiCallEvent("e-\u00e9", "acme", "openai", "gpt-4o", 1, 2, 3, 4L);
        byte[] encoded = CountedEventSerde.encode(event);
        byte[] surrounded = new byte[encoded.length + 10];
        java.util.Arrays.fill(surrounded, (byte) 7);
        System.arraycopy(encoded, 0, surrounded, 6, encoded.length);

        assertThat(CountedEventSerde.decode(surrounded, 6, encoded.length)).isEqualTo(event);
        assertThat(CountedEventSerde.encodedSize(event)).isEqualTo(encoded.length);
    }

    @Test
    void writesTheSameBytesAsStringGetBytesForAsciiAndOtherText() {
        for (String text : new String[] {"plain-ascii", "caf\u00e9", "\uD83D\uDE80 rocket", "", "\u007f\u0080"}) {
            byte[] expected = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] out = new byte[expected.length + 2];

            assertThat(Utf8Bytes.length(text)).isEqualTo(expected.length);
            assertThat(Utf8Bytes.write(text, out, 1)).isEqualTo(expected.length + 1);
            assertThat(java.util.Arrays.copyOfRange(out, 1, expected.length + 1)).isEqualTo(expected);
        }
    }

    @Test
    void anEventIdKeyIsTheOrgsLengthPrefixedBytesThenTheIdsAsBefore() {
        byte[] org = "\u00e9cole".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] id = "id-\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] expected = java.nio.ByteBuffer.allocate(4 + org.length + id.length).putInt(org.length).put(org).put(id)
                .array();

        assertThat(StoreKeys.eventIdBytes("\u00e9cole", "id-\u00e9")).isEqualTo(expected);
        assertThat(StoreKeys.eventId("\u00e9cole", "id-\u00e9").get()).isEqualTo(expected);
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
    @Test
    void roundTripsTokenPartsAndAMissingCostInVersionTwo() {
        ApiCallEvent unpriced = new ApiCallEvent("e", "acme", "p", "m", 100, 50, 60, 40, 50, 0, false, 1_700_000_000_000L);
        ApiCallEvent withParts = new ApiCallEvent(null, "acme", null, null, 10, 5, 0, 1, 0, 9, true, 5L);

        byte[] encoded = CountedEventSerde.encode(unpriced);

        assertThat(encoded[0]).isEqualTo(CountedEventSerde.VERSION_2);
        assertThat(CountedEventSerde.decode(encoded)).isEqualTo(unpriced);
        assertThat(CountedEventSerde.encode(withParts)[0]).isEqualTo(CountedEventSerde.VERSION_2);
        assertThat(CountedEventSerde.decode(CountedEventSerde.encode(withParts))).isEqualTo(withParts);
    }

    @Test
    void writesAnEventWithACostAndNoPartsAsVersionOneSoThatTheBuildBeforeReadsIt() {
        ApiCallEvent event = new ApiCallEvent("e", "acme", "p", "m", 1, 2, 3, 4);

        assertThat(CountedEventSerde.encode(event)).isEqualTo(versionOne("e", "acme", "p", "m", 1, 2, 3, 4));
    }

    @Test
    void decodesVersionOneBytesAsAnEventWithACostAndNoParts() {
        byte[] v1 = versionOne(null, "acme", "p", "m", 7, 8, 0, 9);

        ApiCallEvent event = CountedEventSerde.decode(v1);

        assertThat(event).isEqualTo(new ApiCallEvent(null, "acme", "p", "m", 7, 8, 0, 0, 0, 0, true, 9));
        assertThat(event.costPresent()).isTrue();
    }

    @Test
    void rejectsAnUnknownVersionAndTrailingBytes() {
        byte[] v3 = versionOne(null, "acme", null, null, 1, 1, 1, 1);
        v3[0] = 3;
        byte[] trailing = java.util.Arrays.copyOf(versionOne(null, "acme", null, null, 1, 1, 1, 1),
                versionOne(null, "acme", null, null, 1, 1, 1, 1).length + 1);

        assertThatThrownBy(() -> CountedEventSerde.decode(v3)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> CountedEventSerde.decode(trailing)).isInstanceOf(SerializationException.class);
    }

    /** Version 1 exactly as the build before issue 11 wrote it, field by field. */
    static byte[] versionOne(String eventId, String org, String provider, String model, long input, long output,
                             long cost, long time) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeByte(1);
            out.writeByte((eventId != null ? 1 : 0) | (provider != null ? 2 : 0) | (model != null ? 4 : 0));
            out.writeLong(time);
            out.writeLong(input);
            out.writeLong(output);
            out.writeLong(cost);
            for (String text : new String[] {org, eventId, provider, model}) {
                if (text != null) {
                    byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
