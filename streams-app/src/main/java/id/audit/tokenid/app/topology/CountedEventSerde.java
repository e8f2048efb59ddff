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
 * <p>Layout (version 1): {@code byte version, byte presence-flags, long eventTime,
 * long inputTokens, long outputTokens, long costNanos, then orgId and the present optional
 * strings, each as int length + UTF-8}.
 */
final class CountedEventSerde {

    private static final byte VERSION = 1;
    private static final int HAS_EVENT_ID = 1;
    private static final int HAS_PROVIDER = 2;
    private static final int HAS_MODEL = 4;

    private CountedEventSerde() {
    }

    static byte[] encode(ApiCallEvent event) {
        byte[] org = utf8(event.orgId());
        byte[] eventId = utf8(event.eventId());
        byte[] provider = utf8(event.provider());
        byte[] model = utf8(event.model());
        int flags = (eventId != null ? HAS_EVENT_ID : 0) | (provider != null ? HAS_PROVIDER : 0)
                | (model != null ? HAS_MODEL : 0);
        int size = 2 + 4 * Long.BYTES + sized(org) + sized(eventId) + sized(provider) + sized(model);
        ByteBuffer buffer = ByteBuffer.allocate(size)
                .put(VERSION).put((byte) flags)
                .putLong(event.timestampMillis()).putLong(event.inputTokens())
                .putLong(event.outputTokens()).putLong(event.costNanos());
        put(buffer, org);
        put(buffer, eventId);
        put(buffer, provider);
        put(buffer, model);
        return buffer.array();
    }

    static ApiCallEvent decode(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte version = buffer.get();
            if (version != VERSION) {
                throw new SerializationException("unknown counted-event version " + version);
            }
            int flags = buffer.get();
            long eventTime = buffer.getLong();
            long inputTokens = buffer.getLong();
            long outputTokens = buffer.getLong();
            long costNanos = buffer.getLong();
            String org = read(buffer);
            String eventId = (flags & HAS_EVENT_ID) != 0 ? read(buffer) : null;
            String provider = (flags & HAS_PROVIDER) != 0 ? read(buffer) : null;
            String model = (flags & HAS_MODEL) != 0 ? read(buffer) : null;
            return new ApiCallEvent(eventId, org, provider, model, inputTokens, outputTokens, costNanos, eventTime);
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("malformed counted event", e);
        }
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static int sized(byte[] bytes) {
        return bytes == null ? 0 : Integer.BYTES + bytes.length;
    }

    private static void put(ByteBuffer buffer, byte[] bytes) {
        if (bytes != null) {
            buffer.putInt(bytes.length).put(bytes);
        }
    }

    private static String read(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new SerializationException("bad string length " + length);
        }
        String value = new String(bytes(buffer, length), StandardCharsets.UTF_8);
        return value;
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }
}
