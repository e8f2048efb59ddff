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
        boolean v1 = event.costPresent() && event.cachedInputTokens() == 0 && event.cacheWriteInputTokens() == 0
                && event.reasoningTokens() == 0;
        byte[] org = utf8(event.orgId());
        byte[] eventId = utf8(event.eventId());
        byte[] provider = utf8(event.provider());
        byte[] model = utf8(event.model());
        int flags = (eventId != null ? HAS_EVENT_ID : 0) | (provider != null ? HAS_PROVIDER : 0)
                | (model != null ? HAS_MODEL : 0) | (!v1 && event.costPresent() ? HAS_COST : 0);
        int longs = v1 ? 4 : 7;
        int size = 2 + longs * Long.BYTES + sized(org) + sized(eventId) + sized(provider) + sized(model);
        ByteBuffer buffer = ByteBuffer.allocate(size)
                .put(v1 ? VERSION_1 : VERSION_2).put((byte) flags)
                .putLong(event.timestampMillis()).putLong(event.inputTokens()).putLong(event.outputTokens());
        if (!v1) {
            buffer.putLong(event.cachedInputTokens()).putLong(event.cacheWriteInputTokens())
                    .putLong(event.reasoningTokens());
        }
        buffer.putLong(event.costNanos());
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
