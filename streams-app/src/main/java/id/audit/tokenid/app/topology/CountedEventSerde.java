package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Compact binary form of a validated, normalised event inside a {@link CountedBatch}. The
 * JSON is parsed once, at the edge; what crosses the repartition topic is a few dozen bytes
 * that decode without a parser. The event time is resolved before repartitioning, so
 * {@code timestampMillis} is always set here.
 *
 * <p>Layouts: {@code byte version, byte flags, long eventTime, long inputTokens,
 * long outputTokens}, in version 2 then {@code long cachedInputTokens,
 * long cacheWriteInputTokens, long reasoningTokens}, then {@code long costNanos}, then orgId and
 * the present optional strings, each as int length + UTF-8. The flags say which optional
 * strings are present and, in version 2, whether the event has a cost.
 *
 * <p>An event without token parts and with a cost is written as version 1, which says all of it:
 * during a rolling upgrade an instance of the build before issue 11 still reads such events from
 * the by-org topic. Version 1 decodes as an event with a cost and no parts, which is what it
 * meant then.
 */
final class CountedEventSerde {

    static final byte VERSION_1 = 1;
    static final byte VERSION_2 = 2;
    private static final int HAS_EVENT_ID = 1;
    private static final int HAS_PROVIDER = 2;
    private static final int HAS_MODEL = 4;
    /** Version 2 only: the event carries a cost (sent or priced); without it the event is unpriced. */
    private static final int HAS_COST = 8;

    private CountedEventSerde() {
    }

    static byte[] encode(ApiCallEvent event) {
        byte[] out = new byte[encodedSize(event)];
        encodeInto(event, out, 0);
        return out;
    }

    /** The bytes {@link #encodeInto} writes for this event. */
    static int encodedSize(ApiCallEvent event) {
        int longs = isVersion1(event) ? 4 : 7;
        return 2 + longs * Long.BYTES + sized(event.orgId()) + sized(event.eventId()) + sized(event.provider())
                + sized(event.model());
    }

    /**
     * Writes the event at {@code at} of {@code out}, which has room for {@link #encodedSize}
     * bytes there, and returns the position after it: straight into a batch, with no array of
     * its own (BENCHMARKS.md, bytes allocated per event).
     */
    static int encodeInto(ApiCallEvent event, byte[] out, int at) {
        boolean v1 = isVersion1(event);
        int flags = (event.eventId() != null ? HAS_EVENT_ID : 0) | (event.provider() != null ? HAS_PROVIDER : 0)
                | (event.model() != null ? HAS_MODEL : 0) | (!v1 && event.costPresent() ? HAS_COST : 0);
        ByteBuffer buffer = ByteBuffer.wrap(out, at, out.length - at)
                .put(v1 ? VERSION_1 : VERSION_2).put((byte) flags)
                .putLong(event.timestampMillis()).putLong(event.inputTokens()).putLong(event.outputTokens());
        if (!v1) {
            buffer.putLong(event.cachedInputTokens()).putLong(event.cacheWriteInputTokens())
                    .putLong(event.reasoningTokens());
        }
        buffer.putLong(event.costNanos());
        int position = buffer.position();
        position = put(event.orgId(), out, position);
        position = put(event.eventId(), out, position);
        position = put(event.provider(), out, position);
        return put(event.model(), out, position);
    }

    private static boolean isVersion1(ApiCallEvent event) {
        return event.costPresent() && event.cachedInputTokens() == 0 && event.cacheWriteInputTokens() == 0
                && event.reasoningTokens() == 0;
    }

    static ApiCallEvent decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes the {@code length} bytes at {@code offset}: an entry read in place in its batch. */
    static ApiCallEvent decode(byte[] bytes, int offset, int length) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            byte version = buffer.get();
            if (version != VERSION_1 && version != VERSION_2) {
                throw new SerializationException("unknown counted-event version " + version);
            }
            boolean v2 = version == VERSION_2;
            int flags = buffer.get();
            long eventTime = buffer.getLong();
            long inputTokens = buffer.getLong();
            long outputTokens = buffer.getLong();
            long cachedInputTokens = v2 ? buffer.getLong() : 0;
            long cacheWriteInputTokens = v2 ? buffer.getLong() : 0;
            long reasoningTokens = v2 ? buffer.getLong() : 0;
            long costNanos = buffer.getLong();
            boolean costPresent = !v2 || (flags & HAS_COST) != 0;
            String org = read(buffer);
            String eventId = (flags & HAS_EVENT_ID) != 0 ? read(buffer) : null;
            String provider = (flags & HAS_PROVIDER) != 0 ? read(buffer) : null;
            String model = (flags & HAS_MODEL) != 0 ? read(buffer) : null;
            if (buffer.hasRemaining()) {
                throw new SerializationException(buffer.remaining() + " bytes after the counted event");
            }
            return new ApiCallEvent(eventId, org, provider, model, inputTokens, outputTokens, cachedInputTokens,
                    cacheWriteInputTokens, reasoningTokens, costNanos, costPresent, eventTime);
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("malformed counted event", e);
        }
    }

    private static int sized(String value) {
        return value == null ? 0 : Integer.BYTES + Utf8Bytes.length(value);
    }

    /** Writes {@code int length, UTF-8} at {@code at}, nothing for null; returns the position after it. */
    private static int put(String value, byte[] out, int at) {
        if (value == null) {
            return at;
        }
        int end = Utf8Bytes.write(value, out, at + Integer.BYTES);
        int length = end - at - Integer.BYTES;
        out[at] = (byte) (length >>> 24);
        out[at + 1] = (byte) (length >>> 16);
        out[at + 2] = (byte) (length >>> 8);
        out[at + 3] = (byte) length;
        return end;
    }

    /** A string read in place, without an intermediate array. */
    private static String read(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new SerializationException("bad string length " + length);
        }
        String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length,
                StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }
}
